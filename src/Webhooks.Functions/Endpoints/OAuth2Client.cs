namespace Webhooks.Functions.Endpoints;

/// <summary>An endpoint's OAuth 2.0 client as a create or PATCH gives it; a null <see cref="ClientSecret"/> keeps the stored one.</summary>
internal sealed record OAuth2Client(string TokenUrl, string ClientId, string? ClientSecret, string? Scope);
