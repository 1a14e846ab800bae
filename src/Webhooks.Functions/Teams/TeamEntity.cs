using Azure;
using Azure.Data.Tables;

namespace Webhooks.Functions.Teams;

/// <summary>Row of the teams table: partition = team id, row = <see cref="Row"/>.</summary>
internal sealed class TeamEntity : ITableEntity
{
    public const string Row = "team";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = Row;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Name { get; set; } = "";
    public string? DefaultWebhookUrl { get; set; }
    public string? RetryPolicy { get; set; }
    public string? OperationsWebhookUrl { get; set; }

    /// <summary>The JSON list of signing secrets, encrypted by <see cref="SecretProtector"/>.</summary>
    public string EncryptedSecrets { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Whether webhooks also carry <c>v1a</c> signatures; absent (false) on rows older than the setting.</summary>
    public bool AsymmetricSigning { get; set; }

    /// <summary>The JSON list of Ed25519 key pairs, encrypted by <see cref="SecretProtector"/>; null until one was made.</summary>
    public string? EncryptedAsymmetricKeys { get; set; }
}
