namespace Webhooks.Functions.Teams;

/// <summary>A team as the app works with it: secrets decrypted, newest first.</summary>
internal sealed record Team(
    string Id,
    string Name,
    string? DefaultWebhookUrl,
    string? RetryPolicy,
    IReadOnlyList<SigningSecret> Secrets,
    DateTimeOffset CreatedAt)
{
    /// <summary>Where the team's operational events go (SPEC §9); none are delivered without it.</summary>
    public string? OperationsWebhookUrl { get; init; }

    public SigningSecret NewestSecret => Secrets[0];

    /// <summary>The secrets a webhook is signed with now: the newest, plus any older one still inside its overlap.</summary>
    public IReadOnlyList<SigningSecret> ActiveSecrets(DateTimeOffset now) => Secrets.Where(s => s.IsActive(now)).ToList();
}
