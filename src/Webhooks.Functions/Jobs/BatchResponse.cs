using System.Text.Json.Serialization;

namespace Webhooks.Functions.Jobs;

/// <summary>The batch object of SPEC §3, also the <c>data</c> of <c>event.batch.completed</c>.</summary>
internal sealed record BatchResponse(
    string Id,
    [property: JsonPropertyName("object")] string Object,
    string Status,
    int ItemsTotal,
    int ItemsCompleted,
    int ItemsFailed,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? Webhook)
{
    public static BatchResponse From(BatchEntity batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return new(batch.PartitionKey, "batch", batch.Status, batch.ItemsTotal, batch.ItemsCompleted, batch.ItemsFailed,
            batch.CreatedAt, batch.CompletedAt, batch.Webhook);
    }
}
