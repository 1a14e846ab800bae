using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Webhooks.Functions.Api.Documentation;

namespace Webhooks.Functions.Events;

/// <summary>The body of <c>POST /v1/deliveries/recover</c> as the OpenAPI document shows it; <see cref="DeliveriesApi"/> validates the JSON itself.</summary>
internal sealed record RecoverRequest(
    [property: Required, Description("Start of the window (ISO 8601 UTC); at most 14 days before until.")] DateTimeOffset Since,
    [property: Description("End of the window; now when omitted.")] DateTimeOffset? Until = null) : IApiExample<RecoverRequest>
{
    public static RecoverRequest Example => new(ApiExamples.CreatedAt.AddDays(-1), ApiExamples.CreatedAt);
}
