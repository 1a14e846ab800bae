namespace Webhooks.Functions.Endpoints;

/// <summary>The delivery stats of one bucket of a range: its start and what was counted in it (nothing, for a quiet one).</summary>
internal sealed record DeliveryStatsBucket(DateTimeOffset Start, DeliveryStatsCounts Counts);
