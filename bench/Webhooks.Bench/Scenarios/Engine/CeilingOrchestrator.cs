using Microsoft.DurableTask;

namespace Webhooks.Bench.Scenarios.Engine;

/// <summary>The shape of a delivery orchestration with nothing in it: an activity per attempt, durable timers between.</summary>
internal sealed class CeilingOrchestrator : TaskOrchestrator<string, string>
{
    public const string Name = "Ceiling";

    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        await context.CallActivityAsync<string>(NoopActivity.Name, context.InstanceId);
        switch (input)
        {
            case CeilingWorkload.Wait:
                await context.CreateTimer(TimeSpan.FromHours(1), CancellationToken.None);
                break;
            case CeilingWorkload.Retry:
                await context.CreateTimer(TimeSpan.FromSeconds(1), CancellationToken.None);
                await context.CallActivityAsync<string>(NoopActivity.Name, context.InstanceId);
                break;
        }
        return input;
    }
}
