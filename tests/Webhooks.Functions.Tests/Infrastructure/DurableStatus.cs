using Webhooks.Functions.Hosting.Durable;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// An orchestration's runtime status, asked of the app's own Durable client. A test that shows nothing more is sent
/// waits for the delivery's orchestration to end first: once it has, no attempt of it can come late.
/// </summary>
public static class DurableStatus
{
    /// <summary>The statuses of an orchestration that has ended, as the Durable client names them.</summary>
    public static readonly IReadOnlyList<string> Ended = ["Completed", "Failed", "Terminated"];

    /// <summary>The runtime status (<c>Running</c>, <c>Completed</c> …), or null when there is no such instance.</summary>
    public static Task<string?> OfAsync(TestApp app, string instanceId) =>
        app.Services.GetRequiredService<StandaloneDurableEngine>().GetRuntimeStatusAsync(instanceId);

    /// <summary>Waits (bounded) until the orchestration <paramref name="instanceId"/> has ended; returns how it ended.</summary>
    public static async Task<string> WaitForEndAsync(TestApp app, string instanceId, TimeSpan? timeout = null) =>
        (await Eventually.WaitAsync(() => OfAsync(app, instanceId), s => s is not null && Ended.Contains(s), timeout,
            $"orchestration {instanceId} to end"))!;
}
