using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Webhooks.Functions.Hosting.Worker;

/// <summary>
/// Every route of the API as an HTTP-triggered function: the host routes the request here by the same template and
/// method as the standalone app's route table (the drift test in FunctionsMetadataTests holds them equal), and the
/// function hands it to the same pipeline (<see cref="ApiPipeline"/>). Anonymous at the host: authentication is the
/// app's own (API keys, the admin key), as it is standalone.
/// </summary>
internal sealed class ApiFunctions(ApiPipeline api)
{
    private const AuthorizationLevel Anonymous = AuthorizationLevel.Anonymous;

    [Function("GetOpenApiDocument")]
    public IResult GetOpenApiDocument([HttpTrigger(Anonymous, "get", Route = "openapi/{documentName}.json")] HttpRequest request) => api.Handle(request);

    [Function("GetApiReference")]
    public IResult GetApiReference([HttpTrigger(Anonymous, "get", Route = "docs/{documentName?}")] HttpRequest request) => api.Handle(request);

    [Function("GetApiReferenceScript")]
    public IResult GetApiReferenceScript([HttpTrigger(Anonymous, "get", Route = "docs/scalar.js")] HttpRequest request) => api.Handle(request);

    [Function("GetApiReferenceLoader")]
    public IResult GetApiReferenceLoader([HttpTrigger(Anonymous, "get", Route = "docs/scalar.aspnetcore.js")] HttpRequest request) => api.Handle(request);

    [Function("GetApiReferenceIcon")]
    public IResult GetApiReferenceIcon([HttpTrigger(Anonymous, "get", Route = "docs/favicon.svg")] HttpRequest request) => api.Handle(request);

    [Function("GetHealth")]
    public IResult GetHealth([HttpTrigger(Anonymous, "get", Route = "healthz")] HttpRequest request) => api.Handle(request);

    [Function("CreateTeam")]
    public IResult CreateTeam([HttpTrigger(Anonymous, "post", Route = "v1/admin/teams")] HttpRequest request) => api.Handle(request);

    [Function("DeleteTeam")]
    public IResult DeleteTeam([HttpTrigger(Anonymous, "delete", Route = "v1/admin/teams/{id}")] HttpRequest request) => api.Handle(request);

    [Function("GetTeam")]
    public IResult GetTeam([HttpTrigger(Anonymous, "get", Route = "v1/team")] HttpRequest request) => api.Handle(request);

    [Function("UpdateTeam")]
    public IResult UpdateTeam([HttpTrigger(Anonymous, "patch", Route = "v1/team")] HttpRequest request) => api.Handle(request);

    [Function("GetSigningSecret")]
    public IResult GetSigningSecret([HttpTrigger(Anonymous, "get", Route = "v1/team/signing-secret")] HttpRequest request) => api.Handle(request);

    [Function("RotateSigningSecret")]
    public IResult RotateSigningSecret([HttpTrigger(Anonymous, "post", Route = "v1/team/signing-secret/rotate")] HttpRequest request) => api.Handle(request);

    [Function("GetTeamPublicKeys")]
    public IResult GetTeamPublicKeys([HttpTrigger(Anonymous, "get", Route = "v1/team/public-keys")] HttpRequest request) => api.Handle(request);

    [Function("CreateBatch")]
    public IResult CreateBatch([HttpTrigger(Anonymous, "post", Route = "v1/batches")] HttpRequest request) => api.Handle(request);

    [Function("GetBatch")]
    public IResult GetBatch([HttpTrigger(Anonymous, "get", Route = "v1/batches/{id}")] HttpRequest request) => api.Handle(request);

    [Function("ListBatchItems")]
    public IResult ListBatchItems([HttpTrigger(Anonymous, "get", Route = "v1/batches/{id}/items")] HttpRequest request) => api.Handle(request);

    [Function("GetBatchItemContent")]
    public IResult GetBatchItemContent([HttpTrigger(Anonymous, "get", Route = "v1/batches/{id}/items/{item}/content")] HttpRequest request) => api.Handle(request);

    [Function("CreateCrawl")]
    public IResult CreateCrawl([HttpTrigger(Anonymous, "post", Route = "v1/crawls")] HttpRequest request) => api.Handle(request);

