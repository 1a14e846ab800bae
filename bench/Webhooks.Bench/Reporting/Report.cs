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
        report.Throughput(s["throughput"]);
        report.FanOut(s["fanout"], s["throughput"]);
        report.Latency(s["latency"], s["isolation"]);
        report.Jobs(s["jobs"]);
        report.ApiLoad(s["api-load"]);
        report.Backlog(s["backlog"]);
        report.EndpointCosts(s["endpoint-costs"]);
        report.Engine(s["engine"]);
        report.Render(run);
        return report;
    }

    private void Throughput(JsonNode? t)
    {
        if (Skipped("1 throughput", t))
        {
            return;
        }
        var rate = D(t!["deliveries_per_s"]);
        Add("1 throughput", $"deliveries/s, product path ({t["in_flight"]} in flight, {t["endpoints"]} endpoints, {t["deliveries"]} in {F(t["seconds"])} s)", F(rate));
        var ceiling = t["engine_ceiling"];
        if (ceiling?["error"] is { } error)
        {
            Add("1 throughput", "engine ceiling: error", error.ToString());
        }
        else if (t["engine_ceiling_per_s"] is { } engineCeiling)
        {
            Add("1 throughput", $"bare engine ceiling, same settings and Azurite, no-op activity: instances/s ({ceiling?["in_flight"]} in flight)", F(engineCeiling));
            var ratio = D(t["ratio_to_engine_ceiling"]);
            Add("1 throughput", "deliveries/s ÷ engine ceiling", F(ratio, 3), "≥ 0.8", Met(ratio >= 0.8));
        }
        var ops = t["storage_ops_per_delivery"]!;
        var total = D(ops["total"]);
        Add("1 throughput", "storage ops per delivery, all the app's requests in the window", F(total, 2), "≤ 14", Met(total <= 14));
        Add("1 throughput", "of which: app (completion, index, attempt) / engine / background (empty receives, leases)",
            $"{F(ops["app"], 2)} / {F(ops["engine"], 2)} / {F(ops["background"], 2)}");
        if (ceiling?["storage_ops_per_instance"] is { } ceilingOps)
        {
            Add("1 throughput", "engine ceiling: storage ops per instance (without background; one instance alone)",
                $"{F(ceilingOps["total"], 2)} ({F(ceilingOps["without_background"], 2)}; {ceiling["one_instance_alone"]?["storage_ops"]})");
        }
        var cpu = t["cpu"]!;
        Add("1 throughput", "CPU cores used: app / Azurite / receiver (2 cores, shared)",
            $"{F(cpu["app_cores"])} / {F(cpu["azurite_cores"])} / {F(cpu["receiver_cores"])}");
        Add("1 throughput", "CPU ms per delivery: app / Azurite", $"{F(t["app_cpu_ms_per_delivery"], 2)} / {F(t["azurite_cpu_ms_per_delivery"], 2)}");
        if (ceiling?["cpu_ms_per_instance"] is { } ceilingCpu)
        {
            Add("1 throughput", "engine ceiling CPU ms per instance: app / Azurite",
                $"{F(ceiling["app_cpu_ms_per_instance"], 2)} / {F(ceiling["azurite_cpu_ms_per_instance"], 2)}");
        }
        Add("1 throughput", "of which: the delivery aggregates (SPEC §14, the stats table), per delivery",
            F(Scenarios.EndpointCostsScenario.AggregateOps(ops["by_kind"]!.AsObject()), 4), "< 0.05", Met(Scenarios.EndpointCostsScenario.AggregateOps(ops["by_kind"]!.AsObject()) < 0.05));
        Add("1 throughput", "app peak RSS (MB)", F(t["app_peak_rss_mb"]));
        Add("1 throughput", "checks: receiver distinct 200s / delivered rows / pending rows / duplicates / raises failed",
            $"{t["receiver_distinct_ok"]} / {t["rows_delivered"]} / {t["rows_pending"]} / {t["receiver_duplicates"]} / {t["raises_failed"]}");
        var byKind = ops["by_kind"]!.AsObject();
        _notes.AppendLine().AppendLine("Storage operations per first-attempt delivery by kind (scenario 1; `engine …` are the Durable Task engine's task hub):").AppendLine()
            .AppendLine("| kind | per delivery |").AppendLine("| --- | --- |");
        foreach (var (kind, value) in byKind)
        {
            _notes.AppendLine(CultureInfo.InvariantCulture, $"| {kind} | {F(value, 3)} |");
        }
        if (ceiling?["one_instance_alone"]?["requests"] is JsonArray requests)
        {
            _notes.AppendLine().AppendLine("The storage requests of one bare engine instance alone on the product's settings (scenario 1's ceiling):")
                .AppendLine().AppendLine("```");
            foreach (var request in requests)
            {
                _notes.AppendLine(request!.ToString());
            }
            _notes.AppendLine("```");
        }
    }

    private void FanOut(JsonNode? f, JsonNode? single)
    {
        if (Skipped("1b fan-out", f))
        {
            return;
        }
        var rate = D(f!["deliveries_per_s"]);
        Add("1b fan-out", $"deliveries/s, one event to {f["fan_out"]} endpoints ({f["in_flight"]} deliveries in flight, {f["deliveries"]} in {F(f["seconds"])} s)", F(rate));
        if (single?["deliveries_per_s"] is { } singleRate && D(singleRate) > 0)
        {
            Add("1b fan-out", "÷ single-endpoint deliveries/s (scenario 1)", F(rate / D(singleRate), 3));
        }
        var ops = f["storage_ops_per_delivery"]!;
        Add("1b fan-out", "storage ops per delivery: total (app / engine / background)",
            $"{F(ops["total"], 2)} ({F(ops["app"], 2)} / {F(ops["engine"], 2)} / {F(ops["background"], 2)})");
        if (single?["storage_ops_per_delivery"]?["total"] is { } singleOps)
        {
            Add("1b fan-out", "single-endpoint storage ops per delivery (scenario 1)", F(singleOps, 2));
        }
        Add("1b fan-out", "CPU ms per delivery: app / Azurite", $"{F(f["app_cpu_ms_per_delivery"], 2)} / {F(f["azurite_cpu_ms_per_delivery"], 2)}");
        // The receiver counts distinct event ids; here every event is ten deliveries, so its 200s are compared with the rows.
        Add("1b fan-out", "checks: receiver 200s / delivered rows / pending rows / distinct events / raises failed",
            $"{D(f["receiver_distinct_ok"]) + D(f["receiver_duplicates"])} / {f["rows_delivered"]} / {f["rows_pending"]} / {f["receiver_distinct_ok"]} / {f["raises_failed"]}");
    }

    private void Latency(JsonNode? latency, JsonNode? isolation)
    {
        double? baseP99 = null;
        if (!Skipped("2 latency", latency))
        {
            var l = latency!["latency_ms"]!;
            var p50 = D(l["p50_ms"]);
            baseP99 = D(l["p99_ms"]);
            var at = $"at {F(latency["achieved_raise_rate_per_s"])}/s ({latency["events"]} events)";
            Add("2 latency", $"raise → receipt p50 {at}", F(p50), "≤ 1000 ms", Met(p50 <= 1000));
            Add("2 latency", "p95", F(l["p95_ms"]));
            Add("2 latency", "p99", F(baseP99), "≤ 3000 ms", Met(baseP99 <= 3000));
            Add("2 latency", "max / missing", $"{F(l["max_ms"])} / {latency["healthy_missing"]}");
            if (latency["segments_ms"] is { } seg)
            {
                Add("2 latency", "where, p50 / p99 (ms): prepare; completion txn; orchestration start; start → receiver",
                    $"{F(seg["prepare"]?["p50_ms"])} / {F(seg["prepare"]?["p99_ms"])}; " +
                    $"{F(seg["completion_transaction"]?["p50_ms"])} / {F(seg["completion_transaction"]?["p99_ms"])}; " +
                    $"{F(seg["start_orchestration"]?["p50_ms"])} / {F(seg["start_orchestration"]?["p99_ms"])}; " +
                    $"{F(seg["start_to_receiver"]?["p50_ms"])} / {F(seg["start_to_receiver"]?["p99_ms"])}");
            }
        }
        if (!Skipped("3 isolation", isolation))
        {
            var l = isolation!["latency_ms"]!;
            var p99 = D(l["p99_ms"]);
            Add("3 isolation", $"healthy p50 / p95 with {isolation["hanging_endpoints"]} of {isolation["endpoints"]} endpoints hanging (2 s timeout), at {F(isolation["achieved_raise_rate_per_s"])}/s",
                $"{F(l["p50_ms"])} / {F(l["p95_ms"])}");
            Add("3 isolation", "healthy p99", F(p99),
                baseP99 is { } b ? $"≤ 2 × {F(b)} = {F(2 * b)} ms" : "≤ 2 × scenario 2's p99", baseP99 is { } b2 ? Met(p99 <= 2 * b2) : "—");
            Add("3 isolation", "hung requests / healthy missing", $"{isolation["hung_requests"]} / {isolation["healthy_missing"]}");
        }
    }

    private void EndpointCosts(JsonNode? e)
    {
        const string Scenario = "7 endpoint costs";
        if (Skipped(Scenario, e))
        {
            return;
        }
        var plain = e!["plain"]!;
        var oauth = e["oauth2"]!;
        var endpoints = e["endpoints"];
        Add(Scenario, $"deliveries/s, events to {endpoints} plain endpoints ({plain["in_flight"]} in flight, {plain["deliveries"]} in {F(plain["seconds"])} s)", F(plain["deliveries_per_s"]));
        Add(Scenario, $"deliveries/s, to {endpoints} endpoints with OAuth 2.0 and a custom header ({oauth["deliveries"]} in {F(oauth["seconds"])} s)", F(oauth["deliveries_per_s"]));
        if (D(plain["deliveries_per_s"]) > 0)
        {
            Add(Scenario, "OAuth 2.0 ÷ plain deliveries/s", F(D(oauth["deliveries_per_s"]) / D(plain["deliveries_per_s"]), 3));
        }
        var plainOps = plain["storage_ops_per_delivery"]!;
        var oauthOps = oauth["storage_ops_per_delivery"]!;
        Add(Scenario, "storage ops per delivery, plain: total (app / engine / background)",
            $"{F(plainOps["total"], 2)} ({F(plainOps["app"], 2)} / {F(plainOps["engine"], 2)} / {F(plainOps["background"], 2)})");
        Add(Scenario, "storage ops per delivery, OAuth 2.0 + header, token held: total (app / engine / background)",
            $"{F(oauthOps["total"], 2)} ({F(oauthOps["app"], 2)} / {F(oauthOps["engine"], 2)} / {F(oauthOps["background"], 2)})");
        var extraAppOps = D(oauthOps["app"]) - D(plainOps["app"]);
        Add(Scenario, "app storage ops per delivery, OAuth 2.0 − plain", F(extraAppOps, 3), "≤ 0 (within noise)", Met(extraAppOps <= 0.05));
        Add(Scenario, "tokens issued in the OAuth 2.0 run / its deliveries, warm-up included", $"{oauth["tokens_issued"]} / {oauth["rows_delivered"]}");
        // A row per (team, scope) at most once per flush interval: the bound is rows ÷ (interval × rate), whatever the load.
        double Bound(JsonNode run) => D(run["aggregate_rows"]) / Math.Max(1e-9, D(run["flush_interval_s"]) * D(run["deliveries_per_s"]));
        Add(Scenario, $"delivery aggregates' storage ops per delivery: plain / OAuth 2.0 ({plain["aggregate_rows"]} rows, each at most every {F(plain["flush_interval_s"], 0)} s)",
            $"{F(plain["aggregate_ops_per_delivery"], 4)} / {F(oauth["aggregate_ops_per_delivery"], 4)}",
            $"≤ rows ÷ (interval × rate) = {F(Bound(plain), 4)} / {F(Bound(oauth), 4)}, ± one flush in the window");
        if (oauth["stats_query"] is { } query)
        {
            Add(Scenario, $"one GET /v1/stats, last 24 h by hour ({query["buckets"]} buckets; {query["queries"]} queries): stats-table reads / the app's other ops meanwhile",
                $"{F(query["stats_table_reads_per_query"], 2)} / {F(query["other_app_ops_per_query"], 2)}");
            Add(Scenario, "that query's time p50 / max (ms)", $"{F(query["p50_ms"])} / {F(query["max_ms"])}");
        }
        Add(Scenario, "checks: receiver 200s / delivered rows / pending rows, plain; OAuth 2.0",
            $"{D(plain["receiver_distinct_ok"]) + D(plain["receiver_duplicates"])} / {plain["rows_delivered"]} / {plain["rows_pending"]}; " +
            $"{D(oauth["receiver_distinct_ok"]) + D(oauth["receiver_duplicates"])} / {oauth["rows_delivered"]} / {oauth["rows_pending"]}");
    }

    private void Backlog(JsonNode? b)
    {
        if (Skipped("6 backlog", b))
        {
            return;
        }
        var waiting = D(b!["waiting"]);
        Add("6 backlog", $"deliveries waiting on durable timers ({b["raised"]} of {b["requested"]} raised in {F(b["build_seconds"])} s, {F(b["build_per_s"])}/s)",
            F(waiting, 0), "≥ 5000", Met(waiting >= 5000));
        Add("6 backlog", "Azurite's queue service", b["azurite_queue_store"]?.GetValue<string>() ?? "as installed");
        if (b["build_progress"] is JsonArray { Count: >= 2 } progress)
        {
            // How the build slows as deliveries wait: the first and the last 15 s windows.
            static (double Seconds, double Recorded) At(JsonNode? point) => (D(point![0]), D(point[1]));
            var first = At(progress[0]);
            var (lastFrom, lastTo) = (At(progress[^2]), At(progress[^1]));
            var cpu = b["build_cpu"]!;
            Add("6 backlog", "building: first attempts recorded/s, first 15 s → last 15 s (waiting then); CPU cores app / driver / Azurite",
                $"{F(first.Recorded / first.Seconds)} → {F((lastTo.Recorded - lastFrom.Recorded) / (lastTo.Seconds - lastFrom.Seconds))} ({F(lastTo.Recorded, 0)}); " +
                $"{F(cpu["app_cores"], 2)} / {F(cpu["driver_cores"], 2)} / {F(cpu["azurite_cores"], 2)}");
        }
        var rss = D(b["app_rss_max_mb"]);
        Add("6 backlog", "app RSS while waiting (MB)", F(rss), "≤ 200 MB", Met(rss <= 200));
        var cores = D(b["cpu"]!["app_cores"]);
        Add("6 backlog", "app CPU while waiting (cores) / Azurite", $"{F(cores, 4)} / {F(b["cpu"]!["azurite_cores"], 4)}", "≤ 0.02", Met(cores <= 0.02));
        Add("6 backlog", "storage ops/s while waiting", F(b["storage_ops_per_s"]?["total"], 2));
        Add("6 backlog", "app RSS while waiting: anonymous / file-backed (MB); managed heap before / after a full GC; RSS after it",
            $"{F(b["app_rss_anonymous_mb"])} / {F(b["app_rss_file_mb"])}; {F(b["app_managed_heap_mb"])} / " +
            $"{F(b["app_managed_heap_after_full_gc_mb"])}; {F(b["app_rss_after_full_gc_mb"])}");
        Add("6 backlog", "app CPU ms in each second of the sample (JIT ms in it; settled s before it)",
            $"{b["app_cpu_ms_each_second"]?.ToJsonString() ?? "—"} ({b["app_jit_ms_during_sample"]}; {b["settled_seconds_before_sample"]})");
        if (b["storage_ops_per_s"]?["by_kind"] is JsonObject byKind)
        {
            Add("6 backlog", "storage ops/s while waiting, by kind", string.Join(", ", byKind.Select(p => $"{p.Key} {F(p.Value, 2)}")));
        }
    }

    private void Engine(JsonNode? e)
    {
        if (Skipped("7 engine", e))
        {
            return;
        }
        var configs = e!["configs"]!.AsObject();
        var defaults = configs["defaults"];
        var recommended = configs["recommended"];
        if (recommended?["error"] is null && recommended?["instances_per_s"] is { } ceiling)
        {
            Add("7 engine", $"engine ceiling, recommended settings: instances/s ({e["in_flight"]} in flight, no-op activity)", F(ceiling));
            if (defaults?["instances_per_s"] is { } onDefaults)
            {
                Add("7 engine", "engine ceiling on the engine's defaults: instances/s (recommended ÷ defaults, same run)",
                    $"{F(onDefaults)} ({F(D(ceiling) / D(onDefaults), 2)})");
            }
        }
        foreach (var (name, config) in new[] { ("product", configs["product"]), ("recommended", recommended), ("defaults", defaults) })
        {
            if (config is null)
            {
                continue;
            }
            if (config["error"] is { } error)
            {
                Add("7 engine", $"{name}: error", error.ToString());
                continue;
            }
            var ops = config["storage_ops_per_instance"]!;
            var total = D(ops["total"]);
            Add("7 engine", $"{name}: storage ops per instance (without idle polls and partition leases; one instance alone)",
                $"{F(total, 2)} ({F(ops["without_background"], 2)}; {config["one_instance_alone"]?["storage_ops"]})",
                name == "recommended" ? "≤ 13 (the product's ≤ 14 less its attempt transaction)" : "",
                name == "recommended" ? Met(total <= 13) : "");
            Add("7 engine", $"{name}: start → complete p50 / p99 at {e["in_flight"]} in flight (ms); CPU ms per instance app / Azurite",
                $"{F(config["start_to_done_ms"]!["p50_ms"], 0)} / {F(config["start_to_done_ms"]!["p99_ms"], 0)}; " +
                $"{F(config["app_cpu_ms_per_instance"], 2)} / {F(config["azurite_cpu_ms_per_instance"], 2)}");
            if (config["half_rate_latency"] is JsonObject half)
            {
                var p50 = D(half["start_to_activity_ms"]!["p50_ms"]);
                var p99 = D(half["start_to_activity_ms"]!["p99_ms"]);
                Add("7 engine", $"{name}: start → activity runs p50 / p99 (ms) at half the ceiling ({F(half["achieved_rate_per_s"])}/s); start → complete p50 / p99",
                    $"{F(p50, 0)} / {F(p99, 0)}; {F(half["start_to_done_ms"]!["p50_ms"], 0)} / {F(half["start_to_done_ms"]!["p99_ms"], 0)}",
                    "≤ 1000 / ≤ 3000 (the product's raise → receipt)", Met(p50 <= 1000 && p99 <= 3000));
            }
        }
        _notes.AppendLine().AppendLine("Engine configurations (scenario 7; same run, one after the other on one Azurite, so compare ratios):").AppendLine()
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
            _notes.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"The storage requests of one instance alone, {name} (scenario 7):").AppendLine().AppendLine("```");
            foreach (var request in requests)
            {
                _notes.AppendLine(request!.ToString());
            }
            _notes.AppendLine("```");
        }
    }

    private void Jobs(JsonNode? j)
    {
        if (Skipped("4 jobs", j))
        {
            return;
        }
        if (j!["present"]?.GetValue<bool>() == false)
        {
            Add("4 jobs", "batch items/s, crawl pages/s", "n/a (jobs engine not present)");
            return;
        }
        Add("4 jobs", $"batch items/s ({j["batch"]!["items"]} items, {j["batch"]!["status"]})", F(j["batch"]!["items_per_s"]));
        Add("4 jobs", $"crawl pages/s ({j["crawl"]!["pages"]} pages, {j["crawl"]!["status"]})", F(j["crawl"]!["pages_per_s"]));
    }

    private void ApiLoad(JsonNode? l)
    {
        if (Skipped("5 api load", l))
        {
            return;
        }
        Add("5 api load", $"create calls/s ({l!["clients"]} clients, {l["seconds"]} s, {l["requests"]} calls)", F(l["requests_per_s"]));
        var fivexx = l["status_5xx"]!.GetValue<int>() + l["transport_errors"]!.GetValue<int>();
        Add("5 api load", "answers 2xx / 4xx / 5xx + transport errors", $"{l["status_2xx"]} / {l["status_4xx"]} / {fivexx}", "no 5xx", Met(fivexx == 0));
        if (l["storage_probe"] is JsonObject probe)
        {
            Add("5 api load", "storage probe beside the load: p50 / p99 / max (ms); probes over 1 s",
                $"{F(probe["latency"]!["p50_ms"])} / {F(probe["latency"]!["p99_ms"])} / {F(probe["latency"]!["max_ms"])}; {probe["over_1s"]!.AsArray().Count}");
        }
        Add("5 api load", "create latency p50 / p99 (ms)", $"{F(l["latency"]!["p50_ms"])} / {F(l["latency"]!["p99_ms"])}");
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
