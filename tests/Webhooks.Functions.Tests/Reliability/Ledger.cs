using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Reliability;

/// <summary>
/// The consistency checks of the reliability suite, shared by the crash and the storage-fault tests: a job's rows (status,
/// counters, item rows, one event with the final job as data) and each delivery's rows against what its receiver saw.
/// </summary>
internal static class Ledger
{
    /// <summary>
    /// The job's own rows and its one event row; false when the event is not there as it should be (its deliveries
    /// cannot be checked then). <paramref name="requests"/> is every webhook request of the run.
    /// </summary>
    public static bool CheckJob(PlannedJob job, List<TableEntity> rows, List<ScriptedRequest> requests, List<string> problems)
    {
        var jobRow = rows.Single(r => r.RowKey == "job");
        var status = jobRow.GetString("Status");
        if (status != job.ExpectedStatus)
        {
            problems.Add($"{job.Id}: status {status}, expected {job.ExpectedStatus}");
        }
        if (job.Kind == "batch")
        {
            var items = rows.Where(r => r.RowKey.StartsWith("item_", StringComparison.Ordinal)).ToList();
            var completed = jobRow.GetInt32("ItemsCompleted");
            var failed = jobRow.GetInt32("ItemsFailed");
            if (completed != job.ExpectedSucceeded || failed != job.ExpectedFailed || jobRow.GetInt32("ItemsTotal") != items.Count)
            {
                problems.Add($"{job.Id}: counters {completed}+{failed}/{jobRow.GetInt32("ItemsTotal")}, expected {job.ExpectedSucceeded}+{job.ExpectedFailed}/{items.Count}");
            }
            if (items.Count(i => i.GetString("Status") == "completed") != completed || items.Count(i => i.GetString("Status") == "failed") != failed)
            {
                problems.Add($"{job.Id}: item rows disagree with counters {completed}+{failed}");
            }
        }
        else if (jobRow.GetInt32("UrlsCount") != job.ExpectedSucceeded || (job.ExpectedFailed is { } pagesFailed && jobRow.GetInt32("PagesFailed") != pagesFailed))
        {
            problems.Add($"{job.Id}: urls_count {jobRow.GetInt32("UrlsCount")} pages_failed {jobRow.GetInt32("PagesFailed")}, expected {job.ExpectedSucceeded}/{job.ExpectedFailed}");
        }

        var events = rows.Where(r => r.RowKey == "event").ToList();
        if (events.Count != 1 || events[0].GetString("EventId") != job.EventId || events[0].GetString("Type") != job.EventType)
        {
            problems.Add($"{job.Id}: event rows {string.Join(",", events.Select(e => e.GetString("EventId") + "/" + e.GetString("Type")))}, expected one {job.EventId} {job.EventType}");
            return false;
        }
        using (var data = JsonDocument.Parse(events[0].GetString("Data")))
        {
            if (data.RootElement.GetProperty("id").GetString() != job.Id || data.RootElement.GetProperty("status").GetString() != job.ExpectedStatus)
            {
                problems.Add($"{job.Id}: event data {events[0].GetString("Data")} is not the final job");
            }
        }
        var seenIds = requests.Where(r => r.DataId == job.Id).Select(r => r.EventId).Distinct().ToList();
        if (seenIds.Count != 1 || seenIds[0] != job.EventId)
        {
            problems.Add($"{job.Id}: receivers saw event ids [{string.Join(",", seenIds)}], expected only {job.EventId}");
        }
        return true;
    }

