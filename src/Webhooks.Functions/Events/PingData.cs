using Webhooks.Functions.Api.Documentation;

namespace Webhooks.Functions.Events;

/// <summary>The <c>data</c> of an <c>event.ping</c>: enough for a receiver to see whose test it is.</summary>
internal sealed record PingData(string Message, string TeamId) : IApiExample<PingData>
{
    public static PingData Example => new("This is a test event from Webhooks.Functions.", "team_a1b2c3d4e5f6g7h8");
}
