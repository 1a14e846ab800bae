using Microsoft.AspNetCore.Mvc;
using Webhooks.Functions.Endpoints;

namespace Webhooks.Functions.Portal.Pages;

/// <summary>
/// The team's delivery figures (<c>GET /v1/stats</c> without an endpoint): every delivery of the team, its endpoints'
/// and its job webhooks', over the last 24 hours by hour or the last 30 days by day.
/// </summary>
internal sealed class DashboardModel(DeliveryStats stats, TimeProvider time) : PortalPageModel
{
    [FromQuery(Name = "range")]
    public string? RangeValue { get; set; }

    public StatsChart? Chart { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Chart = await PortalStatsRange.Parse(RangeValue).ReadAsync(stats, "team-chart", TeamId, null, time, cancellationToken);
    }
}
