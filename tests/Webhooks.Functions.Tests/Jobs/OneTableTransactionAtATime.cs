using Azure.Core;
using Azure.Core.Pipeline;

namespace Webhooks.Functions.Tests.Jobs;

/// <summary>
/// An Azure SDK pipeline policy (per try, so outside the try's network timeout) that lets the app send one table
/// transaction (<c>POST …/$batch</c>) at a time: Azurite runs them one after the other on its one thread anyway, and
/// with the eight a batch create sends at once, each try's time was mostly the other seven's.
/// </summary>
public sealed class OneTableTransactionAtATime : HttpPipelinePolicy, IDisposable
{
    private readonly SemaphoreSlim _turn = new(1);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (!IsTransaction(message))
        {
            ProcessNext(message, pipeline);
            return;
        }
        _turn.Wait(message.CancellationToken);
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            _turn.Release();
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (!IsTransaction(message))
        {
            await ProcessNextAsync(message, pipeline);
            return;
        }
        await _turn.WaitAsync(message.CancellationToken);
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();

    private static bool IsTransaction(HttpMessage message) =>
        message.Request.Method == RequestMethod.Post && message.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal);
}
