using System.ComponentModel.DataAnnotations;
using Webhooks.Functions.Api.Documentation;

namespace Webhooks.Functions.Jobs;

/// <summary>One item as <c>GET /v1/batches/{id}/items</c> lists it.</summary>
internal sealed record BatchItemResponse(
    string? CustomId,
    string Url,
    [property: AllowedValues(JobStatus.Pending, JobStatus.Completed, JobStatus.Failed)] string Status,
    int? StatusCode,
    string? Title,
    long? ContentLength,
    string? Error) : IApiExample<BatchItemResponse>
{
    public static BatchItemResponse Example => new("1", "https://example.com/page1", JobStatus.Completed, 200, "Example Domain", 1256, null);

    public static BatchItemResponse From(ItemEntity item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new(item.CustomId, item.Url, item.Status, item.StatusCode, item.Title, item.ContentLength, item.Error);
    }
}
