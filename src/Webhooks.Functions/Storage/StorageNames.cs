namespace Webhooks.Functions.Storage;

/// <summary>Every table, queue and container name the app uses, before <c>Storage:Prefix</c> is applied.</summary>
internal static class StorageNames
{
    public const string TeamsTable = "teams";
    public const string ApiKeysTable = "apikeys";
    public const string JobsTable = "jobs";
    public const string IdempotencyTable = "idempotency";
    public const string IndexTable = "eventindex";
    public const string PortalKeysTable = "portalkeys";
    public const string EndpointsTable = "endpoints";
    public const string StatsTable = "stats";

    public const string JobsQueue = "jobs";

    public const string PagesContainer = "pages";

    public static readonly string[] Tables = [TeamsTable, ApiKeysTable, JobsTable, IdempotencyTable, IndexTable, PortalKeysTable, EndpointsTable, StatsTable];
    public const string PoisonSuffix = "-poison";

    public static readonly string[] Queues = [JobsQueue, JobsQueue + PoisonSuffix];
    public static readonly string[] Containers = [PagesContainer];
}
