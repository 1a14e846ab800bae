using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Webhooks.Bench.Reporting;

/// <summary>The figures table: one row per figure, with its target and whether this run met it.</summary>
internal sealed class Report
{
    private readonly List<(string Scenario, string Figure, string Value, string Target, string Met)> _rows = [];
    private readonly StringBuilder _notes = new();

    private Report()
    {
    }

    public string Markdown { get; private set; } = "";

    public JsonArray Rows => new(_rows.Select(r => (JsonNode)new JsonObject
    {
        ["scenario"] = r.Scenario,
        ["figure"] = r.Figure,
        ["value"] = r.Value,
        ["target"] = r.Target,
        ["met"] = r.Met,
    }).ToArray());

    public static Report Build(JsonObject run)
    {
        var report = new Report();
        var s = run["scenarios"]!.AsObject();
        report.Anchors(s["anchors"]);
        report.Throughput(s["throughput"], s["anchors"]);
        report.Latency(s["latency"], s["isolation"]);
        report.Jobs(s["jobs"]);
        report.ApiLoad(s["api-load"]);
        report.Backlog(s["backlog"]);
        report.Engine(s["engine"]);
        report.Render(run);
        return report;
    }

    private void Anchors(JsonNode? anchors)
    {
        if (Skipped("1 anchors", anchors))
        {
            return;
        }
        var http = anchors!["raw_http"]!;
        var storage = anchors["storage_chain"]!;
        Add("1 anchors", $"raw HTTP ceiling (POST/s, concurrency {http["concurrency"]}, {http["endpoints"]} endpoints)", F(http["posts_per_s"]));
        Add("1 anchors", "storage ceiling: 4-op delivery chain/s (ops/s)", $"{F(storage["chains_per_s"])} ({F(storage["ops_per_s"])})");
        var mean = storage["mean_ms_per_op"]!.AsObject();
        Add("1 anchors", "storage chain mean ms per op", string.Join(", ", mean.Select(p => $"{p.Key} {F(p.Value)}")));
        Add("1 anchors", "storage chain CPU cores: bench / Azurite; Azurite CPU ms per chain",
            $"{F(storage["cpu"]!["app_cores"])} / {F(storage["cpu"]!["azurite_cores"])}; {F(storage["azurite_cpu_ms_per_chain"], 2)}");
        if (anchors["azurite_op_costs"] is JsonObject costs)
        {
            Add("1 anchors", "Azurite CPU ms per operation (ops/s alone)",
                string.Join(", ", costs.Where(p => p.Value is JsonObject).Select(p => $"{p.Key} {F(p.Value!["azurite_cpu_ms_per_op"], 2)} ({F(p.Value["ops_per_s"], 0)}/s)")));
            Add("1 anchors", "Azurite CPU ms per entity written in a transaction of 2 / 10 / 100 rows",
                $"{F(costs["completion_txn_2_adds"]?["azurite_cpu_ms_per_entity"], 2)} (adds), {F(costs["index_txn_2_upserts"]?["azurite_cpu_ms_per_entity"], 2)} / " +
                $"{F(costs["index_txn_10_upserts"]?["azurite_cpu_ms_per_entity"], 2)} / {F(costs["index_txn_100_upserts"]?["azurite_cpu_ms_per_entity"], 2)} (upserts into one team partition of up to " +
                $"{costs["index_partition_rows_at_end"]} rows); {F(costs["index_txn_2_upserts_small_partition"]?["azurite_cpu_ms_per_entity"], 2)} (2 upserts, small partition)");
        }
    }

