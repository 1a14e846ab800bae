using Azure;

namespace Webhooks.Functions.Jobs;

/// <summary>Recognises the answers that mean "someone else changed these rows first": reload and re-apply.</summary>
internal static class TransactionConflicts
{
    /// <summary>412 (an ETag no longer matches) or 409 (a row to add already exists, e.g. the event of a completed job).</summary>
    public static bool IsConflict(RequestFailedException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Status is 409 or 412;
    }
}
