using Webhooks.Functions.Api;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Events;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// <c>GET /v1/stats</c> (SPEC §14): the team's delivery figures, or one endpoint's, in hourly or daily buckets. The
/// range is widened to whole buckets (since rounded down, until up) and is then at most 31 days; without since and
/// until it is the last 24 hours in hours, or the last 30 days in days, up to and including the current bucket.
/// </summary>
internal static class StatsApi
{
    public static readonly TimeSpan DefaultHourlySpan = TimeSpan.FromHours(24);
    public static readonly TimeSpan DefaultDailySpan = TimeSpan.FromDays(30);

    public static RouteGroupBuilder MapStatsApi(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapGet("/stats", GetStatsAsync).WithTags(ApiTags.Stats)
            .WithName("GetStats").WithSummary("Get delivery stats")
            .WithDescription(
                "Attempts, deliveries and failures by class, with attempt duration and raise → first 2xx latency percentiles, " +
                "one entry per bucket of the range (oldest first, quiet buckets included). The range is widened to whole buckets " +
                $"and spans at most {DeliveryStats.MaxDays} days. Without since and until: the last 24 hours (PT1H) or 30 days (P1D), " +
                "the current bucket last. Figures are written by each instance at most every few seconds, so the last minutes may still grow.")
            .WithQueryParameter(new ApiParameterMetadata("since", ApiParameterLocation.Query, "Start of the range (rounded down to its bucket).", ApiValueKind.DateTime))
            .WithQueryParameter(new ApiParameterMetadata("until", ApiParameterLocation.Query, "End of the range, exclusive (rounded up to a bucket boundary); default now.", ApiValueKind.DateTime))
            .WithQueryParameter(new ApiParameterMetadata("bucket", ApiParameterLocation.Query, "Bucket length, default PT1H.", ApiValueKind.Text)
            {
                AllowedValues = StatsBucketSize.All,
            })
            .WithQueryParameter(new ApiParameterMetadata("endpoint_id", ApiParameterLocation.Query, "Only attempts to this endpoint; without it, every delivery of the team (endpoints, job webhooks, default URLs).", ApiValueKind.Text))
            .Produces<StatsResponse>().ProducesValidationProblemDocument().ProducesProblemDocument(StatusCodes.Status404NotFound);
        return v1;
    }

    private static async Task<IResult> GetStatsAsync(
        HttpContext context, EndpointStore store, DeliveryStats stats, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var validation = new RequestValidation();
        var bucket = ListQuery.OneOf(request, "bucket", StatsBucketSize.All, validation) ?? StatsBucketSize.Hour;
        var endpointId = ListQuery.Text(request, "endpoint_id", validation);
        if (endpointId is not null && !Ids.IsValid(endpointId, Ids.EndpointPrefix))
        {
            validation.Add("endpoint_id", "must be an endpoint id (ep_ and 16 lowercase letters or digits).");
        }
        var since = ListQuery.Time(request, "since", validation);
        var until = ListQuery.Time(request, "until", validation);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var (from, to) = Range(since, until, bucket, time.GetUtcNow());
        if (from >= to)
        {
            validation.Add("until", "must be later than since.");
        }
        else if (to - from > DeliveryStats.MaxSpan)
        {
            validation.Add(since is null ? "until" : "since", $"the range, widened to whole buckets, must span at most {DeliveryStats.MaxDays} days.");
        }
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var teamId = CurrentTeam.Id(context);
        if (endpointId is not null && await store.GetAsync(teamId, endpointId, cancellationToken) is null)
        {
            return ApiProblems.NotFound($"Endpoint '{endpointId}'");
        }
        var buckets = await stats.ReadAsync(teamId, endpointId, from, to, bucket, cancellationToken);
        return TypedResults.Ok(StatsResponse.From(bucket, buckets));
    }

    /// <summary>The range in whole buckets: since rounded down, until rounded up, each defaulted from the other or from now.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Range(DateTimeOffset? since, DateTimeOffset? until, string bucket, DateTimeOffset now)
    {
        var span = bucket == StatsBucketSize.Day ? DefaultDailySpan : DefaultHourlySpan;
        if (since is null)
        {
            // The current bucket is the last one, so "the last 24 hours" is 24 whole buckets ending with this one.
            var end = until is { } u ? StatsBucketSize.Ceiling(u, bucket) : StatsBucketSize.Floor(now, bucket) + StatsBucketSize.Length(bucket);
            return (end - span, end);
        }
        var from = StatsBucketSize.Floor(since.Value, bucket);
        var to = until is { } given ? StatsBucketSize.Ceiling(given, bucket) : StatsBucketSize.Floor(now, bucket) + StatsBucketSize.Length(bucket);
        if (until <= since)
        {
            return (from, from);
        }
        return (from, to);
    }
}
