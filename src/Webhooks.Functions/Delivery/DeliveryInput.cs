namespace Webhooks.Functions.Delivery;

/// <summary>
/// The input of a <see cref="DeliverWebhookOrchestrator"/> instance, whose instance id is <paramref name="DeliveryId"/>:
/// where the delivery row lives and how many attempts its policy allows. Ids only, never the payload.
/// </summary>
internal sealed record DeliveryInput(string Partition, string DeliveryId, int MaxAttempts)
{
    public static DeliveryInput For(DeliveryEntity delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new DeliveryInput(delivery.PartitionKey, delivery.DeliveryId, delivery.MaxAttempts);
    }
}