    private void Throughput(JsonNode? t, JsonNode? anchors)
    {
        if (Skipped("2 throughput", t))
        {
            return;
        }
        var rate = D(t!["deliveries_per_s"]);
        var capped = t["stopped_at_time_cap"]?.GetValue<bool>() == true ? $", raising stopped at its {t["raise_cap_s"]} s cap" : "";
        Add("2 throughput", $"deliveries/s ({t["events_raised"]} of {t["events"]} events raised{capped}; {t["raisers"]} raisers, {t["endpoints"]} endpoints)",
            F(rate), "≥ 300", Met(rate >= 300));
        var ops = t["storage_ops_per_delivery"]!;
        var pathOps = D(ops["delivery_path"]);
        Add("2 throughput", "storage ops per delivery, delivery path (jobs table, deliveries queue, team reads)", F(pathOps), "≤ 4", Met(pathOps <= 4));
        Add("2 throughput", "storage ops per delivery, listing index (beside the path) / queue receives", $"{F(ops["index"])} / {F(ops["queue_receives"])}");
        if (anchors?["raw_http"]?["posts_per_s"] is { } http)
        {
            Add("2 throughput", "deliveries/s ÷ raw HTTP ceiling", F(rate / D(http), 3));
        }
        if (t["engine_ceiling_per_s"] is { } engineCeiling)
        {
            var ratio = rate / D(engineCeiling);
            Add("2 throughput", $"deliveries/s ÷ engine ceiling ({F(engineCeiling)} instances/s, scenario 8)", F(ratio, 3), "≥ 0.8", Met(ratio >= 0.8));
        }
        if (anchors?["storage_chain"]?["ops_per_s"] is { } storageOps && pathOps > 0)
        {
            var bound = D(storageOps) / pathOps;
            var ratio = rate / bound;
            Add("2 throughput", $"deliveries/s ÷ (storage ceiling {F(storageOps)} ops/s ÷ {F(pathOps)} ops per delivery = {F(bound)}/s)",
                F(ratio, 3), "≥ 0.8", Met(ratio >= 0.8));
        }
        var cpu = t["cpu"]!;
        Add("2 throughput", "CPU cores used: app / Azurite / receiver (2 cores, shared)",
            $"{F(cpu["app_cores"])} / {F(cpu["azurite_cores"])} / {F(cpu["receiver_cores"])}");
        Add("2 throughput", "CPU ms per delivery: app / Azurite", $"{F(t["app_cpu_ms_per_delivery"], 2)} / {F(t["azurite_cpu_ms_per_delivery"], 2)}");
        if (t["by_quarter_of_the_run"] is JsonArray quarters && quarters.Count > 0)
        {
            Add("2 throughput", "by quarter of the run: deliveries/s (Azurite CPU ms per delivery)",
                string.Join(" → ", quarters.Select(q => $"{F(q!["deliveries_per_s"])} ({F(q["azurite_cpu_ms_per_delivery"], 2)})")));
        }
        Add("2 throughput", "app peak RSS (MB)", F(t["app_peak_rss_mb"]));
        Add("2 throughput", "checks: receiver distinct 200s / delivered rows (expected) / duplicates / raises failed (storage gave up)",
            $"{t["receiver_distinct_ok"]} / {t["rows_delivered"]} ({t["rows_expected_delivered"]}) / {t["receiver_duplicates"]} / {t["raises_failed"]}");
        var byKind = ops["by_kind"]!.AsObject();
        _notes.AppendLine().AppendLine("Storage operations per delivery by kind (scenario 2):").AppendLine()
            .AppendLine("| kind | per delivery |").AppendLine("| --- | --- |");
        foreach (var (kind, value) in byKind)
        {
            _notes.AppendLine(CultureInfo.InvariantCulture, $"| {kind} | {F(value, 3)} |");
        }
    }

