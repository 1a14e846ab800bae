using System.ComponentModel.DataAnnotations;

namespace Webhooks.Functions.Retention;

/// <summary>The <c>Retention</c> section (SPEC §10): how long jobs, events, deliveries and their records are kept.</summary>
internal sealed class RetentionOptions
{
    /// <summary>Rows, bodies and finished orchestration history older than this many days are deleted.</summary>
    [Range(1, 3650, ErrorMessage = "Retention:Days must be a whole number of days between 1 and 3650.")]
    public int Days { get; set; } = 30;

    /// <summary>
    /// Not in the SPEC: a finer-grained retention that replaces <see cref="Days"/> when set, so that tests can age
    /// their data in seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ParseLimitsInInvariantCulture = true,
        ErrorMessage = "Retention:Age must be between 00:00:01 and 3650.00:00:00.")]
    public TimeSpan? Age { get; set; }

    public TimeSpan MaxAge => Age ?? TimeSpan.FromDays(Days);
}
