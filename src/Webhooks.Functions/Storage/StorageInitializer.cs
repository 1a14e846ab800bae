using Azure;

namespace Webhooks.Functions.Storage;

/// <summary>Creates every table, queue and container at start, so that no request path has to.</summary>
internal sealed partial class StorageInitializer(StorageAccount storage, ILogger<StorageInitializer> logger)
{
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        var work = new List<Task>();
        work.AddRange(storage.AllTables.Select(t => IgnoreConflict(() => t.CreateIfNotExistsAsync(cancellationToken))));
        work.AddRange(storage.AllQueues.Select(q => IgnoreConflict(() => q.CreateIfNotExistsAsync(cancellationToken: cancellationToken))));
        work.AddRange(storage.AllContainers.Select(c => IgnoreConflict(() => c.CreateIfNotExistsAsync(cancellationToken: cancellationToken))));
        await Task.WhenAll(work);
        LogStorageReady(logger, StorageNames.Tables.Length, StorageNames.Queues.Length, StorageNames.Containers.Length);
    }

    private static async Task IgnoreConflict(Func<Task> create)
    {
        try
        {
            await create();
        }
        catch (RequestFailedException e) when (e.IsAlreadyCreated())
        {
            // Another instance created it at the same moment.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage ready: {Tables} tables, {Queues} queues, {Containers} containers")]
    private static partial void LogStorageReady(ILogger logger, int tables, int queues, int containers);
}