    [Function("GetCrawl")]
    public IResult GetCrawl([HttpTrigger(Anonymous, "get", Route = "v1/crawls/{id}")] HttpRequest request) => api.Handle(request);

    [Function("ListCrawlPages")]
    public IResult ListCrawlPages([HttpTrigger(Anonymous, "get", Route = "v1/crawls/{id}/pages")] HttpRequest request) => api.Handle(request);

    [Function("CreateWebCrawl")]
    public IResult CreateWebCrawl([HttpTrigger(Anonymous, "post", Route = "v1/web/crawl")] HttpRequest request) => api.Handle(request);

    [Function("ListEvents")]
    public IResult ListEvents([HttpTrigger(Anonymous, "get", Route = "v1/events")] HttpRequest request) => api.Handle(request);

    [Function("GetEvent")]
    public IResult GetEvent([HttpTrigger(Anonymous, "get", Route = "v1/events/{id}")] HttpRequest request) => api.Handle(request);

    [Function("RedeliverEvent")]
    public IResult RedeliverEvent(
        [HttpTrigger(Anonymous, "post", Route = "v1/events/{id}/redeliver")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        api.Handle(request, durable);

    [Function("ListEventTypes")]
    public IResult ListEventTypes([HttpTrigger(Anonymous, "get", Route = "v1/event-types")] HttpRequest request) => api.Handle(request);

    [Function("ListDeliveries")]
    public IResult ListDeliveries([HttpTrigger(Anonymous, "get", Route = "v1/deliveries")] HttpRequest request) => api.Handle(request);

    [Function("RecoverDeliveries")]
    public IResult RecoverDeliveries(
        [HttpTrigger(Anonymous, "post", Route = "v1/deliveries/recover")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        api.Handle(request, durable);

    [Function("CreateEndpoint")]
    public IResult CreateEndpoint([HttpTrigger(Anonymous, "post", Route = "v1/endpoints")] HttpRequest request) => api.Handle(request);

    [Function("ListEndpoints")]
    public IResult ListEndpoints([HttpTrigger(Anonymous, "get", Route = "v1/endpoints")] HttpRequest request) => api.Handle(request);

    [Function("GetEndpoint")]
    public IResult GetEndpoint([HttpTrigger(Anonymous, "get", Route = "v1/endpoints/{id}")] HttpRequest request) => api.Handle(request);

    [Function("UpdateEndpoint")]
    public IResult UpdateEndpoint([HttpTrigger(Anonymous, "patch", Route = "v1/endpoints/{id}")] HttpRequest request) => api.Handle(request);

    [Function("DeleteEndpoint")]
    public IResult DeleteEndpoint(
        [HttpTrigger(Anonymous, "delete", Route = "v1/endpoints/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        api.Handle(request, durable);

    [Function("EnableEndpoint")]
    public IResult EnableEndpoint(
        [HttpTrigger(Anonymous, "post", Route = "v1/endpoints/{id}/enable")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        api.Handle(request, durable);

    [Function("GetEndpointHealth")]
    public IResult GetEndpointHealth([HttpTrigger(Anonymous, "get", Route = "v1/endpoints/{id}/health")] HttpRequest request) => api.Handle(request);

    [Function("GetEndpointSigningSecret")]
    public IResult GetEndpointSigningSecret([HttpTrigger(Anonymous, "get", Route = "v1/endpoints/{id}/signing-secret")] HttpRequest request) => api.Handle(request);

    [Function("RotateEndpointSigningSecret")]
    public IResult RotateEndpointSigningSecret(
        [HttpTrigger(Anonymous, "post", Route = "v1/endpoints/{id}/signing-secret/rotate")] HttpRequest request) => api.Handle(request);

    [Function("GetEndpointPublicKeys")]
    public IResult GetEndpointPublicKeys([HttpTrigger(Anonymous, "get", Route = "v1/endpoints/{id}/public-keys")] HttpRequest request) => api.Handle(request);

    [Function("GetStats")]
    public IResult GetStats([HttpTrigger(Anonymous, "get", Route = "v1/stats")] HttpRequest request) => api.Handle(request);

    [Function("TestWebhook")]
    public IResult TestWebhook([HttpTrigger(Anonymous, "post", Route = "v1/webhooks/test")] HttpRequest request) => api.Handle(request);
}
