using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Options;

namespace Webhooks.Functions.Storage;

/// <summary>
/// The one place that knows how to reach Storage: thread-safe singleton clients for every table, queue and container,
/// with <c>Storage:Prefix</c> applied. Built from <c>AzureWebJobsStorage</c> (a connection string) or
/// <c>AzureWebJobsStorage__accountName</c> with <see cref="DefaultAzureCredential"/>.
/// </summary>
internal sealed class StorageAccount
{
    public const string DevelopmentConnectionString =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;" +
        "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    private readonly Dictionary<string, TableClient> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QueueClient> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BlobContainerClient> _containers = new(StringComparer.Ordinal);
    private readonly HttpPipelinePolicy[] _policies;
    private readonly string? _connectionString;
    private readonly string? _accountName;

    public StorageAccount(IConfiguration configuration, IOptions<StorageOptions> options, IEnumerable<HttpPipelinePolicy> extraPolicies)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var prefix = options.Value.Prefix;
        var policies = extraPolicies.ToArray();
        _policies = policies;

        var tableOptions = WithPolicies(new TableClientOptions(), policies);
        var queueOptions = WithPolicies(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, policies);
        var blobOptions = WithPolicies(new BlobClientOptions(), policies);

        TableServiceClient tableService;
        QueueServiceClient queueService;
        BlobServiceClient blobService;
        var connectionString = configuration["AzureWebJobsStorage"];
        var accountName = configuration["AzureWebJobsStorage:accountName"];
        if (string.IsNullOrWhiteSpace(connectionString) && !string.IsNullOrWhiteSpace(accountName))
        {
            _accountName = accountName;
            var credential = new DefaultAzureCredential();
            tableService = new TableServiceClient(new Uri($"https://{accountName}.table.core.windows.net"), credential, tableOptions);
            queueService = new QueueServiceClient(new Uri($"https://{accountName}.queue.core.windows.net"), credential, queueOptions);
            blobService = new BlobServiceClient(new Uri($"https://{accountName}.blob.core.windows.net"), credential, blobOptions);
        }
        else
        {
            if (string.IsNullOrWhiteSpace(connectionString) || connectionString == "UseDevelopmentStorage=true")
            {
                connectionString = DevelopmentConnectionString;
            }
            _connectionString = connectionString;
            tableService = new TableServiceClient(connectionString, tableOptions);
            queueService = new QueueServiceClient(connectionString, queueOptions);
            blobService = new BlobServiceClient(connectionString, blobOptions);
        }

        foreach (var name in StorageNames.Tables)
        {
            _tables[name] = tableService.GetTableClient(prefix + name);
        }
        foreach (var name in StorageNames.Queues)
        {
            _queues[name] = queueService.GetQueueClient(prefix + name);
        }
        foreach (var name in StorageNames.Containers)
        {
            _containers[name] = blobService.GetBlobContainerClient(prefix + name);
        }
    }

    public TableClient Teams => _tables[StorageNames.TeamsTable];
    public TableClient ApiKeys => _tables[StorageNames.ApiKeysTable];
    public TableClient Jobs => _tables[StorageNames.JobsTable];
    public TableClient Idempotency => _tables[StorageNames.IdempotencyTable];
    public TableClient Index => _tables[StorageNames.IndexTable];
    public TableClient PortalKeys => _tables[StorageNames.PortalKeysTable];
    public TableClient Endpoints => _tables[StorageNames.EndpointsTable];
    public TableClient Stats => _tables[StorageNames.StatsTable];

    public QueueClient JobsQueue => _queues[StorageNames.JobsQueue];

    public QueueClient Queue(string name) => _queues[name];

    /// <summary>Where a message goes after too many failed tries; the same name the Functions host uses.</summary>
    public QueueClient PoisonQueue(string name) => _queues[name + StorageNames.PoisonSuffix];

    public BlobContainerClient Pages => _containers[StorageNames.PagesContainer];

    public IEnumerable<TableClient> AllTables => _tables.Values;
    public IEnumerable<QueueClient> AllQueues => _queues.Values;
    public IEnumerable<BlobContainerClient> AllContainers => _containers.Values;

    /// <summary>
    /// How the Durable Task engine's Azure Storage backend reaches the same account: same connection or identity, and
    /// the same extra pipeline policies, but the SDK's own retries (the engine relies on them), and its own
    /// queue encoding (the backend sets it).
    /// </summary>
    public StorageAccountClientProvider DurableClientProvider() =>
        _connectionString is not null
            ? DurableClientProvider(_connectionString, _policies)
            : DurableClientProviderFor(_accountName!, new DefaultAzureCredential(), _policies);

    /// <summary>
    /// The Durable backend's clients for a connection string, with <paramref name="policies"/> in every pipeline (once
    /// per try): what <see cref="DurableClientProvider()"/> builds for the app's own account, for a caller that has only
    /// the connection string (the bench's bare engine ceiling counts its requests this way).
    /// </summary>
    public static StorageAccountClientProvider DurableClientProvider(string connectionString, IEnumerable<HttpPipelinePolicy> policies)
    {
        var (blob, queue, table) = DurableClientOptions(policies);
        return new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(connectionString, blob),
            StorageServiceClientProvider.ForQueue(connectionString, queue),
            StorageServiceClientProvider.ForTable(connectionString, table));
    }

    private static StorageAccountClientProvider DurableClientProviderFor(string accountName, TokenCredential credential, IEnumerable<HttpPipelinePolicy> policies)
    {
        var (blob, queue, table) = DurableClientOptions(policies);
        return new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(new Uri($"https://{accountName}.blob.core.windows.net"), credential, blob),
            StorageServiceClientProvider.ForQueue(new Uri($"https://{accountName}.queue.core.windows.net"), credential, queue),
            StorageServiceClientProvider.ForTable(new Uri($"https://{accountName}.table.core.windows.net"), credential, table));
    }

    private static (BlobClientOptions Blob, QueueClientOptions Queue, TableClientOptions Table) DurableClientOptions(IEnumerable<HttpPipelinePolicy> policies)
    {
        var blob = new BlobClientOptions();
        var queue = new QueueClientOptions();
        var table = new TableClientOptions();
        foreach (var policy in policies)
        {
            blob.AddPolicy(policy, HttpPipelinePosition.PerRetry);
            queue.AddPolicy(policy, HttpPipelinePosition.PerRetry);
            table.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }
        return (blob, queue, table);
    }

    private static T WithPolicies<T>(T options, HttpPipelinePolicy[] policies) where T : ClientOptions
    {
        // Storage calls are retried by our own orchestration; the SDK's default of several slow retries would make a
        // storage outage look like a hang to API clients instead of a quick 503.
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        foreach (var policy in policies)
        {
            options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }
        return options;
    }
}
