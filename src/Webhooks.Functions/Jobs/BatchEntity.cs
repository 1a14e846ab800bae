using Azure;
using Azure.Data.Tables;

namespace Webhooks.Functions.Jobs;

/// <summary>The batch's own row (row <see cref="JobRows.Job"/>) in its partition of the jobs table.</summary>
internal sealed class BatchEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = JobRows.Job;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Kind { get; set; } = JobKinds.Batch;
    public string TeamId { get; set; } = "";
    public string Status { get; set; } = JobStatus.InProgress;
    public int ItemsTotal { get; set; }
    public int ItemsCompleted { get; set; }
    public int ItemsFailed { get; set; }
    public string? Webhook { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>When an item last settled (or the job was created); the stalled-job sweep looks at it.</summary>
    public DateTimeOffset LastProgressAt { get; set; }
}
