using DurableTask.Core;
using Microsoft.DurableTask.Client;

namespace Webhooks.Functions.Hosting;

/// <summary>
/// The states in which an orchestration runs no more: completed, failed or terminated. Both Durable engines ask it,
/// the standalone one in DurableTask.Core's <see cref="OrchestrationStatus"/>, the Functions worker in the client's
/// <see cref="OrchestrationRuntimeStatus"/>, which mirrors it value for value.
/// </summary>
internal static class EndedOrchestrations
{
    public static bool IsEnded(OrchestrationStatus status) =>
        status is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated;

    public static bool IsEnded(OrchestrationRuntimeStatus status) => IsEnded((OrchestrationStatus)status);
}
