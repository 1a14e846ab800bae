using Microsoft.Extensions.Options;
using Webhooks.Functions.Api;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Events;

/// <summary><c>POST /v1/webhooks/test</c>: lets a customer check an endpoint and its signature check before real events flow.</summary>
internal static class WebhookTestApi
{
    public static RouteGroupBuilder MapWebhookTestApi(this RouteGroupBuilder v1)
    {
        v1.MapGroup("/webhooks").WithTags(ApiTags.Webhooks).MapPost("/test", SendPingAsync)
            .WithName("TestWebhook").WithSummary("Send a test event")
            .WithDescription("Sends one signed `event.ping` to the URL, without retries, and answers with the attempt's outcome.")
            .AcceptsJson<TestWebhookRequest>().Produces<PingResponse>();
        return v1;
    }

    private static async Task<IResult> SendPingAsync(
        HttpContext context, PingSender pings, IOptions<SecurityOptions> security, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        var validation = new RequestValidation();
        var url = validation.RequiredString(body.Root, "url", "url", WebhookUrlRules.MaxLength * 2);
        if (url is not null && WebhookUrlRules.Check(url, security.Value.RequireHttpsWebhooks) is { } urlError)
        {
            validation.Add("url", urlError);
        }
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var (evt, delivery, attempt) = await pings.SendAsync(CurrentTeam.Id(context), url!, cancellationToken);
        return TypedResults.Ok(new PingResponse(evt.EventId, delivery.DeliveryId, attempt.Outcome, attempt.StatusCode, attempt.DurationMs,
            attempt.Error, attempt.ResponseExcerpt));
    }
}
