using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Hosting.Worker;

/// <summary>
/// The worker's <see cref="IDeliveryOrchestrations"/>: starts delivery orchestrations through the Functions host's
/// Durable extension. The isolated worker has a <see cref="DurableTaskClient"/> only as the <c>[DurableClient]</c>
/// input of an invocation, so every function that can start deliveries binds its client here (<see cref="Bind"/>) for
/// the length of its work.
/// </summary>
internal sealed class FunctionsDeliveryOrchestrations : IDeliveryOrchestrations
{
    private static readonly AsyncLocal<DurableTaskClient?> Current = new();

    /// <summary>Makes <paramref name="client"/> the one this invocation starts orchestrations with, until disposed.</summary>
    public static IDisposable Bind(DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var previous = Current.Value;
        Current.Value = client;
        return new Binding(previous);
    }

    public Task StartDeliveriesAsync(IReadOnlyList<DeliveryInput> deliveries, CancellationToken cancellationToken) =>
        StartAllAsync(deliveries, restartEnded: false, cancellationToken);

    public Task StartOrRestartEndedAsync(IReadOnlyList<DeliveryInput> deliveries, CancellationToken cancellationToken) =>
        StartAllAsync(deliveries, restartEnded: true, cancellationToken);

    private static async Task StartAllAsync(IReadOnlyList<DeliveryInput> deliveries, bool restartEnded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        var client = Current.Value ?? throw new InvalidOperationException(
            "No Durable client is bound: the function that started deliveries lacks its [DurableClient] input.");
        await Task.WhenAll(deliveries.Select(d => StartOneAsync(client, d, restartEnded, cancellationToken)));
    }

    private static async Task StartOneAsync(DurableTaskClient client, DeliveryInput delivery, bool restartEnded, CancellationToken cancellationToken)
    {
        var restartable = (OrchestrationRuntimeStatus status) => restartEnded && EndedWithoutItsDelivery(status);
        // Looked up first, so an older host extension that ignores dedupe statuses still never restarts a finished delivery.
        var existing = await client.GetInstanceAsync(delivery.DeliveryId, getInputsAndOutputs: false, cancellationToken);
        if (existing is not null && !restartable(existing.RuntimeStatus))
        {
            return;
        }
        var options = new StartOrchestrationOptions(delivery.DeliveryId)
            .WithDedupeStatuses([.. StartOrchestrationOptionsExtensions.ValidDedupeStatuses.Where(s => !restartable(s))]);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(DeliverWebhookOrchestrator.Name, delivery, options, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Refused because a racing replay of the same completion started it meanwhile: that start is the one that counts.
            var now = await client.GetInstanceAsync(delivery.DeliveryId, getInputsAndOutputs: false, CancellationToken.None);
            if (now is null || restartable(now.RuntimeStatus))
            {
                throw;
            }
        }
    }

    public async Task<bool> PurgeAsync(IReadOnlyList<string> deliveryIds, bool terminateRunning, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveryIds);
        var client = Current.Value ?? throw new InvalidOperationException(
            "No Durable client is bound: the function that purges deliveries lacks its [DurableClient] input.");
        var gone = await Task.WhenAll(deliveryIds.Select(async id =>
        {
            var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: false, cancellationToken);
            if (instance is null)
            {
                return true;
            }
            if (EndedOrchestrations.IsEnded(instance.RuntimeStatus))
            {
                await client.PurgeInstanceAsync(id, cancellationToken);
                return true;
            }
            if (terminateRunning)
            {
                await client.TerminateInstanceAsync(id, IDeliveryOrchestrations.TerminationReason, cancellationToken);
            }
            return false;
        }));
        return gone.All(g => g);
    }

    /// <summary>
    /// The states of an orchestration that has ended while its delivery is still pending (it failed, was terminated, or
    /// completed when its delivery was parked and the delivery was resumed since): started afresh.
    /// </summary>
    private static bool EndedWithoutItsDelivery(OrchestrationRuntimeStatus status) =>
        EndedOrchestrations.IsEnded(status);

    private sealed class Binding(DurableTaskClient? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
