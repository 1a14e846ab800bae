using System.ComponentModel;
using Webhooks.Functions.Api;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// An endpoint's own signing secret and Ed25519 public keys (SPEC §13). Another team's endpoint, or an id that cannot be
/// one, is not found, as on every endpoint route.
/// </summary>
internal static class EndpointSigningApi
{
    private const string IdDescription = "The endpoint id, `ep_…`.";

    public static RouteGroupBuilder MapEndpointSigningApi(this RouteGroupBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/{id}/signing-secret", GetSigningSecretAsync)
            .WithName("GetEndpointSigningSecret").WithSummary("Get an endpoint's newest signing secret")
            .WithDescription("The endpoint's own secret: its deliveries are signed with it (both schemes), not with the team's.")
            .Produces<SigningSecretResponse>().ProducesProblemDocument(StatusCodes.Status404NotFound);
        endpoints.MapPost("/{id}/signing-secret/rotate", RotateSigningSecretAsync)
            .WithName("RotateEndpointSigningSecret").WithSummary("Rotate an endpoint's signing secret")
            .WithDescription("Creates a new secret (and, with asymmetric_signing on, a new Ed25519 key pair); the previous ones stay valid until "
                + "previous_expires_at, and its deliveries carry both signatures meanwhile.")
            .Produces<RotatedSigningSecretResponse>().ProducesProblemDocument(StatusCodes.Status404NotFound);
        endpoints.MapGet("/{id}/public-keys", GetPublicKeysAsync)
            .WithName("GetEndpointPublicKeys").WithSummary("Get an endpoint's Ed25519 public keys")
            .WithDescription("The keys whose v1a signatures its deliveries carry now, newest first; during a rotation's overlap the previous one too. "
                + "Empty while asymmetric_signing is off.")
            .Produces<PublicKeysResponse>().ProducesProblemDocument(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static async Task<IResult> GetSigningSecretAsync(
        [Description(IdDescription)] string id, HttpContext context, EndpointStore store, EndpointSigning signing, CancellationToken cancellationToken) =>
        await KeysAsync(id, context, store, signing, cancellationToken) is { } found
            ? TypedResults.Ok(new SigningSecretResponse(found.Keys.NewestSecret.Secret))
            : NotFound(id);

    private static async Task<IResult> RotateSigningSecretAsync(
        [Description(IdDescription)] string id, HttpContext context, EndpointStore store, EndpointSigning signing, CancellationToken cancellationToken)
    {
        var teamId = CurrentTeam.Id(context);
        if (await EndpointsApi.FindAsync(store, teamId, id, cancellationToken) is null
            || await signing.RotateAsync(teamId, id, cancellationToken) is not { } rotated)
        {
            return NotFound(id);
        }
        return TypedResults.Ok(new RotatedSigningSecretResponse(rotated.NewestSecret.Secret, rotated.Secrets[1].ExpiresAt!.Value));
    }

    private static async Task<IResult> GetPublicKeysAsync(
        [Description(IdDescription)] string id, HttpContext context, EndpointStore store, EndpointSigning signing, TimeProvider time,
        CancellationToken cancellationToken) =>
        await KeysAsync(id, context, store, signing, cancellationToken) is { } found
            ? TypedResults.Ok(PublicKeysResponse.From(found.Keys.ActiveAsymmetricKeys(time.GetUtcNow(), found.Endpoint.AsymmetricSigning)))
            : NotFound(id);

    private static async Task<(EndpointEntity Endpoint, SigningKeyRing Keys)?> KeysAsync(
        string id, HttpContext context, EndpointStore store, EndpointSigning signing, CancellationToken cancellationToken)
    {
        if (await EndpointsApi.FindAsync(store, CurrentTeam.Id(context), id, cancellationToken) is not { } endpoint
            || await signing.KeysAsync(endpoint, cancellationToken) is not { } keys)
        {
            return null;
        }
        return (endpoint, keys);
    }

    private static IResult NotFound(string id) => ApiProblems.NotFound($"Endpoint '{id}'");
}
