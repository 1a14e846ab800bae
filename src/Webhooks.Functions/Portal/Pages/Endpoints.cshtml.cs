using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Api;
using Webhooks.Functions.Endpoints;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Portal.Pages;

/// <summary>The team's endpoints (<c>GET /v1/endpoints</c>) and a new one (<c>POST /v1/endpoints</c>), under the API's rules.</summary>
internal sealed class EndpointsModel(EndpointStore store, EndpointSigning signing, IOptions<SecurityOptions> security, TimeProvider time) : PortalPageModel
{
    [BindProperty]
    public EndpointForm Form { get; set; } = new();

    /// <summary>The endpoint a form post just deleted, from the redirect after it.</summary>
    [FromQuery(Name = "deleted")]
    public string? Deleted { get; set; }

    public IReadOnlyList<EndpointEntity> Endpoints { get; private set; } = [];
    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Deleted is not null && Ids.IsValid(Deleted, Ids.EndpointPrefix))
        {
            Message = $"Endpoint {Deleted} was deleted.";
        }
        Endpoints = await store.ListAsync(TeamId, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var changes = Form.Read(validation, security.Value.RequireHttpsWebhooks);
        if (validation.IsValid)
        {
            var endpoint = changes.ToNewEndpoint(TeamId, Ids.New(Ids.EndpointPrefix), time.GetUtcNow());
            signing.Initialize(endpoint, asymmetric: false);
            if (await store.TryAddAsync(endpoint, cancellationToken))
            {
                return RedirectToPage("/Endpoint", new { id = endpoint.EndpointId, created = true });
            }
            validation.Add("", EndpointsApi.LimitReachedMessage);
        }
        Accept(validation);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        Endpoints = await store.ListAsync(TeamId, cancellationToken);
        return Page();
    }
}
