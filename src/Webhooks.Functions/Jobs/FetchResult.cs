namespace Webhooks.Functions.Jobs;

/// <summary>
/// What one fetch produced. <see cref="Links"/> holds the page's <c>&lt;a href&gt;</c> targets, already absolute and
/// without fragments, only when links were asked for and the answer was 2xx HTML. The body itself is in the blob.
/// </summary>
internal sealed record FetchResult
{
    public required bool Succeeded { get; init; }
    public int? StatusCode { get; init; }

    /// <summary>"HTTP 404 Not Found", "Timed out after 30 s", "Connection refused", "Blocked: ..."; null on success.</summary>
    public string? Error { get; init; }

    /// <summary>Just the cause, for messages that add their own prefix ("Root URL could not be reached: ...").</summary>
    public string? Reason { get; init; }

    public string? Title { get; init; }
    public string? ContentType { get; init; }
    public long? ContentLength { get; init; }
    public string? BlobName { get; init; }
    public IReadOnlyList<Uri> Links { get; init; } = [];
}
