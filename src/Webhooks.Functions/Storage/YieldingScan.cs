using System.Runtime.CompilerServices;
using Azure;

namespace Webhooks.Functions.Storage;

/// <summary>
/// Reads a long background query page by page, pausing after each page for as long as the page took: a repair scan
/// then uses at most about half of what storage can give, and deliveries and API calls keep the rest.
/// </summary>
/// <remarks>
/// Found with the bench: while the index repair read the pages of 70,000 new events and deliveries (on Azurite each
/// page is a scan of the whole table), Azurite spent 57 s of CPU in a 40 s window and a draining retry backlog got
/// 26 deliveries/s; with the pauses, 69/s.
/// </remarks>
internal static class YieldingScan
{
    public static async IAsyncEnumerable<T> ReadAsync<T>(
        AsyncPageable<T> query, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : notnull
    {
        var started = time.GetTimestamp();
        await foreach (var page in query.AsPages().WithCancellation(cancellationToken))
        {
            var took = time.GetElapsedTime(started);
            foreach (var item in page.Values)
            {
                yield return item;
            }
            if (page.ContinuationToken is null)
            {
                yield break;
            }
            await Task.Delay(took, time, cancellationToken);
            started = time.GetTimestamp();
        }
    }
}
