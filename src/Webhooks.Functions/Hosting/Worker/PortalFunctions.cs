using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Webhooks.Functions.Hosting.Worker;

/// <summary>
/// The portal's pages (Portal/Pages) as HTTP-triggered functions, one per page route with the methods a page answers
/// (GET shows it, POST sends its forms), plus its stylesheet. Like <see cref="ApiFunctions"/> they hand the request to
/// the shared pipeline; every page gets the Durable client, because redelivery, recovery and enabling an endpoint with
/// recover start orchestrations.
/// </summary>
internal sealed class PortalFunctions(ApiPipeline api)
{
    private const AuthorizationLevel Anonymous = AuthorizationLevel.Anonymous;

    [Function("PortalHome")]
    public IResult Home([HttpTrigger(Anonymous, "get", "post", Route = "portal")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        api.Handle(request, durable);

    [Function("PortalSignIn")]
    public IResult SignIn([HttpTrigger(Anonymous, "get", "post", Route = "portal/signin")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        api.Handle(request, durable);

    [Function("PortalSignOut")]
    public IResult SignOut([HttpTrigger(Anonymous, "get", "post", Route = "portal/signout")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        api.Handle(request, durable);

    [Function("PortalEvents")]
    public IResult Events([HttpTrigger(Anonymous, "get", "post", Route = "portal/events")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        api.Handle(request, durable);

    [Function("PortalEvent")]
    public IResult Event([HttpTrigger(Anonymous, "get", "post", Route = "portal/events/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        api.Handle(request, durable);

    [Function("PortalDashboard")]
    public IResult Dashboard([HttpTrigger(Anonymous, "get", "post", Route = "portal/dashboard")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        api.Handle(request, durable);

    [Function("PortalDeliveries")]
    public IResult Deliveries([HttpTrigger(Anonymous, "get", "post", Route = "portal/deliveries")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        api.Handle(request, durable);

    [Function("PortalRecover")]
    public IResult Recover([HttpTrigger(Anonymous, "get", "post", Route = "portal/recover")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        api.Handle(request, durable);

    [Function("PortalEndpoints")]
    public IResult Endpoints([HttpTrigger(Anonymous, "get", "post", Route = "portal/endpoints")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        api.Handle(request, durable);

    [Function("PortalEndpoint")]
    public IResult Endpoint([HttpTrigger(Anonymous, "get", "post", Route = "portal/endpoints/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        api.Handle(request, durable);

    [Function("PortalEndpointSigning")]
    public IResult EndpointSigning(
        [HttpTrigger(Anonymous, "get", "post", Route = "portal/endpoints/{id}/signing")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        api.Handle(request, durable);

    [Function("PortalPing")]
    public IResult Ping([HttpTrigger(Anonymous, "get", "post", Route = "portal/ping")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        api.Handle(request, durable);

    [Function("PortalTeam")]
    public IResult Team([HttpTrigger(Anonymous, "get", "post", Route = "portal/team")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        api.Handle(request, durable);

    [Function("PortalStylesheet")]
    public IResult Stylesheet([HttpTrigger(Anonymous, "get", Route = "portal/portal.css")] HttpRequest request) => api.Handle(request);
}
