using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Teams;

internal sealed record TeamResponse(string Id, string Object, string Name, string? DefaultWebhookUrl, string RetryPolicy, DateTimeOffset CreatedAt)
{
    public static TeamResponse From(Team team, RetryPolicies policies) =>
        new(team.Id, "team", team.Name, team.DefaultWebhookUrl, policies.ForTeam(team.RetryPolicy).Name, team.CreatedAt);
}

internal sealed record CreatedTeamResponse(string Id, string Name, string ApiKey, string SigningSecret);

internal sealed record SigningSecretResponse(string SigningSecret);

internal sealed record RotatedSigningSecretResponse(string SigningSecret, DateTimeOffset PreviousExpiresAt);
