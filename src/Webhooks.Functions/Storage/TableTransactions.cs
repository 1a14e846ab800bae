namespace Webhooks.Functions.Storage;

/// <summary>Limits of one table transaction (an entity group transaction).</summary>
internal static class TableTransactions
{
    /// <summary>The most actions a transaction may hold; larger sets of rows are written in chunks of this size.</summary>
    public const int MaxActions = 100;
}
