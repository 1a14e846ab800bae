namespace Webhooks.Functions.Jobs;

/// <summary>One item as <c>GET /v1/batches/{id}/items</c> lists it.</summary>
internal sealed record BatchItemResponse(
    string? CustomId, string Url, string Status, int? StatusCode, string? Title, long? ContentLength, string? Error)
{
    public static BatchItemResponse From(ItemEntity item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new(item.CustomId, item.Url, item.Status, item.StatusCode, item.Title, item.ContentLength, item.Error);
    }
}
