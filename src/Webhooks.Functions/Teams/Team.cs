namespace Webhooks.Functions.Teams;

/// <summary>
/// A team as the app works with it: secrets decrypted, newest first. <see cref="OperationsWebhookUrl"/> receives the
/// operational events (SPEC §9) and nothing else.
/// </summary>
internal sealed record Team(
    string Id,
    string Name,
    string? DefaultWebhookUrl,
    string? RetryPolicy,
    string? OperationsWebhookUrl,
    IReadOnlyList<SigningSecret> Secrets,
    DateTimeOffset CreatedAt)
{
    public SigningSecret NewestSecret => Secrets[0];

    /// <summary>The secrets a webhook is signed with now: the newest, plus any older one still inside its overlap.</summary>
    public IReadOnlyList<SigningSecret> ActiveSecrets(DateTimeOffset now) => Secrets.Where(s => s.IsActive(now)).ToList();
}