    private void Latency(JsonNode? latency, JsonNode? isolation)
    {
        double? baseP99 = null;
        if (!Skipped("3 latency", latency))
        {
            var l = latency!["latency_ms"]!;
            var p50 = D(l["p50_ms"]);
            baseP99 = D(l["p99_ms"]);
            var at = $"at {F(latency["achieved_raise_rate_per_s"])}/s ({latency["events"]} events)";
            Add("3 latency", $"raise started → received p50 {at}", F(p50), "≤ 25 ms", Met(p50 <= 25));
            Add("3 latency", "p95", F(l["p95_ms"]));
            Add("3 latency", "p99", F(baseP99), "≤ 150 ms", Met(baseP99 <= 150));
            Add("3 latency", "max / missing", $"{F(l["max_ms"])} / {latency["healthy_missing"]}");
            var seg = latency["segments_ms"];
            if (seg is not null)
            {
                Add("3 latency", "where: PrepareAsync incl. guard send / completion txn / commit → receiver, p50 and p99 (ms)",
                    $"{F(seg["prepare_guard_send"]!["p50_ms"])}, {F(seg["prepare_guard_send"]!["p99_ms"])} / " +
                    $"{F(seg["completion_transaction"]!["p50_ms"])}, {F(seg["completion_transaction"]!["p99_ms"])} / " +
                    $"{F(seg["to_receiver"]!["p50_ms"])}, {F(seg["to_receiver"]!["p99_ms"])}");
            }
        }
        if (!Skipped("4 isolation", isolation))
        {
            var l = isolation!["latency_ms"]!;
            var p99 = D(l["p99_ms"]);
            Add("4 isolation", $"healthy p50 / p95 with {isolation["hanging_endpoints"]} of {isolation["endpoints"]} endpoints hanging (2 s timeout)",
                $"{F(l["p50_ms"])} / {F(l["p95_ms"])}");
            Add("4 isolation", "healthy p99", F(p99),
                baseP99 is { } b ? $"≤ 2 × {F(b)} = {F(2 * b)} ms" : "≤ 2 × scenario 3", baseP99 is { } b2 ? Met(p99 <= 2 * b2) : "—");
            Add("4 isolation", "hung requests / healthy missing", $"{isolation["hung_requests"]} / {isolation["healthy_missing"]}");
        }
    }

    private void Backlog(JsonNode? b)
    {
        if (Skipped("5 backlog", b))
        {
            return;
        }
        var n = D(b!["deliveries"]);
        Add("5 backlog", $"time to build {b["deliveries"]} waiting retries (s) / per s", $"{F(b["build_seconds"])} / {F(b["build_per_s"])}");
        var waiting = b["waiting"]!;
        var rss = D(waiting["app_rss_max_mb"]);
        Add("5 backlog", "app RSS while waiting (MB)", F(rss), "≤ 200 MB" + (n < 100_000 ? $" (at {n:0}, not 100,000)" : ""), Met(rss <= 200));
        var cores = D(waiting["cpu"]!["app_cores"]);
        Add("5 backlog", "app CPU while waiting (cores) / Azurite", $"{F(cores, 4)} / {F(waiting["cpu"]!["azurite_cores"], 4)}",
            "near zero (≤ 0.02)", Met(cores <= 0.02));
        Add("5 backlog", "app RSS while waiting: anonymous / file-backed (MB); managed heap before / after a full GC; RSS after it",
            $"{F(waiting["app_rss_anonymous_mb"])} / {F(waiting["app_rss_file_mb"])}; {F(waiting["app_managed_heap_mb"])} / " +
            $"{F(waiting["app_managed_heap_after_full_gc_mb"])}; {F(waiting["app_rss_after_full_gc_mb"])}");
        Add("5 backlog", "app CPU ms in each second of the sample (JIT ms in it; settled s before it)",
            $"{waiting["app_cpu_ms_each_second"]?.ToJsonString() ?? "—"} ({waiting["app_jit_ms_during_sample"]}; {waiting["settled_seconds_before_sample"]})");
        Add("5 backlog", "queue messages holding them / retries delivered before the flip",
            $"{waiting["queue_messages"]} / {waiting["retries_already_delivered"]}");
        var drain = b["drain"]!;
        Add("5 backlog", drain["drained_all"]?.GetValue<bool>() == true
                ? "drain: deliveries/s, from the first retry to the last / retries delivered"
                : $"drain: deliveries/s over the first {F(drain["window_seconds"])} s of it / retries delivered by then",
            $"{F(drain["per_s"])} / {drain["delivered_at_receiver"]}");
        Add("5 backlog", "drain: lag behind due time p50 / p99 / max (s)",
            $"{F(drain["lag_behind_due_s"]!["p50_s"])} / {F(drain["lag_behind_due_s"]!["p99_s"])} / {F(drain["lag_behind_due_s"]!["max_s"])}");
        Add("5 backlog", "drain: storage ops per delivery / app CPU cores",
            $"{F(drain["storage_ops_per_delivery"]!["total"])} / {F(drain["cpu"]!["app_cores"])}");
    }

