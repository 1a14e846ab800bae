using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Teams;

/// <summary>
/// The body of <c>PATCH /v1/team</c> as the OpenAPI document shows it: send at least one field; a field sent as null
/// clears the setting. <see cref="TeamsApi"/> validates the JSON itself.
/// </summary>
internal sealed record UpdateTeamRequest(
    [property: Url, StringLength(WebhookUrlRules.MaxLength), Description("Where events of jobs that name no webhook are delivered.")]
    string? DefaultWebhookUrl = null,
    [property: StringLength(TeamsApi.MaxPolicyNameLength),
        Description("The retry policy of new deliveries: standard, short, extended, or one configured with Delivery:Policies.")]
    string? RetryPolicy = null,
    [property: Url, StringLength(WebhookUrlRules.MaxLength),
        Description("Where operational events go (event.endpoint.failing, event.endpoint.disabled, event.delivery.exhausted), and only there.")]
    string? OperationsWebhookUrl = null,
    [property: Description("Whether webhooks also carry Ed25519 `v1a` signatures beside the `v1` ones; turning it on makes a key pair (GET /v1/team/public-keys).")]
    bool? AsymmetricSigning = null) : IApiExample<UpdateTeamRequest>
{
    public static UpdateTeamRequest Example => new(ApiExamples.WebhookUrl, "short", ApiExamples.OperationsWebhookUrl);
}
