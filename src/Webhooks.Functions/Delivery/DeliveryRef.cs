namespace Webhooks.Functions.Delivery;

/// <summary>Where a delivery lives: its partition (the job id, or the ping's event id) and its id.</summary>
internal sealed record DeliveryRef(string Partition, string DeliveryId);
