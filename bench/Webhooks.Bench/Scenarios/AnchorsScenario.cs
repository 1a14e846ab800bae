using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Webhooks.Bench.Infrastructure;
using Webhooks.Bench.Receiver;
using Webhooks.Bench.Worker;
using Webhooks.Functions.Outbound;
using Webhooks.Functions;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Events;
using Webhooks.Functions.Teams;

namespace Webhooks.Bench.Scenarios;

/// <summary>
/// Scenario 1, the anchors, at the raisers' concurrency: how fast the receiver can be POSTed to with nothing else
/// (the HTTP ceiling), and how fast Azurite runs exactly the delivery path's storage chain with nothing else (the
/// storage ceiling): completion transaction (event + delivery, fresh partition), guard send, outcome transaction
/// (attempt Add + delivery Replace), guard delete with the send's pop receipt.
/// </summary>
internal static class AnchorsScenario
{
    public const string Name = "anchors";

    public static async Task<JsonObject> RunAsync(WorkerInput input, CancellationToken cancellationToken)
    {
        using var receiver = new ReceiverClient(input.Receiver);
        await receiver.SetModeAsync(ReceiverMode.Ok);
        var seconds = TimeSpan.FromSeconds(input.AnchorSeconds);
        WorkerHost.Progress($"anchors: raw HTTP ceiling at concurrency {input.Concurrency} for {seconds.TotalSeconds} s");
        var http = await RawHttpAsync(input, seconds, cancellationToken);
        WorkerHost.Progress($"anchors: storage chain ceiling at concurrency {input.Concurrency} for {seconds.TotalSeconds} s");
        var storage = await StorageChainAsync(input, seconds, cancellationToken);
        WorkerHost.Progress("anchors: Azurite CPU per operation kind");
        JsonObject costs;
        try
        {
            costs = await AzuriteOpCosts.RunAsync(input.AzuriteConnection, input.AzuritePids, input.Concurrency,
                TimeSpan.FromSeconds(Math.Clamp(input.AnchorSeconds / 4, 1, 1.5)), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The per-kind costs explain the ceilings; running out of time for them must not lose the ceilings themselves.
            costs = new JsonObject { ["error"] = "not finished within the scenario's time budget" };
        }
        return new JsonObject { ["raw_http"] = http, ["storage_chain"] = storage, ["azurite_op_costs"] = costs };
    }

    private static async Task<JsonObject> RawHttpAsync(WorkerInput input, TimeSpan seconds, CancellationToken cancellationToken)
    {
        var now = TimeProvider.System.GetUtcNow();
        var eventId = "event_" + Ids.RandomString(Ids.SuffixLength);
        var data = "{\"id\":\"batch_" + Ids.RandomString(Ids.SuffixLength) + "\",\"object\":\"batch\",\"status\":\"completed\",\"items_total\":100," +
            "\"items_completed\":98,\"items_failed\":2,\"created_at\":\"2025-01-22T18:20:00Z\",\"completed_at\":\"2025-01-22T18:21:07Z\"," +
            "\"webhook\":\"http://127.0.0.1/hook\"}";
        var body = WebhookEnvelope.Write(eventId, EventTypes.BatchCompleted, now.ToUnixTimeMilliseconds(), "1/5", data);
        var secret = SigningSecret.Create(now);
        var unix = now.ToUnixTimeSeconds();
        var timestamp = unix.ToString(CultureInfo.InvariantCulture);
        var standard = WebhookSigner.StandardSignatures([secret], eventId, unix, body);
        var hex = WebhookSigner.HexSignature(secret, unix, body);
        var urls = input.Receiver.HookUrls.Select(u => new Uri(u)).ToArray();

        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        long next = 0;
        long failures = 0;
        var cpu = CpuWindow.Start(WorkerHost.Processes(input));
        var (completed, elapsed) = await ClosedLoop.RunAsync(input.Concurrency, TimeSpan.FromSeconds(2), seconds, async ct =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, urls[Interlocked.Increment(ref next) % urls.Length])
            {
                Content = new ByteArrayContent(body),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation("User-Agent", HttpClientNames.UserAgent);
            request.Headers.TryAddWithoutValidation("webhook-id", eventId);
            request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp);
            request.Headers.TryAddWithoutValidation("webhook-signature", standard);
            request.Headers.TryAddWithoutValidation("X-Webhook-Event", EventTypes.BatchCompleted);
            request.Headers.TryAddWithoutValidation("X-Webhook-Delivery-Id", "dlv_" + Ids.RandomString(Ids.SuffixLength));
            request.Headers.TryAddWithoutValidation("X-Webhook-Attempt", "1/5");
            request.Headers.TryAddWithoutValidation("X-Webhook-Timestamp", timestamp);
            request.Headers.TryAddWithoutValidation("X-Webhook-Signature", hex);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            await response.Content.CopyToAsync(Stream.Null, ct);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref failures);
            }
        }, cancellationToken);
        var usage = cpu.Stop();
        return new JsonObject
        {
            ["posts_per_s"] = Math.Round(completed / elapsed, 1),
            ["concurrency"] = input.Concurrency,
            ["endpoints"] = urls.Length,
            ["body_bytes"] = body.Length,
            ["non_2xx"] = failures,
            ["cpu"] = usage,
        };
    }

    private static async Task<JsonObject> StorageChainAsync(WorkerInput input, TimeSpan seconds, CancellationToken cancellationToken)
    {
        var prefix = "a" + Ids.RandomString(10);
        var tableOptions = new TableClientOptions();
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        foreach (var options in new Azure.Core.ClientOptions[] { tableOptions, queueOptions })
        {
            options.Retry.MaxRetries = 2;
            options.Retry.Delay = TimeSpan.FromMilliseconds(200);
            options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        }
        var table = new TableServiceClient(input.AzuriteConnection, tableOptions).GetTableClient(prefix + "jobs");
        var queue = new QueueServiceClient(input.AzuriteConnection, queueOptions).GetQueueClient(prefix + "deliveries");
        await table.CreateIfNotExistsAsync(cancellationToken);
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

        var teamId = "team_" + Ids.RandomString(Ids.SuffixLength);
        var durations = new ConcurrentDictionary<string, double[]>(StringComparer.Ordinal);
        void Record(string op, long started)
        {
            var slot = durations.GetOrAdd(op, _ => new double[2]);
            lock (slot)
            {
                slot[0] += Clock.Milliseconds(started, Clock.Now);
                slot[1]++;
            }
        }

        var cpu = CpuWindow.Start(WorkerHost.Processes(input));
        var (completed, elapsed) = await ClosedLoop.RunAsync(input.Concurrency, TimeSpan.FromSeconds(2), seconds, async ct =>
        {
            var now = TimeProvider.System.GetUtcNow();
            var (evt, delivery) = AzuriteOpCosts.Rows(teamId, now);
            var jobId = evt.PartitionKey;
            var deliveryId = delivery.DeliveryId;
            var started = Clock.Now;
            await table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, evt), new TableTransactionAction(TableTransactionActionType.Add, delivery)], ct);
            Record("completion_transaction", started);

            started = Clock.Now;
            var receipt = await queue.SendMessageAsync(
                $$"""{"partition":"{{jobId}}","delivery_id":"{{deliveryId}}"}""", visibilityTimeout: TimeSpan.FromSeconds(90), cancellationToken: ct);
            Record("guard_send", started);

            delivery.Status = DeliveryStatus.Delivered;
            delivery.AttemptsMade = 1;
            delivery.LastStatusCode = 200;
            delivery.DeliveredAt = now;
            delivery.NextAttemptAt = null;
            var attempt = new AttemptEntity
            {
                PartitionKey = jobId,
                RowKey = AttemptEntity.RowKeyFor(deliveryId, 1),
                DeliveryId = deliveryId,
                Attempt = "1/5",
                AttemptNumber = 1,
                StartedAt = now,
                DurationMs = 3,
                Outcome = AttemptOutcome.Delivered,
                StatusCode = 200,
            };
            started = Clock.Now;
            await table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, attempt), new TableTransactionAction(TableTransactionActionType.UpdateReplace, delivery, ETag.All)], ct);
            Record("outcome_transaction", started);

            started = Clock.Now;
            await queue.DeleteMessageAsync(receipt.Value.MessageId, receipt.Value.PopReceipt, ct);
            Record("guard_delete", started);
        }, cancellationToken);
        var usage = cpu.Stop();
        var meanMs = new JsonObject();
        foreach (var (op, slot) in durations.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            meanMs[op] = Math.Round(slot[0] / Math.Max(1, slot[1]), 2);
        }
        var chains = completed / elapsed;
        return new JsonObject
        {
            ["chains_per_s"] = Math.Round(chains, 1),
            ["ops_per_chain"] = 4,
            ["ops_per_s"] = Math.Round(chains * 4, 1),
            ["concurrency"] = input.Concurrency,
            ["mean_ms_per_op"] = meanMs,
            ["azurite_cpu_ms_per_chain"] = Math.Round(usage["azurite_cpu_s"]!.GetValue<double>() * 1000 / Math.Max(1, completed), 2),
            ["cpu"] = usage,
        };
    }
}
