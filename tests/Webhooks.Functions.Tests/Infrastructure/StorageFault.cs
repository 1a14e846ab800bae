namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>The disruptive fault a <see cref="StorageFaultProxy"/> drew for one request.</summary>
public enum StorageFault
{
    None,
    Throttle,
    ResetRequest,
    ResetResponse,
    Hold,
}
