using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Events;

/// <summary>The optional body of <c>POST /v1/events/{id}/redeliver</c> as the OpenAPI document shows it; <see cref="EventsApi"/> validates the JSON itself.</summary>
internal sealed record RedeliverRequest(
    [property: Url, StringLength(WebhookUrlRules.MaxLength),
        Description("Where to deliver; when omitted, where the event was first delivered, else the team's default_webhook_url.")]
    string? Url = null) : IApiExample<RedeliverRequest>
{
    public static RedeliverRequest Example => new(ApiExamples.WebhookUrl);
}
