using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Api;
using Webhooks.Functions.Endpoints;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Portal.Pages;

/// <summary>
/// One endpoint with its health (<c>GET /v1/endpoints/{id}</c> and <c>/health</c>): change it (<c>PATCH</c>), enable
/// it with or without recovery (<c>POST /v1/endpoints/{id}/enable</c>), delete it, and set its custom headers, OAuth 2.0
/// client and client certificate (SPEC §13; the secrets write-only). Another team's endpoint is not found, as in the API.
/// </summary>
internal sealed class EndpointModel(
    EndpointStore store, EndpointLifecycle lifecycle, EndpointHealth health, IOptions<SecurityOptions> security, EndpointSecrets secrets, DeliveryStats stats, TimeProvider time)
    : PortalPageModel
{
    [FromRoute]
    public string Id { get; set; } = "";

    [BindProperty]
    public EndpointForm Form { get; set; } = new();

    [BindProperty]
    public EndpointAuthForm Auth { get; set; } = new();

    [BindProperty]
    public bool Recover { get; set; }

    /// <summary>Set by the redirect after the endpoints page created it.</summary>
    [FromQuery(Name = "created")]
    public bool Created { get; set; }

    /// <summary>The chart's range: <c>24h</c> (default) or <c>30d</c>.</summary>
    [FromQuery(Name = "range")]
    public string? RangeValue { get; set; }

    /// <summary>The endpoint's delivery chart (SPEC §14).</summary>
    public StatsChart? Chart { get; private set; }

    public EndpointEntity? Endpoint { get; private set; }
    public EndpointHealthReport? Health { get; private set; }
    public string? Message { get; private set; }

    /// <summary>Whether <see cref="PortalPageModel.Errors"/> are the headers and authentication form's.</summary>
    public bool AuthRefused { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Endpoint is not null)
        {
            Form = EndpointForm.From(Endpoint);
            Message = Created ? "Endpoint created." : null;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var changes = Form.Read(validation, security.Value.RequireHttpsWebhooks);
        var saved = Accept(validation) && await EndpointsApi.FindAsync(store, TeamId, Id, cancellationToken) is not null
            && await store.UpdateAsync(TeamId, Id, changes.ApplyTo, cancellationToken) is not null;
        await LoadAsync(cancellationToken);
        if (saved && Endpoint is not null)
        {
            Form = EndpointForm.From(Endpoint);
            Message = "Endpoint saved.";
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAuthAsync(CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var saved = false;
        if (await EndpointsApi.FindAsync(store, TeamId, Id, cancellationToken) is { } existing)
        {
            var changes = Auth.Read(validation, security.Value.RequireHttpsWebhooks, existing, secrets, time.GetUtcNow());
            saved = Accept(validation) && await store.UpdateAsync(TeamId, Id, e => changes.ApplyTo(e, secrets), cancellationToken) is not null;
            AuthRefused = !validation.IsValid;
        }
        var typed = Auth;
        await LoadAsync(cancellationToken);
        if (Endpoint is not null)
        {
            Form = EndpointForm.From(Endpoint);
            if (saved)
            {
                Message = "Headers and authentication saved.";
            }
            else
            {
                // What was typed stays, except the secrets, which are never sent back to the browser.
                typed.ClientSecret = null;
                typed.CertificatePem = null;
                Auth = typed;
            }
        }
        return Page();
    }

    public async Task<IActionResult> OnPostEnableAsync(CancellationToken cancellationToken)
    {
        if (await EndpointsApi.FindAsync(store, TeamId, Id, cancellationToken) is not null)
        {
            var (_, recovered) = await lifecycle.EnableAsync(TeamId, Id, Recover, cancellationToken);
            Message = !Recover ? "Endpoint enabled."
                : recovered == 1 ? "Endpoint enabled; 1 parked delivery was started again."
                : $"Endpoint enabled; {recovered} parked deliveries were started again.";
        }
        await LoadAsync(cancellationToken);
        if (Endpoint is not null)
        {
            Form = EndpointForm.From(Endpoint);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken)
    {
        if (await EndpointsApi.FindAsync(store, TeamId, Id, cancellationToken) is not null && await lifecycle.DeleteAsync(TeamId, Id, cancellationToken))
        {
            return RedirectToPage("/Endpoints", new { deleted = Id });
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Endpoint = await EndpointsApi.FindAsync(store, TeamId, Id, cancellationToken);
        if (Endpoint is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        Health = await health.ReadAsync(Endpoint, cancellationToken);
        Auth = EndpointAuthForm.From(Endpoint, secrets);
        Chart = await PortalStatsRange.Parse(RangeValue).ReadAsync(stats, "endpoint-chart", TeamId, Endpoint.EndpointId, time, cancellationToken);
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
    }
}
