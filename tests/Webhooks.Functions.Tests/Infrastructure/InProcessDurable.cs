using Microsoft.AspNetCore.Connections;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// The SDK's in-process Durable engine (in-memory backend behind its gRPC sidecar). Its sidecar listens on a port
/// chosen before binding, which another test's server can take first when tests run in parallel (seen once in a
/// fresh-clone run: "address already in use"), so a start that loses that race tries again on another port.
/// </summary>
public static class InProcessDurable
{
    private const int MaxStarts = 5;

    public static async Task<DurableTaskTestHost> StartAsync(Action<DurableTaskRegistry> register)
    {
        for (var start = 1; ; start++)
        {
            try
            {
                return await DurableTaskTestHost.StartAsync(register, new DurableTaskTestHostOptions { Port = FreePort.Next() });
            }
            catch (IOException e) when (start < MaxStarts && e.InnerException is AddressInUseException)
            {
                // Taken between choosing and binding: choose again.
            }
        }
    }
}
