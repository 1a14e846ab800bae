using Webhooks.Functions.Endpoints;

namespace Webhooks.Functions.Portal;

/// <summary>The ranges a portal chart shows (SPEC §14): the last 24 hours by hour, or the last 30 days by day.</summary>
internal sealed record PortalStatsRange(string Value, string Bucket, string Description)
{
    public static readonly PortalStatsRange Day = new("24h", StatsBucketSize.Hour, "last 24 hours");
    public static readonly PortalStatsRange Month = new("30d", StatsBucketSize.Day, "last 30 days");

    public static readonly IReadOnlyList<PortalStatsRange> All = [Day, Month];

    /// <summary>The range named by the <c>range</c> query value; anything else is the default, the last 24 hours.</summary>
    public static PortalStatsRange Parse(string? value) => All.FirstOrDefault(r => r.Value == value) ?? Day;

    /// <summary>Reads the chart of the team (<paramref name="endpointId"/> null) or of one endpoint over this range, ending now.</summary>
    public async Task<StatsChart> ReadAsync(
        DeliveryStats stats, string id, string teamId, string? endpointId, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(time);
        var (from, to) = StatsApi.Range(null, null, Bucket, time.GetUtcNow());
        var buckets = await stats.ReadAsync(teamId, endpointId, from, to, Bucket, cancellationToken);
        return StatsChart.Of(id, this, buckets);
    }
}
