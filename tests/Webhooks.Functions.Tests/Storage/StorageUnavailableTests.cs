using System.Reflection;
using Azure;
using DurableTask.AzureStorage;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Tests.Storage;

/// <summary>What counts as storage being down or too slow (503, wait and retry) versus a refusal or a bug.</summary>
public sealed class StorageUnavailableTests
{
    private static AggregateException RetriesSpent(params Exception[] tries) => new("Retry failed after 3 tries.", tries);

    [Fact]
    public void ConnectionRefusedAndServerErrors_AreUnavailable()
    {
        Assert.True(StorageUnavailable.Is(new RequestFailedException("Connection refused"), default));
        Assert.True(StorageUnavailable.Is(new RequestFailedException(503, "Server busy"), default));
        Assert.True(StorageUnavailable.Is(RetriesSpent(new RequestFailedException("refused"), new RequestFailedException("refused")), default));
    }

    [Fact]
    public void SdkTimeouts_AreUnavailable_UnlessTheCallerCancelled()
    {
        // What the SDK throws when every try exceeded its network timeout: nobody cancelled, storage was too slow.
        var timedOut = RetriesSpent(new TaskCanceledException("exceeded the configured timeout"), new TaskCanceledException("exceeded"));
        Assert.True(StorageUnavailable.Is(timedOut, default));

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.False(StorageUnavailable.Is(timedOut, cancelled.Token));
        Assert.False(StorageUnavailable.Is(new OperationCanceledException(cancelled.Token), cancelled.Token));
    }

    /// <summary>
    /// The Durable engine's backend wraps what its storage calls threw in its own, internal, exception type: the one a
    /// throttled engine call threw through the storage fault proxy ("Operations per second is over the account limit").
    /// </summary>
    [Fact]
    public void TheDurableBackendsWrapperOfAServerBusy_IsUnavailable_AndOfAConflictIsNot()
    {
        var type = typeof(AzureStorageOrchestrationService).Assembly.GetTypes().Single(t => t.Name == "DurableTaskStorageException");
        Exception Wrapped(RequestFailedException inner) => (Exception)Activator.CreateInstance(
            type, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, binder: null, [inner], culture: null)!;

        Assert.True(StorageUnavailable.Is(Wrapped(new RequestFailedException(503, "Operations per second is over the account limit.", "ServerBusy", null)), default));
        Assert.False(StorageUnavailable.Is(Wrapped(new RequestFailedException(409, "Conflict")), default));
    }

    [Fact]
    public void RefusalsAndBugs_AreNotUnavailable()
    {
        Assert.False(StorageUnavailable.Is(new RequestFailedException(409, "Conflict"), default));
        Assert.False(StorageUnavailable.Is(new RequestFailedException(412, "Precondition failed"), default));
        Assert.False(StorageUnavailable.Is(RetriesSpent(new RequestFailedException("refused"), new InvalidOperationException("bug")), default));
        Assert.False(StorageUnavailable.Is(new InvalidOperationException("bug"), default));
        Assert.False(StorageUnavailable.Is(new AggregateException(), default));
    }
}
