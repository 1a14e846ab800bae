using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Api;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Events;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// The endpoints routes of SPEC §8 and §9: a team's endpoints, each receiving the events of the types it asks for,
/// enabled again after being disabled, and its health. Another team's endpoint, or an id that cannot be one, is not
/// found, exactly like a missing one.
/// </summary>
internal static class EndpointsApi
{
    private const string IdDescription = "The endpoint id, `ep_…`.";

    public static RouteGroupBuilder MapEndpointsApi(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var endpoints = v1.MapGroup("/endpoints").WithTags(ApiTags.Endpoints);
        endpoints.MapPost("", CreateEndpointAsync)
            .WithName("CreateEndpoint").WithSummary("Create an endpoint")
            .WithDescription($"Events of jobs that name no webhook go to every enabled endpoint whose event_types match. At most {EndpointStore.MaxPerTeam} endpoints per team.")
            .AcceptsJson<CreateEndpointRequest>().AcceptsIdempotencyKey().ProducesCreated<EndpointResponse>();
        endpoints.MapGet("", ListEndpointsAsync)
            .WithName("ListEndpoints").WithSummary("List endpoints").WithDescription("Oldest first.")
            .AcceptsCursorPaging(ListQuery.DefaultLimit, ListQuery.MaxLimit)
            .Produces<EndpointsPage>().ProducesValidationProblemDocument();
        endpoints.MapGet("/{id}", GetEndpointAsync)
            .WithName("GetEndpoint").WithSummary("Get an endpoint")
            .Produces<EndpointResponse>().ProducesProblemDocument(StatusCodes.Status404NotFound);
        endpoints.MapPatch("/{id}", UpdateEndpointAsync)
            .WithName("UpdateEndpoint").WithSummary("Change an endpoint")
            .WithDescription("Send at least one of url, description, event_types, rate_limit_per_s, asymmetric_signing, headers, oauth2, client_certificate; null clears description, event_types (every type) or rate_limit_per_s (unlimited), and removes headers, oauth2 or client_certificate. headers, oauth2 and client_certificate are each replaced whole; oauth2 without client_secret keeps the stored secret. Enabling is POST /v1/endpoints/{id}/enable.")
            .AcceptsJson<UpdateEndpointRequest>().Produces<EndpointResponse>().ProducesProblemDocument(StatusCodes.Status404NotFound);
        endpoints.MapDelete("/{id}", DeleteEndpointAsync)
            .WithName("DeleteEndpoint").WithSummary("Delete an endpoint")
            .WithDescription("Its pending and parked deliveries end as failed, with last_error `endpoint deleted`.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblemDocument(StatusCodes.Status404NotFound);
        endpoints.MapPost("/{id}/enable", EnableEndpointAsync)
            .WithName("EnableEndpoint").WithSummary("Enable an endpoint")
            .WithDescription("Enables a disabled endpoint (an enabled one stays as it is). With recover, every delivery parked while it was disabled starts again; count says how many. The body is optional.")
            .AcceptsJson<EnableEndpointRequest>(isOptional: true)
            .Produces<EnableEndpointResponse>(StatusCodes.Status202Accepted)
            .WithResponseHeader(StatusCodes.Status202Accepted, "Location", "The path of the endpoint.", ApiValueKind.UriReference)
            .ProducesProblemDocument(StatusCodes.Status404NotFound);
        endpoints.MapGet("/{id}/health", GetEndpointHealthAsync)
            .WithName("GetEndpointHealth").WithSummary("Get an endpoint's health")
            .WithDescription("Its attempts and failures over the health window (Endpoints:HealthWindow, 24 hours unless configured).")
            .Produces<EndpointHealthResponse>().ProducesProblemDocument(StatusCodes.Status404NotFound);
        endpoints.MapEndpointSigningApi();
        return v1;
    }

    private static async Task<IResult> CreateEndpointAsync(
        HttpContext context, EndpointStore store, IdempotencyStore idempotency, IOptions<SecurityOptions> security, EndpointSecrets secrets, TimeProvider time,
        EndpointSigning signing, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        var validation = new RequestValidation();
        var changes = EndpointChanges.Read(validation, body.Root, creating: true, security.Value.RequireHttpsWebhooks);
        var asymmetric = AsymmetricSigningSetting.Read(validation, body.Root);
        var auth = EndpointAuthChanges.Read(validation, body.Root, security.Value.RequireHttpsWebhooks, existing: null, secrets, time.GetUtcNow());
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var teamId = CurrentTeam.Id(context);
        return await IdempotencyHandling.CreateOrRefuseAsync<EndpointResponse>(context, body, teamId, Ids.EndpointPrefix, idempotency,
            async (endpointId, resuming, ct) =>
            {
                // An earlier attempt with this Idempotency-Key may have added the endpoint before it could answer.
                var endpoint = resuming ? await store.GetAsync(teamId, endpointId, ct) : null;
                if (endpoint is null)
                {
                    endpoint = changes.ToNewEndpoint(teamId, endpointId, time.GetUtcNow());
                    signing.Initialize(endpoint, asymmetric is { HasValue: true, Value: true });
                    auth.ApplyTo(endpoint, secrets);
                    if (!await store.TryAddAsync(endpoint, ct))
                    {
                        return (null, null, LimitReached());
                    }
                }
                return (secrets.Show(endpoint), Location(endpoint), null);
            },
            cancellationToken);
    }

    /// <summary>The answer to a create beyond <see cref="EndpointStore.MaxPerTeam"/>.</summary>
    public static IResult LimitReached() => ApiProblems.BadRequest(LimitReachedMessage);

    public static string LimitReachedMessage =>
        $"A team can have at most {EndpointStore.MaxPerTeam} endpoints; delete one you no longer use first.";

    private static async Task<IResult> ListEndpointsAsync(HttpContext context, EndpointStore store, EndpointSecrets secrets, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var validation = new RequestValidation();
        var position = ListQuery.CursorPosition(request, EndpointListCursor.Kind, validation);
        var limit = ListQuery.Limit(request, validation);
        long afterTicks = 0;
        var afterId = "";
        if (position is not null && !EndpointListCursor.TryParse(position, out afterTicks, out afterId))
        {
            validation.Add("cursor", "is not a cursor returned as next_cursor by this list.");
        }
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var all = await store.ListAsync(CurrentTeam.Id(context), cancellationToken);
        var remaining = position is null ? all : all.Where(e => EndpointListCursor.IsAfter(e, afterTicks, afterId)).ToList();
        var page = remaining.Take(limit).ToList();
        var next = remaining.Count > limit ? Cursor.Encode(EndpointListCursor.Position(page[^1])) : null;
        return TypedResults.Ok(new EndpointsPage(page.Select(secrets.Show).ToList(), next));
    }

    private static async Task<IResult> GetEndpointAsync(
        [Description(IdDescription)] string id, HttpContext context, EndpointStore store, EndpointSecrets secrets, CancellationToken cancellationToken) =>
        await FindAsync(store, CurrentTeam.Id(context), id, cancellationToken) is { } endpoint
            ? TypedResults.Ok(secrets.Show(endpoint))
            : NotFound(id);

    private static async Task<IResult> UpdateEndpointAsync(
        [Description(IdDescription)] string id, HttpContext context, EndpointStore store, IOptions<SecurityOptions> security, EndpointSecrets secrets,
        TimeProvider time, EndpointSigning signing, CancellationToken cancellationToken)
    {
        var teamId = CurrentTeam.Id(context);
        if (await FindAsync(store, teamId, id, cancellationToken) is not { } existing)
        {
            return NotFound(id);
        }
        var (body, problem) = await JsonBody.ReadAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        var validation = new RequestValidation();
        var changes = EndpointChanges.Read(validation, body.Root, creating: false, security.Value.RequireHttpsWebhooks);
        var asymmetric = AsymmetricSigningSetting.Read(validation, body.Root);
        var auth = EndpointAuthChanges.Read(validation, body.Root, security.Value.RequireHttpsWebhooks, existing, secrets, time.GetUtcNow());
        if (changes.IsEmpty && auth.IsEmpty && !asymmetric.HasValue && validation.IsValid)
        {
            validation.Add("", "send at least one of url, description, event_types, rate_limit_per_s, asymmetric_signing, headers, oauth2, client_certificate.");
        }
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var updated = await store.UpdateAsync(teamId, id,
            e => changes.ApplyTo(e) | auth.ApplyTo(e, secrets) | (asymmetric.HasValue && signing.SetAsymmetric(e, asymmetric.Value)), cancellationToken);
        return updated is null ? NotFound(id) : TypedResults.Ok(secrets.Show(updated));
    }

    private static async Task<IResult> DeleteEndpointAsync(
        [Description(IdDescription)] string id, HttpContext context, EndpointStore store, EndpointLifecycle lifecycle, CancellationToken cancellationToken)
    {
        var teamId = CurrentTeam.Id(context);
        if (await FindAsync(store, teamId, id, cancellationToken) is null || !await lifecycle.DeleteAsync(teamId, id, cancellationToken))
        {
            return NotFound(id);
        }
        return TypedResults.NoContent();
    }

    private static async Task<IResult> EnableEndpointAsync(
        [Description(IdDescription)] string id, HttpContext context, EndpointStore store, EndpointLifecycle lifecycle, EndpointSecrets secrets,
        CancellationToken cancellationToken)
    {
        var teamId = CurrentTeam.Id(context);
        if (await FindAsync(store, teamId, id, cancellationToken) is null)
        {
            return NotFound(id);
        }
        var recover = false;
        if (HasBody(context.Request))
        {
            var (body, problem) = await JsonBody.ReadAsync(context.Request, cancellationToken);
            if (body is null)
            {
                return problem!;
            }
            if (RequestValidation.Property(body.Root, "recover") is { } value)
            {
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    var validation = new RequestValidation();
                    validation.Add("recover", "must be true or false.");
                    return validation.ToProblem();
                }
                recover = value.GetBoolean();
            }
        }
        var (endpoint, recovered) = await lifecycle.EnableAsync(teamId, id, recover, cancellationToken);
        return endpoint is null
            ? NotFound(id)
            : TypedResults.Accepted($"/v1/endpoints/{endpoint.EndpointId}", new EnableEndpointResponse(recovered, secrets.Show(endpoint)));
    }

    private static async Task<IResult> GetEndpointHealthAsync(
        [Description(IdDescription)] string id, HttpContext context, EndpointStore store, EndpointHealth health, CancellationToken cancellationToken)
    {
        var endpoint = await FindAsync(store, CurrentTeam.Id(context), id, cancellationToken);
        return endpoint is null ? NotFound(id) : TypedResults.Ok(EndpointHealthResponse.From(await health.ReadAsync(endpoint, cancellationToken)));
    }

    /// <summary>The team's endpoint; null for another team's, a missing one, or an id that cannot be an endpoint's.</summary>
    public static async Task<EndpointEntity?> FindAsync(EndpointStore store, string teamId, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return Ids.IsValid(id, Ids.EndpointPrefix) ? await store.GetAsync(teamId, id, cancellationToken) : null;
    }

    private static string Location(EndpointEntity endpoint) => $"/v1/endpoints/{endpoint.EndpointId}";

    private static IResult NotFound(string id) => ApiProblems.NotFound($"Endpoint '{id}'");

    /// <summary>The body is optional: an empty POST (no Content-Length or 0, not chunked) means "no options".</summary>
    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
}
