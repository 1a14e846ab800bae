using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Webhooks.Functions.Api;

/// <summary>One token bucket per team (<c>RateLimit</c> section), shared by every <c>/v1</c> request of this process.</summary>
internal sealed class TeamRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public TeamRateLimiter(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(teamId => RateLimitPartition.GetTokenBucketLimiter(teamId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.Burst,
            TokensPerPeriod = limits.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Null when the request may go on, else how long the team should wait.</summary>
    public TimeSpan? TryAcquire(string teamId)
    {
        using var lease = _limiter.AttemptAcquire(teamId);
        if (lease.IsAcquired)
        {
            return null;
        }
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
    }

    public void Dispose() => _limiter.Dispose();
}
