using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Hosting.Worker;

/// <summary>
/// The delivery orchestration and its attempt activity as Durable Functions: one-line adapters over the same classes
/// the standalone engine runs, so both hosts deliver with the same code.
/// </summary>
internal sealed class DeliveryFunctions(DeliveryAttemptActivity attempt)
{
    [Function(DeliverWebhookOrchestrator.Name)]
    public static Task<string> DeliverWebhookAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new DeliverWebhookOrchestrator().RunAsync(context, context.GetInput<DeliveryInput>()!);
    }

    [Function(DeliveryAttemptActivity.Name)]
    public Task<AttemptReport> DeliveryAttemptAsync([ActivityTrigger] AttemptRequest request) => attempt.RunAsync(request, CancellationToken.None);
}
