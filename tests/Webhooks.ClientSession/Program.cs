using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Webhooks.Client;
using Webhooks.Client.Models;
using Webhooks.Client.V1.Deliveries;
using Webhooks.Client.V1.Stats;
using Webhooks.ClientSession;

// A customer's session on the generated client, each step printed as "step: what the API answered", so that the test
// running it can check every step. Arguments: API base URL, API key, a page to fetch, a webhook URL that fails, an
// OAuth 2.0 token endpoint with its client id and secret, and a receiver that wants that token and a custom header.
if (args.Length != 8)
{
    Console.Error.WriteLine("usage: Webhooks.ClientSession <api base url> <api key> <page url> <webhook url> <token url> <client id> <client secret> <endpoint url>");
    return 2;
}
var (baseUrl, apiKey, pageUrl, webhookUrl) = (args[0], args[1], args[2], args[3]);
var (tokenUrl, clientId, clientSecret, endpointUrl) = (args[4], args[5], args[6], args[7]);
var adapter = new HttpClientRequestAdapter(new BaseBearerTokenAuthenticationProvider(new ApiKeyProvider(apiKey))) { BaseUrl = baseUrl };
var client = new WebhooksClient(adapter);

var batch = await client.V1.Batches.PostAsync(
    new CreateBatchRequest { Items = [new BatchItemRequest { Url = pageUrl, CustomId = "home" }], Webhook = webhookUrl },
    request => request.Headers.Add("Idempotency-Key", "session-" + Guid.NewGuid().ToString("N")));
Console.WriteLine($"created: {batch!.Id} {batch.Object} {batch.Status}");

var listed = await Poll.UntilAsync(
    () => client.V1.Events.GetAsync(request => request.QueryParameters.ResourceId = batch.Id),
    page => page?.Data is [_, ..]);
var eventId = listed!.Data![0].Id!;
Console.WriteLine($"event: {eventId} {listed.Data[0].Object}");

// The webhook answers 500 on every attempt: the delivery ends failed once the policy's attempts are spent.
var detail = await Poll.UntilAsync(() => client.V1.Events[eventId].GetAsync(), e => e?.Deliveries is [{ Status: DeliveryDetail_status.Failed }]);
var delivery = detail!.Deliveries![0];
Console.WriteLine($"delivery: {delivery.Id} {delivery.Status} {delivery.Attempt} attempts_made={delivery.AttemptsMade}");
foreach (var attempt in delivery.Attempts!)
{
    Console.WriteLine($"attempt: {attempt.Attempt} {attempt.Outcome} {attempt.StatusCode}");
}

var redelivery = await client.V1.Events[eventId].Redeliver.PostAsync(new RedeliverRequest());
Console.WriteLine($"redelivered: {redelivery!.Id} {redelivery.Status} {redelivery.Attempt}");

var failed = await client.V1.Deliveries.GetAsync(request => request.QueryParameters.Status = GetStatusQueryParameterType.Failed);
Console.WriteLine($"failed deliveries: {string.Join(",", failed!.Data!.Select(d => d.Id))}");

// The team's figures of the last 24 hours by hour: the failed delivery's attempts are in them.
var stats = await client.V1.Stats.GetAsync(request => request.QueryParameters.Bucket = GetBucketQueryParameterType.PT1H);
var buckets = stats!.Data!;
Console.WriteLine($"stats: {stats.Bucket} {buckets.Count} attempts={buckets.Sum(b => b.Attempts ?? 0)} delivered={buckets.Sum(b => b.Delivered ?? 0)}");

// An endpoint of its own: a custom header, an OAuth 2.0 client and Ed25519 signatures; its secret and the public key a
// receiver verifies v1a with. A batch without a webhook then goes to it, with the header and the bearer token.
var endpoint = await client.V1.Endpoints.PostAsync(new CreateEndpointRequest
{
    Url = endpointUrl,
    AsymmetricSigning = true,
    Headers = new CreateEndpointRequest_headers { AdditionalData = { ["X-Customer"] = "acme" } },
    Oauth2 = new CreateEndpointRequest_oauth2 { TokenUrl = tokenUrl, ClientId = clientId, ClientSecret = clientSecret },
});
var endpointSecret = await client.V1.Endpoints[endpoint!.Id!].SigningSecret.GetAsync();
Console.WriteLine($"endpoint: {endpoint.Id} asymmetric_signing={endpoint.AsymmetricSigning} secret={endpointSecret!.SigningSecret![..6]}");
Console.WriteLine($"endpoint headers: {string.Join(",", endpoint.Headers!.AdditionalData.Select(h => $"{h.Key}={h.Value}"))}");
Console.WriteLine($"endpoint oauth2: {endpoint.Oauth2!.ClientId} client_secret_set={endpoint.Oauth2.ClientSecretSet}");
var publicKeys = await client.V1.Endpoints[endpoint.Id!].PublicKeys.GetAsync();
foreach (var key in publicKeys!.Data!)
{
    Console.WriteLine($"public key: {key.PublicKey![..5]} {key.Jwk!.Kty} {key.Jwk.Crv} x={key.Jwk.X!.Length} kid={key.Jwk.Kid!.Length} expires_at={key.ExpiresAt?.ToString() ?? "null"}");
}
var toEndpoint = await client.V1.Batches.PostAsync(new CreateBatchRequest { Items = [new BatchItemRequest { Url = pageUrl }] });
var endpointEvent = await Poll.UntilAsync(
    () => client.V1.Events.GetAsync(request => request.QueryParameters.ResourceId = toEndpoint!.Id),
    page => page?.Data is [_, ..]);
var endpointDelivery = await Poll.UntilAsync(
    () => client.V1.Events[endpointEvent!.Data![0].Id!].GetAsync(),
    e => e?.Deliveries is [{ Status: DeliveryDetail_status.Delivered }]);
Console.WriteLine($"endpoint delivery: {endpointDelivery!.Deliveries![0].Status} {endpointDelivery.Deliveries[0].Attempt}");

try
{
    await client.V1.Batches.PostAsync(new CreateBatchRequest { Items = [new BatchItemRequest { Url = "not a url" }] });
    Console.WriteLine("problem: none");
}
catch (HttpValidationProblemDetails problem)
{
    // The errors map has a key per rejected field; Kiota keeps an open map's values as untyped JSON nodes.
    foreach (var (field, messages) in problem.Errors!.AdditionalData)
    {
        var texts = ((UntypedArray)messages).GetValue().Select(m => ((UntypedString)m).GetValue());
        Console.WriteLine($"problem: {problem.Status} {field}: {string.Join(" ", texts)}");
    }
}
return 0;
