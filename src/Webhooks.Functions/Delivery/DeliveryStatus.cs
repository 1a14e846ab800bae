namespace Webhooks.Functions.Delivery;

/// <summary>The <c>Status</c> of a delivery entity (SPEC §5).</summary>
internal static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    /// <summary>Held back, with no attempt running, while its endpoint is disabled (SPEC §9); enabling with recover resumes it. Like <see cref="Pending"/>, never swept away by retention.</summary>
    public const string Parked = "parked";

    /// <summary>Not a row's status: what an orchestration ends with when its delivery row no longer exists.</summary>
    public const string Missing = "missing";

    public static bool IsFinal(string status) => status is Delivered or Failed;

    public static readonly string[] All = [Pending, Delivered, Failed, Parked];
}
