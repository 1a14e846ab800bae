using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Api;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Teams;

/// <summary>Routes for a team's own settings (<c>/v1/team</c>) and for operators (<c>/v1/admin/teams</c>).</summary>
internal static class TeamsApi
{
    public const int MaxNameLength = 200;
    public const int MaxPolicyNameLength = 64;

    public static RouteGroupBuilder MapTeamApi(this RouteGroupBuilder v1)
    {
        var team = v1.MapGroup("/team").WithTags(ApiTags.Team);
        team.MapGet("", GetTeamAsync).WithName("GetTeam").WithSummary("Get your team");
        team.MapPatch("", PatchTeamAsync)
            .WithName("UpdateTeam").WithSummary("Change your team's settings")
            .AcceptsJson<UpdateTeamRequest>().Produces<TeamResponse>();
        team.MapGet("/signing-secret", GetSigningSecretAsync).WithName("GetSigningSecret").WithSummary("Get the newest signing secret");
        team.MapPost("/signing-secret/rotate", RotateSigningSecretAsync)
            .WithName("RotateSigningSecret").WithSummary("Rotate the signing secret")
            .WithDescription("Creates a new secret (and, with asymmetric_signing on, a new Ed25519 key pair); the previous ones stay valid until "
                + "previous_expires_at, and webhooks carry both signatures meanwhile.");
        team.MapGet("/public-keys", GetPublicKeysAsync)
            .WithName("GetTeamPublicKeys").WithSummary("Get the team's Ed25519 public keys")
            .WithDescription("The keys whose v1a signatures the team's webhooks carry now (job webhooks, the default URL, the operations URL), newest first; "
                + "during a rotation's overlap the previous one too. Empty while asymmetric_signing is off.");
        return v1;
    }

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/v1/admin").WithTags(ApiTags.Admin).AddEndpointFilter<AdminAuthenticationFilter>()
            .RequiresAuthentication(ApiSecurity.AdminApiKey)
            // Without a configured Admin:ApiKey the admin routes answer as if they did not exist.
            .ProducesProblemDocument(StatusCodes.Status404NotFound);
        admin.MapPost("/teams", CreateTeamAsync)
            .WithName("CreateTeam").WithSummary("Create a team")
            .WithDescription("Answers the team's API key and signing secret; the API key is shown only here.")
            .AcceptsJson<CreateTeamRequest>().ProducesCreated<CreatedTeamResponse>();
        admin.MapDelete("/teams/{id}", DeleteTeamAsync)
            .WithName("DeleteTeam").WithSummary("Delete a team and erase its data")
            .WithDescription("The team's API keys stop working before the answer is sent; every row, body, secret and orchestration "
                + "of the team is then erased in the background, resuming after a crash. An unknown team is a 404.")
            .Produces(StatusCodes.Status202Accepted);
        return app;
    }

    private static async Task<IResult> CreateTeamAsync(HttpRequest request, TeamStore teams, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        var validation = new RequestValidation();
        var name = validation.RequiredString(body.Root, "name", "name", MaxNameLength);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var (team, apiKey) = await teams.CreateAsync(name!.Trim(), cancellationToken);
        return TypedResults.Created($"/v1/admin/teams/{team.Id}",
            new CreatedTeamResponse(team.Id, team.Name, apiKey, team.NewestSecret.Secret));
    }

    /// <summary>
    /// Answers only once no instance can accept the team's keys: the key rows are deleted here, and other instances may
    /// have read one less than <see cref="TeamStore.CacheLifetime"/> ago, so the answer waits that long.
    /// </summary>
    private static async Task<IResult> DeleteTeamAsync(
        [Description("The team id, `team_…`.")] string id, TeamStore teams, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Ids.IsValid(id, Ids.TeamPrefix) || !await teams.BeginEraseAsync(id, cancellationToken))
        {
            return ApiProblems.NotFound($"Team '{id}'");
        }
        await Task.Delay(TeamStore.CacheLifetime, time, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Ok<TeamResponse>> GetTeamAsync(HttpContext context, TeamStore teams, RetryPolicies policies, CancellationToken cancellationToken)
    {
        var team = await teams.GetAsync(CurrentTeam.Id(context), cancellationToken);
        return TypedResults.Ok(TeamResponse.From(team!, policies));
    }

    private static async Task<IResult> PatchTeamAsync(
        HttpContext context, TeamStore teams, RetryPolicies policies, IOptions<SecurityOptions> security, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        var validation = new RequestValidation();
        var requireHttps = security.Value.RequireHttpsWebhooks;
        var url = ReadUrlSetting(validation, body.Root, "default_webhook_url", requireHttps);
        var operationsUrl = ReadUrlSetting(validation, body.Root, "operations_webhook_url", requireHttps);
        var policy = Optional<string?>.Absent;
        if (body.Root.TryGetProperty("retry_policy", out var policyElement))
        {
            var name = validation.OptionalString(body.Root, "retry_policy", "retry_policy", MaxPolicyNameLength);
            if (name is not null && !policies.TryGet(name, out _))
            {
                validation.Add("retry_policy", $"must be one of: {string.Join(", ", policies.Names)}.");
            }
            policy = Optional<string?>.Of(policyElement.ValueKind == JsonValueKind.Null ? null : name);
        }
        var asymmetric = AsymmetricSigningSetting.Read(validation, body.Root);
        if (!url.HasValue && !policy.HasValue && !operationsUrl.HasValue && !asymmetric.HasValue && validation.IsValid)
        {
            validation.Add("", "send at least one of default_webhook_url, retry_policy, operations_webhook_url, asymmetric_signing.");
        }
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var team = await teams.UpdateSettingsAsync(CurrentTeam.Id(context), url, policy, operationsUrl, asymmetric, cancellationToken);
        return TypedResults.Ok(TeamResponse.From(team, policies));
    }

    /// <summary>A webhook URL setting of the PATCH body: absent, null (clear it) or a URL under the webhook rules.</summary>
    private static Optional<string?> ReadUrlSetting(RequestValidation validation, JsonElement root, string name, bool requireHttps)
    {
        if (!root.TryGetProperty(name, out var element))
        {
            return Optional<string?>.Absent;
        }
        var text = validation.OptionalString(root, name, name, WebhookUrlRules.MaxLength * 2);
        if (text is not null && WebhookUrlRules.Check(text, requireHttps) is { } urlError)
        {
            validation.Add(name, urlError);
        }
        return Optional<string?>.Of(element.ValueKind == JsonValueKind.Null ? null : text);
    }

    private static async Task<Ok<SigningSecretResponse>> GetSigningSecretAsync(HttpContext context, TeamStore teams, CancellationToken cancellationToken)
    {
        var team = await teams.GetAsync(CurrentTeam.Id(context), cancellationToken);
        return TypedResults.Ok(new SigningSecretResponse(team!.NewestSecret.Secret));
    }

    private static async Task<Ok<PublicKeysResponse>> GetPublicKeysAsync(HttpContext context, TeamStore teams, TimeProvider time, CancellationToken cancellationToken)
    {
        var team = await teams.GetAsync(CurrentTeam.Id(context), cancellationToken);
        return TypedResults.Ok(PublicKeysResponse.From(team!.ActiveKeys(time.GetUtcNow()).AsymmetricKeys));
    }

    private static async Task<Ok<RotatedSigningSecretResponse>> RotateSigningSecretAsync(HttpContext context, TeamStore teams, CancellationToken cancellationToken)
    {
        var team = await teams.RotateSecretAsync(CurrentTeam.Id(context), cancellationToken);
        return TypedResults.Ok(new RotatedSigningSecretResponse(team.NewestSecret.Secret, team.Secrets[1].ExpiresAt!.Value));
    }
}