    private void Engine(JsonNode? e)
    {
        if (Skipped("8 engine", e))
        {
            return;
        }
        var configs = e!["configs"]!.AsObject();
        var defaults = configs["defaults"];
        var recommended = configs["recommended"];
        if (recommended?["error"] is null && recommended?["instances_per_s"] is { } ceiling)
        {
            Add("8 engine", $"engine ceiling, recommended settings: instances/s ({e["in_flight"]} in flight, no-op activity)", F(ceiling));
            if (defaults?["instances_per_s"] is { } onDefaults)
            {
                Add("8 engine", "engine ceiling on the engine's defaults: instances/s (recommended ÷ defaults, same run)",
                    $"{F(onDefaults)} ({F(D(ceiling) / D(onDefaults), 2)})");
            }
        }
        foreach (var (name, config) in new[] { ("recommended", recommended), ("defaults", defaults) })
        {
            if (config is null)
            {
                continue;
            }
            if (config["error"] is { } error)
            {
                Add("8 engine", $"{name}: error", error.ToString());
                continue;
            }
            var ops = config["storage_ops_per_instance"]!;
            var total = D(ops["total"]);
            Add("8 engine", $"{name}: storage ops per instance (without idle polls and partition leases; one instance alone)",
                $"{F(total, 2)} ({F(ops["without_background"], 2)}; {config["one_instance_alone"]?["storage_ops"]})",
                name == "recommended" ? "≤ 13 (the product's ≤ 14 less its attempt transaction)" : "",
                name == "recommended" ? Met(total <= 13) : "");
            Add("8 engine", $"{name}: start → complete p50 / p99 at {e["in_flight"]} in flight (ms); CPU ms per instance app / Azurite",
                $"{F(config["start_to_done_ms"]!["p50_ms"], 0)} / {F(config["start_to_done_ms"]!["p99_ms"], 0)}; " +
                $"{F(config["app_cpu_ms_per_instance"], 2)} / {F(config["azurite_cpu_ms_per_instance"], 2)}");
            if (config["half_rate_latency"] is JsonObject half)
            {
                var p50 = D(half["start_to_activity_ms"]!["p50_ms"]);
                var p99 = D(half["start_to_activity_ms"]!["p99_ms"]);
                Add("8 engine", $"{name}: start → activity runs p50 / p99 (ms) at half the ceiling ({F(half["achieved_rate_per_s"])}/s); start → complete p50 / p99",
                    $"{F(p50, 0)} / {F(p99, 0)}; {F(half["start_to_done_ms"]!["p50_ms"], 0)} / {F(half["start_to_done_ms"]!["p99_ms"], 0)}",
                    "≤ 1000 / ≤ 3000 (the product's raise → receipt)", Met(p50 <= 1000 && p99 <= 3000));
            }
        }
        _notes.AppendLine().AppendLine("Engine configurations (scenario 8; same run, one after the other on one Azurite, so compare ratios):").AppendLine()
            .AppendLine("| configuration | what | instances/s | ÷ defaults | ops per instance | without background | CPU ms per instance (app + Azurite) | start → complete p50 ms |")
            .AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        var baseline = D(defaults?["instances_per_s"]);
        foreach (var (name, config) in configs)
        {
            if (config?["error"] is { } error)
            {
                _notes.AppendLine(CultureInfo.InvariantCulture, $"| {name} | error: {error} | | | | | | |");
                continue;
            }
            var rate = D(config!["instances_per_s"]);
            _notes.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {config["what"]} | {F(rate)} | {F(rate / baseline, 2)} | {F(config["storage_ops_per_instance"]!["total"], 2)} | " +
                $"{F(config["storage_ops_per_instance"]!["without_background"], 2)} | {F(config["cpu_ms_per_instance"], 1)} | {F(config["start_to_done_ms"]!["p50_ms"], 0)} |");
        }
        foreach (var (name, config) in new[] { ("defaults", defaults), ("recommended", recommended) })
        {
            if (config?["one_instance_alone"]?["requests"] is not JsonArray requests)
            {
                continue;
            }
            _notes.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"The storage requests of one instance alone, {name} (scenario 8):").AppendLine().AppendLine("```");
            foreach (var request in requests)
            {
                _notes.AppendLine(request!.ToString());
            }
            _notes.AppendLine("```");
        }
    }

    private void Jobs(JsonNode? j)
    {
        if (Skipped("6 jobs", j))
        {
            return;
        }
        if (j!["present"]?.GetValue<bool>() == false)
        {
            Add("6 jobs", "batch items/s, crawl pages/s", "n/a (jobs engine not present)");
            return;
        }
        Add("6 jobs", $"batch items/s ({j["batch"]!["items"]} items, {j["batch"]!["status"]})", F(j["batch"]!["items_per_s"]));
        Add("6 jobs", $"crawl pages/s ({j["crawl"]!["pages"]} pages, {j["crawl"]!["status"]})", F(j["crawl"]!["pages_per_s"]));
    }

    private void ApiLoad(JsonNode? l)
    {
        if (Skipped("7 api load", l))
        {
            return;
        }
        Add("7 api load", $"create calls/s ({l!["clients"]} clients, {l["seconds"]} s, {l["requests"]} calls)", F(l["requests_per_s"]));
        var fivexx = l["status_5xx"]!.GetValue<int>() + l["transport_errors"]!.GetValue<int>();
        Add("7 api load", "answers 2xx / 4xx / 5xx + transport errors", $"{l["status_2xx"]} / {l["status_4xx"]} / {fivexx}", "no 5xx", Met(fivexx == 0));
        if (l["storage_probe"] is JsonObject probe)
        {
            Add("7 api load", "storage probe beside the load: p50 / p99 / max (ms); probes over 1 s",
                $"{F(probe["latency"]!["p50_ms"])} / {F(probe["latency"]!["p99_ms"])} / {F(probe["latency"]!["max_ms"])}; {probe["over_1s"]!.AsArray().Count}");
        }
        Add("7 api load", "create latency p50 / p99 (ms)", $"{F(l["latency"]!["p50_ms"])} / {F(l["latency"]!["p99_ms"])}");
    }

    private bool Skipped(string scenario, JsonNode? result)
    {
        if (result is null)
        {
            return true;
        }
        if (result["error"] is { } error)
        {
            Add(scenario, "error", error.ToString());
            return true;
        }
        return false;
    }

    private void Render(JsonObject run)
    {
        var machine = run["machine"]!;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Webhooks.Functions bench — {machine["date_utc"]}").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"`{run["command"]}` on {machine["nproc"]} cores, .NET SDK {machine["dotnet_version"]}, node {machine["node_version"]}, " +
            $"load average at start {machine["load_average_at_start"]}, commit {machine["git_commit"]} (+{machine["git_uncommitted_files"]} uncommitted files), {run["total_seconds"]} s.").AppendLine();
        text.AppendLine("| scenario | figure | value | target | met |").AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var row in _rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Scenario} | {row.Figure} | {row.Value} | {row.Target} | {row.Met} |");
        }
        text.Append(_notes);
        Markdown = text.ToString();
    }

    private void Add(string scenario, string figure, string value, string target = "", string met = "") =>
        _rows.Add((scenario, figure, value, target, met));

    private static string Met(bool met) => met ? "met" : "MISSED";

    private static double D(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<double>(out var number) ? number
        : node is JsonValue other && double.TryParse(other.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : double.NaN;

    private static string F(JsonNode? node, int digits = 1) => node is null ? "—" : F(D(node), digits);

    private static string F(double value, int digits = 1) =>
        double.IsNaN(value) ? "—" : Math.Round(value, digits).ToString("0.###", CultureInfo.InvariantCulture);
}
