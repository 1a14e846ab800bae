using System.ComponentModel.DataAnnotations;

namespace Webhooks.Functions.Events;

/// <summary>The <c>EventIndex</c> section: how the listing index is repaired (see <see cref="EventIndexRepairSweep"/>).</summary>
internal sealed class EventIndexOptions : IValidatableObject
{
    /// <summary>
    /// How often the repair scan runs at most. The sweeper ticks every minute, but the scan reads every event and
    /// delivery row of the lookback, so it runs less often; zero runs it at every tick.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ParseLimitsInInvariantCulture = true,
        ErrorMessage = "EventIndex:RepairInterval must be between 00:00:00 and 1.00:00:00.")]
    public TimeSpan RepairInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How old a row must be before the repair treats its missing listing rows as lost. The process that writes an
    /// event or delivery writes its listing rows a moment after the row commits (and the row's CreatedAt is set a
    /// moment before): a younger row is not missing from the index, its listing rows are on their way.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ParseLimitsInInvariantCulture = true,
        ErrorMessage = "EventIndex:RepairMinAge must be between 00:00:00 and 1.00:00:00.")]
    public TimeSpan RepairMinAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How far back the repair looks for rows created without their listing rows.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ParseLimitsInInvariantCulture = true,
        ErrorMessage = "EventIndex:RepairLookback must be between 00:01:00 and 30.00:00:00.")]
    public TimeSpan RepairLookback { get; set; } = TimeSpan.FromDays(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A window that ends before it starts would repair nothing, silently.
        if (RepairMinAge >= RepairLookback)
        {
            yield return new ValidationResult(
                "EventIndex:RepairMinAge must be shorter than EventIndex:RepairLookback.", [nameof(RepairMinAge), nameof(RepairLookback)]);
        }
    }
}
