using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Hosting.Worker;

/// <summary>
/// The delivery orchestration and its attempt activity as Durable Functions: one-line adapters over the same classes
/// the standalone engine runs, so both hosts deliver with the same code.
/// </summary>
internal sealed class DeliveryFunctions(DeliveryAttemptActivity attempt, DeliveryExhaustedActivity exhausted)
{
    [Function(DeliverWebhookOrchestrator.Name)]
    public static Task<string> DeliverWebhookAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new DeliverWebhookOrchestrator().RunAsync(context, context.GetInput<DeliveryInput>()!);
    }

    [Function(DeliveryAttemptActivity.Name)]
    public async Task<AttemptReport> DeliveryAttemptAsync([ActivityTrigger] AttemptRequest request, [DurableClient] DurableTaskClient client)
    {
        // An attempt can disable its endpoint (SPEC §9), whose operational event's delivery is started from here.
        using var binding = FunctionsDeliveryOrchestrations.Bind(client);
        return await attempt.RunAsync(request, CancellationToken.None);
    }

    [Function(DeliveryExhaustedActivity.Name)]
    public async Task<bool> DeliveryExhaustedAsync([ActivityTrigger] AttemptRequest request, [DurableClient] DurableTaskClient client)
    {
        // The exhausted event's own delivery is started from here, with this invocation's client.
        using var binding = FunctionsDeliveryOrchestrations.Bind(client);
        return await exhausted.RunAsync(request, CancellationToken.None);
    }
}
