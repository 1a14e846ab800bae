using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Events;

/// <summary>The body of <c>POST /v1/webhooks/test</c> as the OpenAPI document shows it; <see cref="WebhookTestApi"/> validates the JSON itself.</summary>
internal sealed record TestWebhookRequest(
    [property: Required, Url, StringLength(WebhookUrlRules.MaxLength), Description("The receiver to send one signed event.ping to.")]
    string Url) : IApiExample<TestWebhookRequest>
{
    public static TestWebhookRequest Example => new(ApiExamples.WebhookUrl);
}
