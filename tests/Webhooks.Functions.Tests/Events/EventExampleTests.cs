using System.Text.Json;
using Webhooks.Functions.Api;
using Webhooks.Functions.Events;
using Webhooks.Functions.Jobs;

namespace Webhooks.Functions.Tests.Events;

/// <summary>The event examples of the OpenAPI document write the example batch out (Events knows no job type): the same batch.</summary>
public sealed class EventExampleTests
{
    [Fact]
    public void EventDetailExample_CarriesTheBatchExampleAsItsData()
    {
        var batch = JsonSerializer.Serialize(BatchResponse.Example, ApiJson.Options);

        Assert.Equal(batch, EventDetail.Example.Data.GetRawText());
        Assert.Equal(BatchResponse.Example.Id, EventDetail.Example.ResourceId);
        Assert.Equal(BatchResponse.Example.Id, EventListItem.Example.ResourceId);
    }
}
