using System.ComponentModel;
using Webhooks.Functions.Api.Documentation;

namespace Webhooks.Functions.Endpoints;

/// <summary><c>GET /v1/stats</c> (SPEC §14): one entry per bucket of the range, oldest first, quiet buckets included.</summary>
internal sealed record StatsResponse(
    [property: Description("The bucket length: PT1H (hours of UTC) or P1D (days of UTC).")] string Bucket,
    IReadOnlyList<StatsEntry> Data) : IApiExample<StatsResponse>
{
    public static StatsResponse Example => new(StatsBucketSize.Hour,
    [
        StatsEntry.Example,
        new StatsEntry(StatsEntry.Example.Start.AddHours(1), 0, 0, new StatsFailures(0, 0, 0, 0, 0), StatsPercentiles.None, StatsPercentiles.None),
    ]);

    public static StatsResponse From(string bucket, IEnumerable<DeliveryStatsBucket> buckets) =>
        new(bucket, buckets.Select(StatsEntry.From).ToList());
}
