namespace Webhooks.Functions.Api.Documentation;

/// <summary>Endpoint metadata: the security scheme (<see cref="ApiSecurity"/>) a route requires.</summary>
internal sealed record ApiSecurityMetadata(string Scheme);
