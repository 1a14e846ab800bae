namespace Webhooks.Functions.Teams;

/// <summary>The <c>Admin</c> section: <c>/v1/admin</c> routes exist only when <see cref="ApiKey"/> is set.</summary>
internal sealed class AdminOptions
{
    public string? ApiKey { get; set; }
}
