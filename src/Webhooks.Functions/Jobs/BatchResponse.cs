using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Webhooks.Functions.Api.Documentation;

namespace Webhooks.Functions.Jobs;

/// <summary>The batch object of SPEC §3, also the <c>data</c> of <c>event.batch.completed</c>.</summary>
internal sealed record BatchResponse(
    string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: AllowedValues(JobStatus.InProgress, JobStatus.Completed)] string Status,
    int ItemsTotal,
    int ItemsCompleted,
    int ItemsFailed,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? Webhook) : IApiExample<BatchResponse>
{
    public static BatchResponse Example => new(ApiExamples.BatchId, "batch", JobStatus.Completed, 2, 1, 1,
        ApiExamples.CreatedAt, ApiExamples.CompletedAt, "https://your-server.example/webhooks");

    public static BatchResponse From(BatchEntity batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return new(batch.PartitionKey, "batch", batch.Status, batch.ItemsTotal, batch.ItemsCompleted, batch.ItemsFailed,
            batch.CreatedAt, batch.CompletedAt, batch.Webhook);
    }
}
