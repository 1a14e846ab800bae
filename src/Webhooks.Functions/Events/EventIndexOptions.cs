using System.ComponentModel.DataAnnotations;

namespace Webhooks.Functions.Events;

/// <summary>The <c>EventIndex</c> section: how the listing index is repaired (see <see cref="EventIndexRepairSweep"/>).</summary>
internal sealed class EventIndexOptions
{
    /// <summary>
    /// How often the repair scan runs at most. The sweeper ticks every minute, but the scan reads every event and
    /// delivery row of the lookback, so it runs less often; zero runs it at every tick.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ParseLimitsInInvariantCulture = true,
        ErrorMessage = "EventIndex:RepairInterval must be between 00:00:00 and 1.00:00:00.")]
    public TimeSpan RepairInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far back the repair looks for rows created without their listing rows.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ParseLimitsInInvariantCulture = true,
        ErrorMessage = "EventIndex:RepairLookback must be between 00:01:00 and 30.00:00:00.")]
    public TimeSpan RepairLookback { get; set; } = TimeSpan.FromDays(2);
}
