using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Jobs;

/// <summary>
/// The body of <c>POST /v1/batches</c> as the OpenAPI document shows it; <see cref="JobsApi"/> reads and validates the
/// JSON itself, with the same limits, so that every bad field is reported under its JSON path.
/// </summary>
internal sealed record CreateBatchRequest(
    [property: Required, MinLength(1), MaxLength(JobsApi.MaxItems), Description("The pages to fetch.")]
    IReadOnlyList<BatchItemRequest> Items,
    [property: Url, StringLength(WebhookUrlRules.MaxLength),
        Description("Where the completion event is delivered; the team's default_webhook_url when omitted.")]
    string? Webhook = null,
    [property: Url, StringLength(WebhookUrlRules.MaxLength), Description("An alias of webhook; both given must be equal.")]
    string? WebhookUrl = null) : IApiExample<CreateBatchRequest>
{
    public static CreateBatchRequest Example => new([BatchItemRequest.Example], "https://your-server.example/webhooks", null);
}
