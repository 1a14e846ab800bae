using System.ComponentModel.DataAnnotations;

namespace Webhooks.Functions.Api;

/// <summary>The <c>RateLimit</c> section: a token bucket per team over every <c>/v1</c> route.</summary>
internal sealed class RateLimitOptions
{
    [Range(1, 1_000_000, ErrorMessage = "RateLimit:PermitsPerSecond must be between 1 and 1000000.")]
    public int PermitsPerSecond { get; set; } = 200;

    [Range(1, 1_000_000, ErrorMessage = "RateLimit:Burst must be between 1 and 1000000.")]
    public int Burst { get; set; } = 400;
}
