namespace Webhooks.Functions.Delivery;

/// <summary>The input of <see cref="DeliveryAttemptActivity"/>: make attempt <paramref name="Attempt"/> of a delivery.</summary>
internal sealed record AttemptRequest(string Partition, string DeliveryId, int Attempt);
