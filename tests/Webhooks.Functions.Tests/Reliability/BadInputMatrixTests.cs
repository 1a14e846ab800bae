using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Reliability;

/// <summary>
/// SPEC §7 "bad input of every kind gets a clear 4xx problem document, never a 500, and changes nothing": every case of
/// <see cref="BadInput.All"/>, across every route, checked for its status, its problem document, the field it names,
/// and an unchanged storage fingerprint afterwards.
/// </summary>
public sealed class BadInputMatrixTests(SecuritySuiteFixture fixture) : IClassFixture<SecuritySuiteFixture>
{
    public static TheoryData<string> Cases => new(BadInput.All.Keys);

    [Fact]
    public void Matrix_HasAtLeastSixtyCasesOverEveryRoute()
    {
        Assert.True(BadInput.All.Count >= 60, $"only {BadInput.All.Count} cases");
        var routes = BadInput.All.Values.Select(c => c.Method + " " + c.Path.Split('?')[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var route in new[]
                 {
                     "POST /v1/batches", "POST /v1/crawls", "POST /v1/web/crawl", "GET /v1/batches/{batch}/items", "GET /v1/crawls/{crawl}/pages",
                     "GET /v1/events", "GET /v1/deliveries", "PATCH /v1/team", "POST /v1/events/{event}/redeliver", "POST /v1/deliveries/recover",
                     "POST /v1/webhooks/test", "POST /v1/admin/teams", "DELETE /v1/admin/teams/team_0000000000000000",
                     "POST /v1/endpoints", "GET /v1/endpoints", "PATCH /v1/endpoints/{endpoint}", "POST /v1/endpoints/{endpoint}/enable",
                     "GET /v1/stats",
                 })
        {
            Assert.Contains(route, routes);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadRequest_Answers4xxProblemNamingIt_AndChangesNothing(string name)
    {
        var input = BadInput.All[name];
        var before = await fixture.SnapshotAsync();

        using var client = fixture.App.Client(input.Admin ? TestApp.AdminKey : TestApp.DevApiKey);
        using var request = new HttpRequestMessage(new HttpMethod(input.Method), Fill(input.Path));
        if (input.RawBody is not null || input.Body is not null)
        {
            var content = new ByteArrayContent(input.RawBody ?? Encoding.UTF8.GetBytes(Fill(input.Body!)));
            if (input.ContentType is not null)
            {
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(input.ContentType);
            }
            request.Content = content;
            // As a client of a large upload would: the server may refuse it before the body is sent.
            request.Headers.ExpectContinue = content.Headers.ContentLength > 1024 * 1024;
        }
        if (input.IdempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", input.IdempotencyKey);
        }
        using var response = await client.SendAsync(request);

        var problem = await response.AssertProblemAsync(input.Status);
        if (input.ErrorKey is not null)
        {
            var messages = problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(input.ErrorKey, out var found) ? found : default;
            Assert.True(messages.ValueKind != JsonValueKind.Undefined, $"{name}: the problem does not name '{input.ErrorKey}': {problem}");
            Assert.True(messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() > 0
                && messages.EnumerateArray().All(m => !string.IsNullOrWhiteSpace(m.GetString())), $"{name}: no message for '{input.ErrorKey}': {problem}");
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(problem.TryGetProperty("detail", out var detail) ? detail.GetString() : null),
                $"{name}: the problem says nothing about what was wrong: {problem}");
        }

        var after = await fixture.SnapshotAsync();
        Assert.True(before == after, $"{name} changed storage:\n{Diff(before, after)}");
    }

    private string Fill(string text) => text
        .Replace("{batch}", fixture.BatchId, StringComparison.Ordinal)
        .Replace("{crawl}", fixture.CrawlId, StringComparison.Ordinal)
        .Replace("{event}", fixture.EventId, StringComparison.Ordinal)
        .Replace("{endpoint}", fixture.EndpointId, StringComparison.Ordinal)
        .Replace("{receiver}", fixture.ReceiverUrl, StringComparison.Ordinal);

    private static string Diff(string before, string after)
    {
        var was = before.Split('\n').ToHashSet(StringComparer.Ordinal);
        var now = after.Split('\n').ToHashSet(StringComparer.Ordinal);
        return string.Join('\n', was.Except(now).Select(l => "- " + l).Concat(now.Except(was).Select(l => "+ " + l)));
    }
}
