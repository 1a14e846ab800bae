using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Webhooks.Functions.Api.Documentation;

namespace Webhooks.Functions.Jobs;

/// <summary>One validated item of <c>POST /v1/batches</c>; its attributes describe the item in the OpenAPI document.</summary>
internal sealed record BatchItemRequest(
    [property: Required, Url, StringLength(FetchUrlRules.MaxLength), Description("The page to fetch: an absolute http or https URL.")]
    string Url,
    [property: StringLength(JobsApi.MaxCustomIdLength), Description("Your id for the item, unique in the batch; items are addressed by it.")]
    string? CustomId = null) : IApiExample<BatchItemRequest>
{
    public static BatchItemRequest Example => new("https://example.com/page1", "1");
}
