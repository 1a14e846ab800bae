using Microsoft.DurableTask;

namespace Webhooks.Bench.Scenarios.Engine;

/// <summary>An activity that does nothing but say when it ran (where a delivery attempt would POST).</summary>
internal sealed class NoopActivity(Action<string> ran) : TaskActivity<string, string>
{
    public const string Name = "Noop";

    public override Task<string> RunAsync(TaskActivityContext context, string input)
    {
        ran(input);
        return Task.FromResult(input);
    }
}
