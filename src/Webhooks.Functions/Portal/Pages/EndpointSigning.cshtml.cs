using Microsoft.AspNetCore.Mvc;
using Webhooks.Functions.Endpoints;

namespace Webhooks.Functions.Portal.Pages;

/// <summary>
/// An endpoint's own signing secret and Ed25519 keys (<c>GET /v1/endpoints/{id}/signing-secret</c>, <c>POST
/// …/signing-secret/rotate</c>, <c>PATCH</c> of <c>asymmetric_signing</c>, <c>GET …/public-keys</c>). The forms are on the
/// endpoint page; the secret is shown only in the answer to a form post, never in a URL. Another team's endpoint is
/// not found, as in the API.
/// </summary>
internal sealed class EndpointSigningModel(EndpointStore store, EndpointSigning signing) : PortalPageModel
{
    [FromRoute]
    public string Id { get; set; } = "";

    [BindProperty]
    public bool On { get; set; }

    public EndpointEntity? Endpoint { get; private set; }
    public string? RevealedSecret { get; private set; }
    public DateTimeOffset? PreviousExpiresAt { get; private set; }
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevealAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } endpoint && await signing.KeysAsync(endpoint, cancellationToken) is { } keys)
        {
            RevealedSecret = keys.NewestSecret.Secret;
            // Keys given to an older endpoint just now show below as stored.
            await LoadAsync(cancellationToken);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostRotateAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is not null && await signing.RotateAsync(TeamId, Id, cancellationToken) is { } rotated)
        {
            RevealedSecret = rotated.NewestSecret.Secret;
            PreviousExpiresAt = rotated.Secrets[1].ExpiresAt;
            Message = "The endpoint's signing secret was rotated. Give its receiver the new secret within 24 hours.";
            await LoadAsync(cancellationToken);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsymmetricAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is not null
            && await store.UpdateAsync(TeamId, Id, endpoint => signing.SetAsymmetric(endpoint, On), cancellationToken) is { } updated)
        {
            Endpoint = updated;
            Message = On
                ? "Ed25519 signatures are on: every delivery now also carries a v1a signature of the public key below."
                : "Ed25519 signatures are off: deliveries carry v1 signatures only.";
        }
        return Page();
    }

    private async Task<EndpointEntity?> LoadAsync(CancellationToken cancellationToken)
    {
        Endpoint = await EndpointsApi.FindAsync(store, TeamId, Id, cancellationToken);
        if (Endpoint is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        return Endpoint;
    }
}
