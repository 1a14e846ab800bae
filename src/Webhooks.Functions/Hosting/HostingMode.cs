namespace Webhooks.Functions.Hosting;

/// <summary>How the process is run (SPEC §6): on its own, or by the Azure Functions host as a custom handler.</summary>
internal enum HostingMode
{
    /// <summary>Kestrel on 127.0.0.1:7071, own queue pollers and sweeper timer.</summary>
    Standalone,

    /// <summary>The Functions host owns the triggers and forwards every invocation over local HTTP; no own pollers.</summary>
    FunctionsCustomHandler,
}
