namespace Webhooks.Functions.Delivery;

/// <summary>
/// What <see cref="DeliveryAttemptActivity"/> tells the orchestration: the delivery's status now and, while it is
/// pending, which attempt comes next and when. It is read from the delivery row as recorded, so a re-run of an attempt
/// that was already recorded reports the same thing without sending again.
/// </summary>
/// <param name="Status">A <see cref="DeliveryStatus"/>, or <see cref="DeliveryStatus.Missing"/> when the row is gone.</param>
/// <param name="Attempt">The delivery's <c>"k/n"</c>: the attempt last made, or the next one while none was made.</param>
/// <param name="NextAttempt">The attempt to make next while <paramref name="Status"/> is pending.</param>
/// <param name="NextAttemptAt">When to make it; null once the delivery has ended.</param>
internal sealed record AttemptReport(string Status, string Attempt, int NextAttempt, DateTimeOffset? NextAttemptAt)
{
    public bool HasEnded => Status != DeliveryStatus.Pending || NextAttemptAt is null;

    public static AttemptReport From(DeliveryEntity delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new AttemptReport(delivery.Status, delivery.Attempt, delivery.AttemptsMade + 1,
            delivery.Status == DeliveryStatus.Pending ? delivery.NextAttemptAt : null);
    }
}
