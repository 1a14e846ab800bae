using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Webhooks.Bench.Infrastructure;
using Webhooks.Functions;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Events;

namespace Webhooks.Bench.Scenarios;

/// <summary>
/// Azurite's CPU per storage operation of each kind the delivery path uses, one kind at a time, so a delivery's cost
/// in Azurite can be explained by its operations: Azurite is one Node.js thread, and when it is the bottleneck its
/// CPU per operation, not the app's, decides the rate.
/// </summary>
internal static class AzuriteOpCosts
{
    public static async Task<JsonObject> RunAsync(string connectionString, int[] azuritePids, int concurrency, TimeSpan each, CancellationToken cancellationToken)
    {
        var prefix = "c" + Ids.RandomString(10);
        var table = new TableServiceClient(connectionString).GetTableClient(prefix + "jobs");
        var index = new TableServiceClient(connectionString).GetTableClient(prefix + "eventindex");
        var queue = new QueueServiceClient(connectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 })
            .GetQueueClient(prefix + "deliveries");
        await table.CreateIfNotExistsAsync(cancellationToken);
        await index.CreateIfNotExistsAsync(cancellationToken);
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var now = TimeProvider.System.GetUtcNow();
        var created = new ConcurrentQueue<DeliveryEntity>();
        var receipts = new ConcurrentQueue<SendReceipt>();
        var results = new JsonObject();

