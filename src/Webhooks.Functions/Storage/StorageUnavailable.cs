using Azure;

namespace Webhooks.Functions.Storage;

/// <summary>
/// Whether an exception means storage could not be reached or did not answer in time (down, restarting, overloaded),
/// as opposed to a request storage refused. The Azure SDK reports the first as a status 0 or 5xx, as a timeout of its
/// own (a cancellation nobody asked for), or, once its retries are spent, as an aggregate of those. The Durable
/// engine's backend wraps the storage client's exception in one of its own (<c>DurableTaskStorageException</c>, not
/// public): such a wrapper is judged by what it wraps.
/// </summary>
internal static class StorageUnavailable
{
    /// <param name="exception">What a storage call threw.</param>
    /// <param name="callerToken">The caller's own token: a cancellation it asked for is not an outage.</param>
    public static bool Is(Exception exception, CancellationToken callerToken) => exception switch
    {
        RequestFailedException failed => failed.Status is 0 or >= 500,
        OperationCanceledException => !callerToken.IsCancellationRequested,
        HttpRequestException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(inner => Is(inner, callerToken)),
        { InnerException: RequestFailedException inner } => Is(inner, callerToken),
        _ => false,
    };
}
