using System.Net;
using System.Text;

namespace Webhooks.Functions.Tests.Reliability;

/// <summary>
/// One hostile or careless request and the answer it must get: a 4xx problem document, naming the field under
/// <c>errors</c> when <see cref="ErrorKey"/> is given. <c>{batch}</c>, <c>{crawl}</c>, <c>{event}</c> and
/// <c>{receiver}</c> in the path or body stand for the fixture's resources.
/// </summary>
public sealed record BadInput(
    string Method,
    string Path,
    string? Body,
    HttpStatusCode Status,
    string? ErrorKey,
    string? ContentType = "application/json",
    bool Admin = false,
    string? IdempotencyKey = null,
    byte[]? RawBody = null)
{
    private const string Ok = "http://example.com/page";

    /// <summary>An absolute URL of exactly <paramref name="length"/> characters.</summary>
    public static string UrlOfLength(int length) => "http://example.com/" + new string('a', length - "http://example.com/".Length);

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static BadInput Post(string path, string body, string? key, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        new("POST", path, body, status, key);

    private static BadInput Get(string path, string? key, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        new("GET", path, null, status, key);

    /// <summary>The matrix, by a name that says what is wrong.</summary>
    public static readonly IReadOnlyDictionary<string, BadInput> All = Build();

    private static Dictionary<string, BadInput> Build()
    {
        var items10001 = "{\"items\":[" + string.Join(',', Enumerable.Repeat($"{{\"url\":\"{Ok}\"}}", 10_001)) + "]}";
        var deep = "{\"items\":" + new string('[', 40) + new string(']', 40) + "}";
        var over8MiB = "{\"items\":[{\"url\":\"http://example.com/" + new string('a', 9 * 1024 * 1024) + "\"}]}";
        var item = $"{{\"url\":\"{Ok}\"}}";
        var cases = new Dictionary<string, BadInput>(StringComparer.Ordinal)
        {
            // POST /v1/batches: shape, types, limits, unicode, aliases, body format, Idempotency-Key.
            ["batches: invalid UTF-8 inside a string"] = new("POST", "/v1/batches", null, HttpStatusCode.BadRequest, null,
                RawBody: [.. Encoding.UTF8.GetBytes("{\"items\":[{\"url\":\"http://example.com/"), 0xff, 0xfe, .. Encoding.UTF8.GetBytes("\"}]}")]),
            ["team: invalid UTF-8 inside a string"] = new("PATCH", "/v1/team", null, HttpStatusCode.BadRequest, null,
                RawBody: [.. Encoding.UTF8.GetBytes("{\"retry_policy\":\"sh"), 0xc3, 0x28, .. Encoding.UTF8.GetBytes("\"}")]),
            ["batches: items missing"] = Post("/v1/batches", "{}", "items"),
            ["batches: items null"] = Post("/v1/batches", "{\"items\":null}", "items"),
            ["batches: items a string"] = Post("/v1/batches", "{\"items\":\"http://example.com\"}", "items"),
            ["batches: items an object"] = Post("/v1/batches", $"{{\"items\":{item}}}", "items"),
            ["batches: items empty"] = Post("/v1/batches", "{\"items\":[]}", "items"),
            ["batches: 10,001 items"] = Post("/v1/batches", items10001, "items"),
            ["batches: item a number"] = Post("/v1/batches", "{\"items\":[42]}", "items[0]"),
            ["batches: item url missing"] = Post("/v1/batches", "{\"items\":[{\"custom_id\":\"a\"}]}", "items[0].url"),
            ["batches: item url a number"] = Post("/v1/batches", "{\"items\":[{\"url\":5}]}", "items[0].url"),
            ["batches: item url a huge number"] = Post("/v1/batches", "{\"items\":[{\"url\":1e400}]}", "items[0].url"),
            ["batches: item url empty"] = Post("/v1/batches", "{\"items\":[{\"url\":\"\"}]}", "items[0].url"),
            ["batches: item url relative"] = Post("/v1/batches", "{\"items\":[{\"url\":\"/page\"}]}", "items[0].url"),
            ["batches: item url ftp"] = Post("/v1/batches", "{\"items\":[{\"url\":\"ftp://example.com/x\"}]}", "items[0].url"),
            ["batches: item url javascript"] = Post("/v1/batches", "{\"items\":[{\"url\":\"javascript:alert(1)\"}]}", "items[0].url"),
            ["batches: item url with a space in the host"] = Post("/v1/batches", "{\"items\":[{\"url\":\"http://exa mple.com/\"}]}", "items[0].url"),
            ["batches: item url 2,049 chars"] = Post("/v1/batches", $"{{\"items\":[{{\"url\":{Quote(UrlOfLength(2049))}}}]}}", "items[0].url"),
            ["batches: second item url bad"] = Post("/v1/batches", $"{{\"items\":[{item},{{\"url\":\"nope\"}}]}}", "items[1].url"),
            ["batches: custom_id 129 chars"] = Post("/v1/batches", $"{{\"items\":[{{\"url\":\"{Ok}\",\"custom_id\":\"{new string('x', 129)}\"}}]}}", "items[0].custom_id"),
            ["batches: custom_id 129 unicode chars"] = Post("/v1/batches", $"{{\"items\":[{{\"url\":\"{Ok}\",\"custom_id\":\"{new string('é', 129)}\"}}]}}", "items[0].custom_id"),
            ["batches: custom_id a number"] = Post("/v1/batches", $"{{\"items\":[{{\"url\":\"{Ok}\",\"custom_id\":7}}]}}", "items[0].custom_id"),
            ["batches: custom_id duplicated"] = Post("/v1/batches",
                $"{{\"items\":[{{\"url\":\"{Ok}\",\"custom_id\":\"日本\"}},{{\"url\":\"{Ok}\",\"custom_id\":\"日本\"}}]}}", "items[1].custom_id"),
            ["batches: webhook a number"] = Post("/v1/batches", $"{{\"items\":[{item}],\"webhook\":12}}", "webhook"),
            ["batches: webhook relative"] = Post("/v1/batches", $"{{\"items\":[{item}],\"webhook\":\"/hooks\"}}", "webhook"),
            ["batches: webhook with fragment"] = Post("/v1/batches", $"{{\"items\":[{item}],\"webhook\":\"https://example.com/h#x\"}}", "webhook"),
            ["batches: webhook with user-info"] = Post("/v1/batches", $"{{\"items\":[{item}],\"webhook\":\"https://user:pw@example.com/h\"}}", "webhook"),
            ["batches: webhook 2,049 chars"] = Post("/v1/batches", $"{{\"items\":[{item}],\"webhook\":{Quote(UrlOfLength(2049))}}}", "webhook"),
            ["batches: webhook and webhook_url differ"] = Post("/v1/batches",
                $"{{\"items\":[{item}],\"webhook\":\"https://a.example/h\",\"webhook_url\":\"https://b.example/h\"}}", "webhook"),
            ["batches: webhook_url bad"] = Post("/v1/batches", $"{{\"items\":[{item}],\"webhook_url\":\"mailto:a@example.com\"}}", "webhook_url"),
            ["batches: duplicate JSON keys"] = Post("/v1/batches", $"{{\"items\":[{item}],\"items\":[{item}]}}", null),
            ["batches: malformed JSON"] = Post("/v1/batches", "{\"items\":[", null),
            ["batches: trailing garbage"] = Post("/v1/batches", $"{{\"items\":[{item}]}} x", null),
            ["batches: a JSON array"] = Post("/v1/batches", $"[{item}]", null),
            ["batches: a JSON string"] = Post("/v1/batches", "\"items\"", null),
            ["batches: JSON null"] = Post("/v1/batches", "null", null),
            ["batches: empty body"] = Post("/v1/batches", "", null),
            ["batches: nested 40 deep"] = Post("/v1/batches", deep, null),
            ["batches: text/plain"] = new("POST", "/v1/batches", $"{{\"items\":[{item}]}}", HttpStatusCode.UnsupportedMediaType, null, "text/plain"),
            ["batches: form encoded"] = new("POST", "/v1/batches", "items=x", HttpStatusCode.UnsupportedMediaType, null, "application/x-www-form-urlencoded"),
            ["batches: no content type"] = new("POST", "/v1/batches", $"{{\"items\":[{item}]}}", HttpStatusCode.UnsupportedMediaType, null, null),
            ["batches: body over 8 MiB"] = Post("/v1/batches", over8MiB, null, HttpStatusCode.RequestEntityTooLarge),
            ["batches: Idempotency-Key 256 chars"] = new("POST", "/v1/batches", $"{{\"items\":[{item}]}}", HttpStatusCode.BadRequest, "Idempotency-Key",
                IdempotencyKey: new string('k', 256)),

            // POST /v1/crawls and its camelCase alias.
            ["crawls: start_url missing"] = Post("/v1/crawls", "{\"max_pages\":5}", "start_url"),
            ["crawls: start_url a list"] = Post("/v1/crawls", $"{{\"start_url\":[\"{Ok}\"]}}", "start_url"),
            ["crawls: start_url not http"] = Post("/v1/crawls", "{\"start_url\":\"file:///etc/passwd\"}", "start_url"),
            ["crawls: start_url 2,049 chars"] = Post("/v1/crawls", $"{{\"start_url\":{Quote(UrlOfLength(2049))}}}", "start_url"),
            ["crawls: max_pages 0"] = Post("/v1/crawls", $"{{\"start_url\":\"{Ok}\",\"max_pages\":0}}", "max_pages"),
            ["crawls: max_pages 1001"] = Post("/v1/crawls", $"{{\"start_url\":\"{Ok}\",\"max_pages\":1001}}", "max_pages"),
            ["crawls: max_pages a string"] = Post("/v1/crawls", $"{{\"start_url\":\"{Ok}\",\"max_pages\":\"10\"}}", "max_pages"),
            ["crawls: max_pages a fraction"] = Post("/v1/crawls", $"{{\"start_url\":\"{Ok}\",\"max_pages\":2.5}}", "max_pages"),
            ["crawls: max_pages huge"] = Post("/v1/crawls", $"{{\"start_url\":\"{Ok}\",\"max_pages\":99999999999999999999999}}", "max_pages"),
            ["crawls: max_pages true"] = Post("/v1/crawls", $"{{\"start_url\":\"{Ok}\",\"max_pages\":true}}", "max_pages"),
            ["crawls: max_depth 21"] = Post("/v1/crawls", $"{{\"start_url\":\"{Ok}\",\"max_depth\":21}}", "max_depth"),
            ["crawls: max_depth -1"] = Post("/v1/crawls", $"{{\"start_url\":\"{Ok}\",\"max_depth\":-1}}", "max_depth"),
            ["crawls: webhook and webhook_url differ"] = Post("/v1/crawls",
                $"{{\"start_url\":\"{Ok}\",\"webhook\":\"https://a.example/h\",\"webhook_url\":\"https://b.example/h\"}}", "webhook"),
            ["crawls: malformed JSON"] = Post("/v1/crawls", "{\"start_url\":}", null),
            ["crawls: Idempotency-Key 256 chars"] = new("POST", "/v1/crawls", $"{{\"start_url\":\"{Ok}\"}}", HttpStatusCode.BadRequest, "Idempotency-Key",
                IdempotencyKey: new string('k', 256)),
            ["web/crawl: url missing"] = Post("/v1/web/crawl", "{\"maxPages\":5}", "url"),
            ["web/crawl: snake_case fields"] = Post("/v1/web/crawl", $"{{\"start_url\":\"{Ok}\"}}", "url"),
            ["web/crawl: maxPages 0"] = Post("/v1/web/crawl", $"{{\"url\":\"{Ok}\",\"maxPages\":0}}", "maxPages"),
            ["web/crawl: maxDepth 21"] = Post("/v1/web/crawl", $"{{\"url\":\"{Ok}\",\"maxDepth\":21}}", "maxDepth"),
            ["web/crawl: webhookUrl ftp"] = Post("/v1/web/crawl", $"{{\"url\":\"{Ok}\",\"webhookUrl\":\"ftp://example.com/h\"}}", "webhookUrl"),
            ["web/crawl: text/plain"] = new("POST", "/v1/web/crawl", $"{{\"url\":\"{Ok}\"}}", HttpStatusCode.UnsupportedMediaType, null, "text/plain"),

            // Lists: limits and cursors.
            ["items: limit 0"] = Get("/v1/batches/{batch}/items?limit=0", "limit"),
            ["items: limit 1001"] = Get("/v1/batches/{batch}/items?limit=1001", "limit"),
            ["items: limit not a number"] = Get("/v1/batches/{batch}/items?limit=ten", "limit"),
            ["items: limit negative"] = Get("/v1/batches/{batch}/items?limit=-5", "limit"),
            ["items: cursor garbage"] = Get("/v1/batches/{batch}/items?cursor=%25%25%25", "cursor"),
            ["items: cursor of the page list"] = Get("/v1/batches/{batch}/items?cursor=" + Base64Url("c1:page_00001"), "cursor"),
            ["items: cursor 2,000 chars"] = Get("/v1/batches/{batch}/items?cursor=" + new string('A', 2000), "cursor"),
            ["pages: limit 1001"] = Get("/v1/crawls/{crawl}/pages?limit=1001", "limit"),
            ["pages: cursor of the item list"] = Get("/v1/crawls/{crawl}/pages?cursor=" + Base64Url("c1:item_00000"), "cursor"),
            ["events: limit 101"] = Get("/v1/events?limit=101", "limit"),
            ["events: limit twice"] = Get("/v1/events?limit=1&limit=2", "limit"),
            ["events: cursor garbage"] = Get("/v1/events?cursor=not-a-cursor!", "cursor"),
            ["events: cursor of another list"] = Get("/v1/events?cursor=" + Base64Url("c1:delivery_x"), "cursor"),
            ["events: unknown type"] = Get("/v1/events?type=event.batch.exploded", "type"),
            ["events: resource_id 300 chars"] = Get("/v1/events?resource_id=" + new string('r', 300), "resource_id"),
            ["deliveries: unknown status"] = Get("/v1/deliveries?status=lost", "status"),
            ["deliveries: since not a time"] = Get("/v1/deliveries?since=yesterday", "since"),
            ["deliveries: until before since"] = Get("/v1/deliveries?since=2025-01-02T00:00:00Z&until=2025-01-01T00:00:00Z", "until"),
            ["deliveries: limit 0"] = Get("/v1/deliveries?limit=0", "limit"),
            ["deliveries: cursor garbage"] = Get("/v1/deliveries?cursor=%F0%9F%92%A5", "cursor"),

            // Resources by ids that are malformed, of another kind or unknown.
            ["batch id too short"] = Get("/v1/batches/batch_abc", null, HttpStatusCode.NotFound),
            ["batch id uppercase"] = Get("/v1/batches/batch_ABCDEFGHIJKLMNOP", null, HttpStatusCode.NotFound),
            ["batch id of a crawl"] = Get("/v1/batches/{crawl}", null, HttpStatusCode.NotFound),
            ["batch id unicode"] = Get("/v1/batches/batch_%E2%98%83%E2%98%83%E2%98%83%E2%98%83%E2%98%83%E2%98%83%E2%98%83%E2%98%83", null, HttpStatusCode.NotFound),
            ["batch id 4,000 chars"] = Get("/v1/batches/batch_" + new string('a', 4000), null, HttpStatusCode.NotFound),
            ["items of a crawl id"] = Get("/v1/batches/{crawl}/items", null, HttpStatusCode.NotFound),
            ["content of an unknown item"] = Get("/v1/batches/{batch}/items/nope/content", null, HttpStatusCode.NotFound),
            ["content of position 99"] = Get("/v1/batches/{batch}/items/99/content", null, HttpStatusCode.NotFound),
            ["crawl id of a batch"] = Get("/v1/crawls/{batch}", null, HttpStatusCode.NotFound),
            ["pages of an unknown crawl"] = Get("/v1/crawls/crawl_0000000000000000/pages", null, HttpStatusCode.NotFound),
            ["event id unknown"] = Get("/v1/events/event_0000000000000000", null, HttpStatusCode.NotFound),
            ["event id of a batch"] = Get("/v1/events/{batch}", null, HttpStatusCode.NotFound),
            ["event id with a quote"] = Get("/v1/events/event_'%20or%20''='", null, HttpStatusCode.NotFound),

            // PATCH /v1/team.
            ["team: empty object"] = new("PATCH", "/v1/team", "{}", HttpStatusCode.BadRequest, ""),
            ["team: default_webhook_url a number"] = new("PATCH", "/v1/team", "{\"default_webhook_url\":1}", HttpStatusCode.BadRequest, "default_webhook_url"),
            ["team: default_webhook_url relative"] = new("PATCH", "/v1/team", "{\"default_webhook_url\":\"hooks\"}", HttpStatusCode.BadRequest, "default_webhook_url"),
            ["team: default_webhook_url 2,049 chars"] = new("PATCH", "/v1/team", $"{{\"default_webhook_url\":{Quote(UrlOfLength(2049))}}}", HttpStatusCode.BadRequest, "default_webhook_url"),
            ["team: retry_policy unknown"] = new("PATCH", "/v1/team", "{\"retry_policy\":\"forever\"}", HttpStatusCode.BadRequest, "retry_policy"),
            ["team: retry_policy a number"] = new("PATCH", "/v1/team", "{\"retry_policy\":5}", HttpStatusCode.BadRequest, "retry_policy"),
            ["team: one bad field spoils the good one"] = new("PATCH", "/v1/team",
                "{\"default_webhook_url\":\"https://example.com/h\",\"retry_policy\":\"nope\"}", HttpStatusCode.BadRequest, "retry_policy"),
            ["team: malformed JSON"] = new("PATCH", "/v1/team", "{\"retry_policy\":", HttpStatusCode.BadRequest, null),
            ["team: duplicate JSON keys"] = new("PATCH", "/v1/team", "{\"retry_policy\":\"short\",\"retry_policy\":\"standard\"}", HttpStatusCode.BadRequest, null),
            ["team: text/plain"] = new("PATCH", "/v1/team", "{\"retry_policy\":\"short\"}", HttpStatusCode.UnsupportedMediaType, null, "text/plain"),

            // POST /v1/events/{id}/redeliver.
            ["redeliver: url ftp"] = Post("/v1/events/{event}/redeliver", "{\"url\":\"ftp://example.com/h\"}", "url"),
            ["redeliver: url a number"] = Post("/v1/events/{event}/redeliver", "{\"url\":5}", "url"),
            ["redeliver: url with fragment"] = Post("/v1/events/{event}/redeliver", "{\"url\":\"https://example.com/h#f\"}", "url"),
            ["redeliver: malformed JSON"] = Post("/v1/events/{event}/redeliver", "{\"url\"", null),
            ["redeliver: a JSON array"] = Post("/v1/events/{event}/redeliver", "[\"https://example.com/h\"]", null),
            ["redeliver: text/plain"] = new("POST", "/v1/events/{event}/redeliver", "{\"url\":\"{receiver}\"}", HttpStatusCode.UnsupportedMediaType, null, "text/plain"),
            ["redeliver: unknown event"] = Post("/v1/events/event_0000000000000000/redeliver", "{\"url\":\"{receiver}\"}", null, HttpStatusCode.NotFound),

            // POST /v1/deliveries/recover.
            ["recover: since missing"] = Post("/v1/deliveries/recover", "{}", "since"),
            ["recover: since not a time"] = Post("/v1/deliveries/recover", "{\"since\":\"last tuesday\"}", "since"),
            ["recover: since a number"] = Post("/v1/deliveries/recover", "{\"since\":1737570000000}", "since"),
            ["recover: window over 14 days"] = Post("/v1/deliveries/recover", "{\"since\":\"2025-01-01T00:00:00Z\",\"until\":\"2025-01-20T00:00:00Z\"}", "since"),
            ["recover: until before since"] = Post("/v1/deliveries/recover", "{\"since\":\"2025-01-02T00:00:00Z\",\"until\":\"2025-01-01T00:00:00Z\"}", "until"),
            ["recover: a JSON number"] = Post("/v1/deliveries/recover", "42", null),

            // POST /v1/webhooks/test.
            ["ping: url missing"] = Post("/v1/webhooks/test", "{}", "url"),
            ["ping: url not a URL"] = Post("/v1/webhooks/test", "{\"url\":\"not a url\"}", "url"),
            ["ping: url with user-info"] = Post("/v1/webhooks/test", "{\"url\":\"https://u:p@example.com/h\"}", "url"),
            ["ping: url 2,049 chars"] = Post("/v1/webhooks/test", $"{{\"url\":{Quote(UrlOfLength(2049))}}}", "url"),
            ["ping: text/plain"] = new("POST", "/v1/webhooks/test", "{\"url\":\"{receiver}\"}", HttpStatusCode.UnsupportedMediaType, null, "text/plain"),

            // The endpoints routes.
            ["endpoints: url missing"] = Post("/v1/endpoints", "{\"description\":\"no url\"}", "url"),
            ["endpoints: url relative"] = Post("/v1/endpoints", "{\"url\":\"/hooks\"}", "url"),
            ["endpoints: url 2,049 chars"] = Post("/v1/endpoints", $"{{\"url\":{Quote(UrlOfLength(2049))}}}", "url"),
            ["endpoints: event_types empty"] = Post("/v1/endpoints", "{\"url\":\"{receiver}\",\"event_types\":[]}", "event_types"),
            ["endpoints: event_types unknown"] = Post("/v1/endpoints", "{\"url\":\"{receiver}\",\"event_types\":[\"event.batch.completed\",\"event.nope\"]}", "event_types[1]"),
            ["endpoints: event_types operational"] = Post("/v1/endpoints", "{\"url\":\"{receiver}\",\"event_types\":[\"event.endpoint.disabled\"]}", "event_types[0]"),
            ["endpoints: event_types duplicated"] = Post("/v1/endpoints",
                "{\"url\":\"{receiver}\",\"event_types\":[\"event.ping\",\"event.ping\"]}", "event_types[1]"),
            ["endpoints: rate_limit_per_s 0"] = Post("/v1/endpoints", "{\"url\":\"{receiver}\",\"rate_limit_per_s\":0}", "rate_limit_per_s"),
            ["endpoints: rate_limit_per_s huge"] = Post("/v1/endpoints", "{\"url\":\"{receiver}\",\"rate_limit_per_s\":1e30}", "rate_limit_per_s"),
            ["endpoints: description 501 chars"] = Post("/v1/endpoints", $"{{\"url\":\"{{receiver}}\",\"description\":\"{new string('d', 501)}\"}}", "description"),
            ["endpoints: malformed JSON"] = Post("/v1/endpoints", "{\"url\":", null),
            ["endpoints: text/plain"] = new("POST", "/v1/endpoints", "{\"url\":\"{receiver}\"}", HttpStatusCode.UnsupportedMediaType, null, "text/plain"),
            ["endpoints: Idempotency-Key 256 chars"] = new("POST", "/v1/endpoints", "{\"url\":\"{receiver}\"}", HttpStatusCode.BadRequest, "Idempotency-Key",
                IdempotencyKey: new string('k', 256)),
            ["endpoints: limit 0"] = Get("/v1/endpoints?limit=0", "limit"),
            ["endpoints: cursor of the event list"] = Get("/v1/endpoints?cursor=" + Base64Url("c1:event_x"), "cursor"),
            ["endpoint id unknown"] = Get("/v1/endpoints/ep_0000000000000000", null, HttpStatusCode.NotFound),
            ["endpoint id of an event"] = Get("/v1/endpoints/{event}", null, HttpStatusCode.NotFound),
            ["endpoint: patch empty object"] = new("PATCH", "/v1/endpoints/{endpoint}", "{}", HttpStatusCode.BadRequest, ""),
            ["endpoint: patch status"] = new("PATCH", "/v1/endpoints/{endpoint}", "{\"status\":\"disabled\"}", HttpStatusCode.BadRequest, "status"),
            ["endpoint: patch url null"] = new("PATCH", "/v1/endpoints/{endpoint}", "{\"url\":null}", HttpStatusCode.BadRequest, "url"),
            ["endpoint: patch event_types a string"] = new("PATCH", "/v1/endpoints/{endpoint}", "{\"event_types\":\"event.ping\"}", HttpStatusCode.BadRequest, "event_types"),
            ["endpoint: patch malformed JSON"] = new("PATCH", "/v1/endpoints/{endpoint}", "{\"url\"", HttpStatusCode.BadRequest, null),
            ["endpoint: delete unknown"] = new("DELETE", "/v1/endpoints/ep_0000000000000000", null, HttpStatusCode.NotFound, null),
            ["endpoint: enable recover a string"] = Post("/v1/endpoints/{endpoint}/enable", "{\"recover\":\"true\"}", "recover"),
            ["endpoint: enable malformed JSON"] = Post("/v1/endpoints/{endpoint}/enable", "{\"recover\":", null),
            ["endpoint: enable unknown"] = Post("/v1/endpoints/ep_0000000000000000/enable", "{\"recover\":true}", null, HttpStatusCode.NotFound),
            ["endpoint: health of a malformed id"] = Get("/v1/endpoints/ep_x/health", null, HttpStatusCode.NotFound),
            // SPEC §13: an endpoint's own signing secret and Ed25519 keys.
            ["endpoints: asymmetric_signing a string"] = Post("/v1/endpoints", "{\"url\":\"{receiver}\",\"asymmetric_signing\":\"yes\"}", "asymmetric_signing"),
            ["endpoints: asymmetric_signing null"] = Post("/v1/endpoints", "{\"url\":\"{receiver}\",\"asymmetric_signing\":null}", "asymmetric_signing"),
            ["endpoint: patch asymmetric_signing a number"] = new("PATCH", "/v1/endpoints/{endpoint}", "{\"asymmetric_signing\":1}", HttpStatusCode.BadRequest, "asymmetric_signing"),
            ["endpoint: signing-secret unknown"] = Get("/v1/endpoints/ep_0000000000000000/signing-secret", null, HttpStatusCode.NotFound),
            ["endpoint: signing-secret of a malformed id"] = Get("/v1/endpoints/ep_x/signing-secret", null, HttpStatusCode.NotFound),
            ["endpoint: rotate unknown"] = new("POST", "/v1/endpoints/ep_0000000000000000/signing-secret/rotate", null, HttpStatusCode.NotFound, null),
            ["endpoint: public-keys of an event id"] = Get("/v1/endpoints/{event}/public-keys", null, HttpStatusCode.NotFound),
            ["team: asymmetric_signing a string"] = new("PATCH", "/v1/team", "{\"asymmetric_signing\":\"true\"}", HttpStatusCode.BadRequest, "asymmetric_signing"),
            ["team: asymmetric_signing an object"] = new("PATCH", "/v1/team", "{\"asymmetric_signing\":{}}", HttpStatusCode.BadRequest, "asymmetric_signing"),

            // GET /v1/stats (SPEC §14).
            ["stats: bucket PT5M"] = Get("/v1/stats?bucket=PT5M", "bucket"),
            ["stats: bucket twice"] = Get("/v1/stats?bucket=PT1H&bucket=P1D", "bucket"),
            ["stats: since not a time"] = Get("/v1/stats?since=yesterday", "since"),
            ["stats: until not a time"] = Get("/v1/stats?until=soon", "until"),
            ["stats: until before since"] = Get("/v1/stats?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z", "until"),
            ["stats: until equal to since"] = Get("/v1/stats?since=2026-01-02T00:00:00Z&until=2026-01-02T00:00:00Z", "until"),
            ["stats: 32 days"] = Get("/v1/stats?since=2026-01-01T00:00:00Z&until=2026-02-02T00:00:00Z&bucket=P1D", "since"),
            ["stats: 745 hours once widened"] = Get("/v1/stats?since=2026-01-01T00:30:00Z&until=2026-02-01T00:30:00Z", "since"),
            ["stats: endpoint_id malformed"] = Get("/v1/stats?endpoint_id=ep_x", "endpoint_id"),
            ["stats: endpoint_id of an event"] = Get("/v1/stats?endpoint_id={event}", "endpoint_id"),
            ["stats: endpoint_id unknown"] = Get("/v1/stats?endpoint_id=ep_0000000000000000", null, HttpStatusCode.NotFound),

            // SPEC §13: headers, oauth2, client_certificate.
            ["endpoints: headers a list"] = Post("/v1/endpoints", "{\"url\":\"{receiver}\",\"headers\":[\"X-A: 1\"]}", "headers"),
            ["endpoints: header value a number"] = Post("/v1/endpoints", "{\"url\":\"{receiver}\",\"headers\":{\"X-A\":1}}", "headers.X-A"),
            ["endpoints: header name not a token"] = Post("/v1/endpoints", "{\"url\":\"{receiver}\",\"headers\":{\"X A\":\"1\"}}", "headers.X A"),
            ["endpoints: header value with a line break"] = Post("/v1/endpoints", "{\"url\":\"{receiver}\",\"headers\":{\"X-A\":\"1\\r\\nX-B: 2\"}}", "headers.X-A"),
            ["endpoints: header Content-Type reserved"] = Post("/v1/endpoints", "{\"url\":\"{receiver}\",\"headers\":{\"content-type\":\"text/plain\"}}", "headers.content-type"),
            ["endpoints: header webhook-signature reserved"] = Post("/v1/endpoints", "{\"url\":\"{receiver}\",\"headers\":{\"Webhook-Signature\":\"v1,x\"}}", "headers.Webhook-Signature"),
            ["endpoints: header X-Webhook-Event reserved"] = Post("/v1/endpoints", "{\"url\":\"{receiver}\",\"headers\":{\"X-Webhook-Event\":\"x\"}}", "headers.X-Webhook-Event"),
            ["endpoints: 21 headers"] = Post("/v1/endpoints",
                "{\"url\":\"{receiver}\",\"headers\":{" + string.Join(',', Enumerable.Range(0, 21).Select(i => $"\"X-H{i}\":\"v\"")) + "}}", "headers"),
            ["endpoints: headers over 4 KiB"] = Post("/v1/endpoints", $"{{\"url\":\"{{receiver}}\",\"headers\":{{\"X-A\":\"{new string('a', 4100)}\"}}}}", "headers"),
            ["endpoints: Authorization header beside oauth2"] = Post("/v1/endpoints",
                "{\"url\":\"{receiver}\",\"oauth2\":{\"token_url\":\"https://login.example.com/token\",\"client_id\":\"a\",\"client_secret\":\"b\"},\"headers\":{\"Authorization\":\"x\"}}",
                "headers.Authorization"),
            ["endpoints: oauth2 a string"] = Post("/v1/endpoints", "{\"url\":\"{receiver}\",\"oauth2\":\"https://login.example.com/token\"}", "oauth2"),
            ["endpoints: oauth2 token_url relative"] = Post("/v1/endpoints",
                "{\"url\":\"{receiver}\",\"oauth2\":{\"token_url\":\"/token\",\"client_id\":\"a\",\"client_secret\":\"b\"}}", "oauth2.token_url"),
            ["endpoints: oauth2 client_id missing"] = Post("/v1/endpoints",
                "{\"url\":\"{receiver}\",\"oauth2\":{\"token_url\":\"https://login.example.com/token\",\"client_secret\":\"b\"}}", "oauth2.client_id"),
            ["endpoints: oauth2 client_secret a number"] = Post("/v1/endpoints",
                "{\"url\":\"{receiver}\",\"oauth2\":{\"token_url\":\"https://login.example.com/token\",\"client_id\":\"a\",\"client_secret\":5}}", "oauth2.client_secret"),
            ["endpoints: oauth2 scope 1,025 chars"] = Post("/v1/endpoints",
                $"{{\"url\":\"{{receiver}}\",\"oauth2\":{{\"token_url\":\"https://login.example.com/token\",\"client_id\":\"a\",\"client_secret\":\"b\",\"scope\":\"{new string('s', 1025)}\"}}}}", "oauth2.scope"),
            ["endpoints: client_certificate a string"] = Post("/v1/endpoints", "{\"url\":\"{receiver}\",\"client_certificate\":\"-----BEGIN CERTIFICATE-----\"}", "client_certificate"),
            ["endpoints: client_certificate pem unreadable"] = Post("/v1/endpoints",
                "{\"url\":\"{receiver}\",\"client_certificate\":{\"pem\":\"-----BEGIN CERTIFICATE-----\\nnope\\n-----END CERTIFICATE-----\"}}", "client_certificate.pem"),
            ["endpoints: client_certificate pem over 16 KiB"] = Post("/v1/endpoints",
                $"{{\"url\":\"{{receiver}}\",\"client_certificate\":{{\"pem\":\"{new string('p', 16 * 1024 + 1)}\"}}}}", "client_certificate.pem"),
            ["endpoint: patch headers a number"] = new("PATCH", "/v1/endpoints/{endpoint}", "{\"headers\":5}", HttpStatusCode.BadRequest, "headers"),
            ["endpoint: patch oauth2 without a secret, none stored"] = new("PATCH", "/v1/endpoints/{endpoint}",
                "{\"oauth2\":{\"token_url\":\"https://login.example.com/token\",\"client_id\":\"a\"}}", HttpStatusCode.BadRequest, "oauth2.client_secret"),

            // PATCH /v1/team operations_webhook_url.
            ["team: operations_webhook_url with user-info"] = new("PATCH", "/v1/team", "{\"operations_webhook_url\":\"https://u:p@example.com/o\"}",
                HttpStatusCode.BadRequest, "operations_webhook_url"),
            ["team: operations_webhook_url a list"] = new("PATCH", "/v1/team", "{\"operations_webhook_url\":[\"https://example.com/o\"]}",
                HttpStatusCode.BadRequest, "operations_webhook_url"),

            // POST /v1/admin/teams (with the admin key).
            ["admin teams: name missing"] = new("POST", "/v1/admin/teams", "{}", HttpStatusCode.BadRequest, "name", Admin: true),
            ["admin teams: name blank"] = new("POST", "/v1/admin/teams", "{\"name\":\"   \"}", HttpStatusCode.BadRequest, "name", Admin: true),
            ["admin teams: name a number"] = new("POST", "/v1/admin/teams", "{\"name\":3}", HttpStatusCode.BadRequest, "name", Admin: true),
            ["admin teams: name 201 chars"] = new("POST", "/v1/admin/teams", $"{{\"name\":\"{new string('n', 201)}\"}}", HttpStatusCode.BadRequest, "name", Admin: true),
            ["admin teams: malformed JSON"] = new("POST", "/v1/admin/teams", "{name:1}", HttpStatusCode.BadRequest, null, Admin: true),
            ["admin teams: text/plain"] = new("POST", "/v1/admin/teams", "{\"name\":\"x\"}", HttpStatusCode.UnsupportedMediaType, null, "text/plain", Admin: true),

            // DELETE /v1/admin/teams/{id} (with the admin key): only an existing team is erased.
            ["admin delete team: unknown team"] = new("DELETE", "/v1/admin/teams/team_0000000000000000", null, HttpStatusCode.NotFound, null, null, Admin: true),
            ["admin delete team: not a team id"] = new("DELETE", "/v1/admin/teams/batch_0000000000000000", null, HttpStatusCode.NotFound, null, null, Admin: true),
            ["admin delete team: malformed id"] = new("DELETE", "/v1/admin/teams/team_%27%20or%201", null, HttpStatusCode.NotFound, null, null, Admin: true),
        };
        return cases;
    }

    private static string Base64Url(string text) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
}
