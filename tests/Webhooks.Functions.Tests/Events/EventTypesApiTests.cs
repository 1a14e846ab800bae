using System.Net;
using System.Text.Json.Nodes;
using Webhooks.Functions.Events;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Events;

/// <summary><c>GET /v1/event-types</c> (SPEC §11): every event type with its schema file served as it is.</summary>
public sealed class EventTypesApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task ListEventTypes_WithTheTeamKey_EveryTypeWithItsSchemaFileAsItIs()
    {
        using var client = App.Client();
        var body = await (await client.GetAsync("/v1/event-types")).AssertJsonAsync(HttpStatusCode.OK);

        var listed = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(EventTypes.All, listed.Select(t => t.GetProperty("type").GetString()));
        Assert.All(listed, t =>
        {
            var type = t.GetProperty("type").GetString()!;
            var file = JsonNode.Parse(File.ReadAllText(Path.Combine(EventSchemas.Folder, EventTypeCatalog.SchemaFileName(type))))!;
            Assert.True(JsonNode.DeepEquals(file, JsonNode.Parse(t.GetProperty("schema").GetRawText())), $"{type}: the served schema differs from schemas/");
            Assert.Equal((string?)file["description"], t.GetProperty("description").GetString());
        });
        Assert.Equal(["data"], body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task ListEventTypes_WithoutAKey_401()
    {
        using var client = App.Client(apiKey: null);

        var response = await client.GetAsync("/v1/event-types");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
