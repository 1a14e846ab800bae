using System.Net;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Jobs;

public sealed class CreateAdmissionTests
{
    [Fact]
    public async Task CreatesBeyondTheConcurrencyLimit_Answer429WithRetryAfter_NeverFail()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Jobs:MaxConcurrentCreates"] = "1",
            ["Jobs:CreateQueueTimeout"] = "00:00:00",
        });
        using var client = app.Client();
        var items = string.Join(',', Enumerable.Range(0, 2000).Select(i => $$"""{"url":"http://127.0.0.1:9/{{i}}"}"""));
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            client.PostAsync("/v1/batches", HttpAssertions.Json($$"""{"items":[{{items}}]}"""))));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.TooManyRequests, r.StatusCode.ToString()));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Created);
        var refused = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
    }
}
