using Azure.Data.Tables;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Events;

/// <summary>An event and its first deliveries, prepared to be written in the transaction that completes their job.</summary>
internal sealed record RaisedEvent(EventEntity Event, IReadOnlyList<DeliveryEntity> Deliveries)
{
    /// <summary>Add these to the job's completion transaction (same partition); both rows are inserts, so a replay conflicts instead of duplicating.</summary>
    public IEnumerable<TableTransactionAction> TransactionActions =>
        Deliveries.Select(d => new TableTransactionAction(TableTransactionActionType.Add, d))
            .Prepend(new TableTransactionAction(TableTransactionActionType.Add, Event));
}