    /// <summary>
    /// One delivery row against its attempt rows and what its receiver saw: final status as the receiver's behaviour
    /// says, <c>"k/n"</c> consistent, attempt rows 1..n without gaps, no attempt the table does not have.
    /// <paramref name="received"/> is every request for the delivery's event at its receiver.
    /// </summary>
    public static void CheckDelivery(PlannedJob job, TableEntity delivery, List<TableEntity> rows, List<ScriptedRequest> received, int maxAttempts, List<string> problems)
    {
        var deliveryId = delivery.GetString("DeliveryId");
        var made = delivery.GetInt32("AttemptsMade") ?? -1;
        var max = delivery.GetInt32("MaxAttempts") ?? -1;
        var status = delivery.GetString("Status");
        var expected = job.ShouldBeDelivered ? "delivered" : "failed";
        if (status != expected)
        {
            problems.Add($"{job.Id} {deliveryId}: delivery {status} after {made} attempts, expected {expected}");
        }
        if (max != maxAttempts || delivery.GetString("Attempt") != $"{made}/{max}" || made < 1 || made > max)
        {
            problems.Add($"{job.Id} {deliveryId}: Attempt {delivery.GetString("Attempt")} AttemptsMade {made} MaxAttempts {max}");
        }
        if (status == "failed" && made != max)
        {
            problems.Add($"{job.Id} {deliveryId}: failed after {made} of {max} attempts");
        }
        if (status == "delivered" && delivery.GetDateTimeOffset("DeliveredAt") is null)
        {
            problems.Add($"{job.Id} {deliveryId}: delivered without DeliveredAt");
        }

        var prefix = "attempt_" + deliveryId + "_";
        var attempts = rows.Where(r => r.RowKey.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(r => r.RowKey, StringComparer.Ordinal).ToList();
        var numbers = attempts.Select(a => a.GetInt32("AttemptNumber") ?? -1).ToList();
        if (!numbers.SequenceEqual(Enumerable.Range(1, Math.Max(made, 0))))
        {
            problems.Add($"{job.Id} {deliveryId}: attempt rows [{string.Join(",", numbers)}] for AttemptsMade {made}");
        }
        foreach (var attempt in attempts)
        {
            var number = attempt.GetInt32("AttemptNumber");
            var outcome = attempt.GetString("Outcome");
            var last = number == made;
            if (attempt.GetString("Attempt") != $"{number}/{max}" || (outcome == "delivered") != (last && status == "delivered"))
            {
                problems.Add($"{job.Id} {deliveryId}: attempt row {attempt.RowKey} is {attempt.GetString("Attempt")} {outcome} in a {status} delivery of {made}");
            }
        }

        // The receiver's view: never an attempt the table does not have, and every delivered delivery was seen answered.
        var mine = received.Where(r => r.DeliveryId == deliveryId).ToList();
        if (received.Count != mine.Count)
        {
            problems.Add($"{job.Id}: requests for {job.EventId} came with delivery ids other than {deliveryId}");
        }
        if (mine.Count > 0 && mine.Max(r => r.AttemptNumber) > made)
        {
            problems.Add($"{job.Id} {deliveryId}: the receiver saw attempt {mine.Max(r => r.AttemptNumber)} but the table records {made}");
        }
        if (status == "delivered" && !mine.Any(r => r.Answered == 200))
        {
            problems.Add($"{job.Id} {deliveryId}: delivered, but its receiver never answered 200 to it");
        }
        if (status == "failed" && !Enumerable.Range(1, max).All(k => mine.Any(r => r.AttemptNumber == k)))
        {
            problems.Add($"{job.Id} {deliveryId}: failed, but the receiver saw only attempts [{string.Join(",", mine.Select(r => r.Attempt).Distinct())}]");
        }
    }

    /// <summary>
    /// The listing holds every job's event once, and one <c>event.delivery.exhausted</c> for each delivery that ended
    /// failed (SPEC §9: recorded in the log, though this team has no operations URL to send it to), whatever the kills
    /// or faults. Listing rows written after the event may be lost; the sweeper restores them (every tick with
    /// RepairInterval 0, once they are RepairMinAge old), so this waits a while.
    /// </summary>
    public static async Task CheckListingAsync(
        HttpClient client, IEnumerable<string> jobEventIds, Dictionary<string, List<TableEntity>> rows, List<string> problems)
    {
        var expected = jobEventIds.ToHashSet(StringComparer.Ordinal);
        var jobEvents = expected.Count;
        foreach (var failed in rows.Values.SelectMany(r => r).Where(r => r.RowKey.StartsWith("delivery_", StringComparison.Ordinal) && r.GetString("Status") == "failed"))
        {
            expected.Add(Functions.Ids.Derived("event", failed.GetString("DeliveryId") + "/exhausted"));
        }
        try
        {
            await ReliabilityKit.UntilAsync(() => ListEventIdsAsync(client), ids => ids.Count == expected.Count && ids.ToHashSet(StringComparer.Ordinal).SetEquals(expected),
                TimeSpan.FromSeconds(75), TimeSpan.FromSeconds(1),
                ids => $"GET /v1/events to list {expected.Count} events once each ({jobEvents} of jobs, the rest delivery.exhausted); " +
                    $"it lists {ids.Count}, missing {expected.Except(ids).Count()}");
        }
        catch (TimeoutException e)
        {
            problems.Add(e.Message);
        }
    }

    private static async Task<List<string>> ListEventIdsAsync(HttpClient client)
    {
        var ids = new List<string>();
        string? cursor = null;
        for (var page = 0; page < 50; page++)
        {
            var url = "/v1/events?limit=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var json = await (await client.GetAsync(url)).AssertJsonAsync(HttpStatusCode.OK);
            ids.AddRange(json.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!));
            cursor = json.GetProperty("next_cursor").GetString();
            if (cursor is null)
            {
                break;
            }
        }
        return ids;
    }
}
