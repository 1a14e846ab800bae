using System.Collections.Concurrent;
using Xunit.Sdk;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// Holds every webhook delivery a test server receives to its event type's JSON Schema (SPEC §11: every delivery
/// made in the tests validates). A request is a delivery when it is a POST with a <c>webhook-id</c> header. The body
/// is checked before the test's handler answers, so a receiver that answers errors on purpose is checked too.
/// Violations are recorded, not answered: the product's retries stay what the test scripted, and the test that
/// received the delivery fails when it reads what it received (<see cref="WebhookReceiver"/>) or, at the latest,
/// when its server is disposed (<see cref="LocalServer"/>).
/// </summary>
public sealed class DeliveryConformance
{
    private readonly ConcurrentQueue<string> _violations = new();

    public IReadOnlyList<string> Violations => _violations.ToArray();

    public static bool IsDelivery(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Headers.ContainsKey("webhook-id");

    /// <summary>Reads the body of a delivery without consuming it: the handler that runs next reads it again.</summary>
    public async Task CheckAsync(HttpContext context)
    {
        var request = context.Request;
        if (!IsDelivery(request))
        {
            return;
        }
        request.EnableBuffering();
        byte[] body;
        try
        {
            using var copy = new MemoryStream();
            await request.Body.CopyToAsync(copy, context.RequestAborted);
            body = copy.ToArray();
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The sender went away mid-body (a killed app, a timeout): there is no whole delivery to check.
            return;
        }
        finally
        {
            request.Body.Position = 0;
        }
        foreach (var violation in EventSchemas.ViolationsOfDelivery(request.Headers["X-Webhook-Event"].ToString(), body))
        {
            _violations.Enqueue($"delivery {request.Headers["X-Webhook-Delivery-Id"]} attempt {request.Headers["X-Webhook-Attempt"]}: {violation}");
        }
    }

    /// <summary>Fails the test when any delivery received so far did not conform to its schema.</summary>
    public void AssertConformed()
    {
        if (!_violations.IsEmpty)
        {
            throw new XunitException("Deliveries that do not conform to their event type's schema in schemas/:\n" + string.Join("\n", _violations));
        }
    }
}