        async Task Measure(string name, int entitiesPerOp, Func<CancellationToken, Task<bool>> operation)
        {
            long done = 0;
            var before = ProcessMeter.CpuTime(azuritePids) ?? TimeSpan.Zero;
            var started = Clock.Now;
            using var stop = new CancellationTokenSource(each);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, cancellationToken);
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                while (!linked.IsCancellationRequested)
                {
                    if (!await operation(CancellationToken.None))
                    {
                        break;
                    }
                    Interlocked.Increment(ref done);
                }
            }));
            var seconds = Clock.SecondsSince(started);
            var cpu = ((ProcessMeter.CpuTime(azuritePids) ?? before) - before).TotalMilliseconds;
            results[name] = new JsonObject
            {
                ["ops_per_s"] = Math.Round(done / seconds, 1),
                ["azurite_cpu_ms_per_op"] = Math.Round(cpu / Math.Max(1, done), 2),
                ["azurite_cpu_ms_per_entity"] = entitiesPerOp > 0 ? Math.Round(cpu / Math.Max(1, done) / entitiesPerOp, 2) : null,
                ["azurite_cores"] = Math.Round(cpu / 1000 / seconds, 2),
            };
        }

        await Measure("completion_txn_2_adds", 2, async ct =>
        {
            var (evt, delivery) = Rows("team_bench", now);
            await table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, evt), new TableTransactionAction(TableTransactionActionType.Add, delivery)], ct);
            created.Enqueue(delivery);
            return true;
        });
        await Measure("outcome_txn_add_replace", 2, async ct =>
        {
            if (!created.TryDequeue(out var delivery))
            {
                return false;
            }
            delivery.Status = DeliveryStatus.Delivered;
            delivery.AttemptsMade = 1;
            var attempt = new AttemptEntity
            {
                PartitionKey = delivery.PartitionKey,
                RowKey = AttemptEntity.RowKeyFor(delivery.DeliveryId, 1),
                DeliveryId = delivery.DeliveryId,
                Attempt = "1/5",
                AttemptNumber = 1,
                StartedAt = now,
                Outcome = AttemptOutcome.Delivered,
                StatusCode = 200,
            };
            await table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, attempt), new TableTransactionAction(TableTransactionActionType.UpdateReplace, delivery, ETag.All)], ct);
            return true;
        });
        await Measure("single_entity_get", 0, async ct =>
        {
            var (evt, _) = Rows("team_bench", now);
            await table.GetEntityIfExistsAsync<TableEntity>(evt.PartitionKey, EventEntity.Row, cancellationToken: ct);
            return true;
        });
        await Measure("queue_send", 0, async ct =>
        {
            var receipt = await queue.SendMessageAsync(
                $$"""{"partition":"{{Ids.New("batch")}}","delivery_id":"{{Ids.New("dlv")}}"}""", TimeSpan.FromSeconds(90), cancellationToken: ct);
            receipts.Enqueue(receipt.Value);
            return true;
        });
        // Azurite finds a message to delete by scanning its queue, so a delete costs more the more messages wait
        // (hidden timers of a retry backlog included): measured with what the send phase left, then on an empty queue.
        var waiting = receipts.Count;
        await Measure("queue_delete_with_many_waiting", 0, async ct =>
        {
            if (!receipts.TryDequeue(out var receipt))
            {
                return false;
            }
            await queue.DeleteMessageAsync(receipt.MessageId, receipt.PopReceipt, ct);
            return true;
        });
        results["queue_delete_with_many_waiting"]!["messages_waiting_at_start"] = waiting;
        await queue.ClearMessagesAsync(cancellationToken);
        await Measure("queue_send_then_delete_few_waiting", 0, async ct =>
        {
            var receipt = await queue.SendMessageAsync("{}", TimeSpan.FromSeconds(90), cancellationToken: ct);
            await queue.DeleteMessageAsync(receipt.Value.MessageId, receipt.Value.PopReceipt, ct);
            return true;
        });
        var team = "team_" + Ids.RandomString(Ids.SuffixLength);
        // The app's index writer sends transactions of up to 100 upserts; Azurite's cost per entity depends on the size.
        await Measure("index_txn_100_upserts", 100, ct => IndexBatchAsync(index, team, TableTransactionActionType.UpsertReplace, 100, now, ct));
        await Measure("index_txn_10_upserts", 10, ct => IndexBatchAsync(index, team, TableTransactionActionType.UpsertReplace, 10, now, ct));
        await Measure("index_txn_2_upserts", 2, ct => IndexBatchAsync(index, team, TableTransactionActionType.UpsertReplace, 2, now, ct));
        // The same writes, each into a partition of its own: the difference is what the team's one big partition costs.
        await Measure("index_txn_2_upserts_small_partition", 2,
            ct => IndexBatchAsync(index, "team_" + Ids.RandomString(Ids.SuffixLength), TableTransactionActionType.UpsertReplace, 2, now, ct));
        results["index_partition_rows_at_end"] = await CountAsync(index, team, cancellationToken);
        return results;
    }

    private static async Task<bool> IndexBatchAsync(TableClient index, string team, TableTransactionActionType type, int size, DateTimeOffset now, CancellationToken ct)
    {
        // One index row per entry: what a row costs Azurite in a partition of this size, whatever it packs.
        var rows = Enumerable.Range(0, size).Select(_ => new TableTransactionAction(type, IndexGroupEntity.Pack(team, [new IndexEntity
        {
            PartitionKey = team,
            RowKey = IndexEntity.RowKeyFor(IndexEntity.DeliveryKind, now, Ids.New("dlv")),
            EventId = Ids.New("event"),
            DeliveryId = Ids.New("dlv"),
            Type = EventTypes.BatchCompleted,
            ResourceId = Ids.New("batch"),
            Target = Ids.New("batch"),
            CreatedAt = now,
        }]).Single()));
        await index.SubmitTransactionAsync(rows, ct);
        return true;
    }

    private static async Task<long> CountAsync(TableClient table, string partition, CancellationToken cancellationToken)
    {
        long count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>($"PartitionKey eq '{partition}'", maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            count++;
        }
        return count;
    }

    /// <summary>The rows of one completion (event + first delivery) in a fresh job partition, as the product writes them.</summary>
    internal static (EventEntity Event, DeliveryEntity Delivery) Rows(string teamId, DateTimeOffset now)
    {
        var jobId = Ids.New("batch");
        var evt = new EventEntity
        {
            PartitionKey = jobId,
            EventId = "event_" + Ids.Suffix(jobId),
            Type = EventTypes.BatchCompleted,
            TeamId = teamId,
            ResourceId = jobId,
            Data = "{\"id\":\"" + jobId + "\",\"object\":\"batch\",\"status\":\"completed\",\"items_total\":100,\"items_completed\":98," +
                "\"items_failed\":2,\"created_at\":\"2025-01-22T18:20:00Z\",\"completed_at\":\"2025-01-22T18:21:07Z\",\"webhook\":\"http://127.0.0.1/hook\"}",
            CreatedAt = now,
        };
        var deliveryId = Ids.New("dlv");
        var delivery = new DeliveryEntity
        {
            PartitionKey = jobId,
            RowKey = DeliveryEntity.RowKeyFor(deliveryId),
            DeliveryId = deliveryId,
            EventId = evt.EventId,
            EventType = evt.Type,
            TeamId = evt.TeamId,
            Attempt = "1/5",
            MaxAttempts = 5,
            NextAttemptAt = now,
            Url = "http://127.0.0.1/hook",
            Policy = "standard",
            Schedule = "0s,120s,240s,420s,900s",
            CreatedAt = now,
        };
        return (evt, delivery);
    }
}
