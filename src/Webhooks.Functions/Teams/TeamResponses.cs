using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Teams;

internal sealed record TeamResponse(
    string Id, string Object, string Name, string? DefaultWebhookUrl, string RetryPolicy, string? OperationsWebhookUrl, DateTimeOffset CreatedAt,
    [property: System.ComponentModel.Description("Whether its webhooks also carry Ed25519 `v1a` signatures (keys at GET /v1/team/public-keys).")]
    bool AsymmetricSigning)
    : IApiExample<TeamResponse>
{
    public static TeamResponse Example =>
        new(ExampleTeamId, "team", "acme", ApiExamples.WebhookUrl, "standard", ApiExamples.OperationsWebhookUrl, ApiExamples.CreatedAt, false);

    internal const string ExampleTeamId = "team_a1b2c3d4e5f6g7h8";

    public static TeamResponse From(Team team, RetryPolicies policies) =>
        new(team.Id, "team", team.Name, team.DefaultWebhookUrl, policies.ForTeam(team.RetryPolicy).Name, team.OperationsWebhookUrl, team.CreatedAt,
            team.AsymmetricSigning);
}

internal sealed record CreatedTeamResponse(string Id, string Name, string ApiKey, string SigningSecret) : IApiExample<CreatedTeamResponse>
{
    public static CreatedTeamResponse Example => new(TeamResponse.ExampleTeamId, "acme", ApiKeys.Prefix + "example0only0shown0once", SigningSecretResponse.ExampleSecret);
}

internal sealed record SigningSecretResponse(string SigningSecret) : IApiExample<SigningSecretResponse>
{
    internal const string ExampleSecret = "whsec_SDDnuJwADm1gYllaAJsGO8vpAMkokEgT6zOjl2q2FSg=";

    public static SigningSecretResponse Example => new(ExampleSecret);
}

internal sealed record RotatedSigningSecretResponse(string SigningSecret, DateTimeOffset PreviousExpiresAt) : IApiExample<RotatedSigningSecretResponse>
{
    public static RotatedSigningSecretResponse Example => new("whsec_3lVjUFjGflStWH8lX2a2qEaKt8BXM1dN6dy4zGa5XYA=", ApiExamples.CreatedAt.AddDays(1));
}
