using System.ComponentModel.DataAnnotations;

namespace Webhooks.Functions.Endpoints;

/// <summary><c>Endpoints:*</c> (SPEC §9): when an endpoint counts as failing, and when it is disabled.</summary>
internal sealed class EndpointOptions : IValidatableObject
{
    /// <summary>The span of attempts an endpoint's health is judged on.</summary>
    public TimeSpan HealthWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>No verdict on an endpoint with fewer attempts than this in the window.</summary>
    [Range(1, int.MaxValue)]
    public int HealthMinAttempts { get; set; } = 20;

    /// <summary>Failure ratio at which <c>event.endpoint.failing</c> is raised.</summary>
    [Range(0.0, 1.0)]
    public double WarnRatio { get; set; } = 0.8;

    /// <summary>Failure ratio at which, with no success in the window, the endpoint is disabled.</summary>
    [Range(0.0, 1.0)]
    public double DisableRatio { get; set; } = 0.95;

    /// <summary>
    /// How often an instance writes its attempt counts per endpoint (not in SPEC): counts are kept in memory between, so
    /// health costs one write per endpoint and interval, not one per attempt. Tests set it to zero (every attempt).
    /// </summary>
    public TimeSpan HealthFlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HealthWindow < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("Endpoints:HealthWindow must be at least one second.", [nameof(HealthWindow)]);
        }
        if (WarnRatio > DisableRatio)
        {
            yield return new ValidationResult("Endpoints:WarnRatio must not be above Endpoints:DisableRatio.", [nameof(WarnRatio)]);
        }
        if (HealthFlushInterval < TimeSpan.Zero || HealthFlushInterval > HealthWindow)
        {
            yield return new ValidationResult("Endpoints:HealthFlushInterval must be between zero and Endpoints:HealthWindow.", [nameof(HealthFlushInterval)]);
        }
    }
}
