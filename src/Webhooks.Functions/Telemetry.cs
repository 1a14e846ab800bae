using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Webhooks.Functions;

/// <summary>The app's own trace source and meter, exported with OpenTelemetry.</summary>
internal static class Telemetry
{
    public const string Name = "Webhooks.Functions";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);
}
