using System.Text.Json.Serialization;

namespace Webhooks.Receiver;

/// <summary>The <c>data</c> of an <c>event.batch.completed</c> event: the batch object at completion.</summary>
public sealed record BatchCompletedData
{
    /// <summary>The batch id, <c>batch_…</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Always <c>batch</c>.</summary>
    [JsonPropertyName("object")]
    public required string ObjectType { get; init; }

    /// <summary>The batch status, <c>completed</c> when the event is raised.</summary>
    public required string Status { get; init; }

    /// <summary>Number of items in the batch.</summary>
    public required int ItemsTotal { get; init; }

    /// <summary>Number of items fetched successfully.</summary>
    public required int ItemsCompleted { get; init; }

    /// <summary>Number of items that failed.</summary>
    public required int ItemsFailed { get; init; }

    /// <summary>When the batch was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the last item settled.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The webhook URL given when the batch was created, if any.</summary>
    public string? Webhook { get; init; }
}
