using System.Net;
using System.Text.Json;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Endpoints;

/// <summary>A fresh team per test (so that its endpoints are its own), and endpoint calls with what they answer.</summary>
internal static class EndpointsKit
{
    public const string Url = "https://receiver.example/hooks";

    public static async Task<HttpClient> NewTeamClientAsync(TestApp app)
    {
        using var admin = app.Client(TestApp.AdminKey);
        var team = await (await admin.PostAsync("/v1/admin/teams", Json("""{"name":"endpoints"}"""))).AssertJsonAsync(HttpStatusCode.Created);
        return app.Client(team.GetProperty("api_key").GetString());
    }

    public static async Task<JsonElement> CreateAsync(HttpClient client, string body = $$"""{"url":"{{Url}}"}""") =>
        await (await client.PostAsync("/v1/endpoints", Json(body))).AssertJsonAsync(HttpStatusCode.Created);

    public static string Id(JsonElement endpoint) => endpoint.GetProperty("id").GetString()!;

    public static string[] Ids(JsonElement page) => page.GetProperty("data").EnumerateArray().Select(Id).ToArray();
}
