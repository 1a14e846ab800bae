using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Hosting;

/// <summary>
/// The queue and timer functions as the Functions host calls them in custom-handler mode: <c>POST /{FunctionName}</c>
/// with the invocation payload, answered with <see cref="FunctionInvocationResult"/>. The same handlers run here as
/// under the standalone pollers; only the transport differs.
/// </summary>
internal static partial class FunctionInvocationApi
{
    public const string SweeperFunction = "sweeper";

    /// <summary>The queue functions; each folder name in <c>functions/</c> equals the queue its handler serves.</summary>
    public static readonly string[] QueueFunctions = [StorageNames.JobsQueue];

    private const string LogCategory = "Webhooks.Functions.Hosting.FunctionInvocation";

    /// <summary>
    /// Maps the invocation endpoints in custom-handler mode only. Standalone has no Functions host, so there these
    /// paths must not exist at all (404) rather than exist behind a check.
    /// </summary>
    public static IEndpointRouteBuilder MapFunctionInvocations(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.ServiceProvider;
        if (services.GetRequiredService<HostingContext>().Mode != HostingMode.FunctionsCustomHandler)
        {
            return app;
        }
        var port = services.GetRequiredService<IConfiguration>()["FUNCTIONS_CUSTOMHANDLER_PORT"]!;
        var invocations = app.MapGroup("").AddEndpointFilter(new FunctionInvocationHostCheck(port)).ExcludeFromDescription();
        foreach (var queue in QueueFunctions)
        {
            invocations.MapPost("/" + queue, (HttpRequest request, [FromServices] IEnumerable<IQueueHandler> handlers, [FromServices] ILoggerFactory loggers) =>
                InvokeQueueAsync(queue, request, handlers, loggers.CreateLogger(LogCategory)));
        }
        invocations.MapPost("/" + SweeperFunction, (HttpRequest request, [FromServices] Sweeper sweeper, [FromServices] ILoggerFactory loggers) =>
            InvokeSweeperAsync(request, sweeper, loggers.CreateLogger(LogCategory)));
        return app;
    }

    private static async Task<IResult> InvokeQueueAsync(string queue, HttpRequest request, IEnumerable<IQueueHandler> handlers, ILogger logger)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var invocationId = request.Headers[FunctionInvocationHostCheck.InvocationIdHeader].ToString();
        QueueWork work;
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            work = FunctionInvocationPayload.ReadQueueWork(body.RootElement);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            // The host retries and finally poisons it: a payload we cannot read will not get better, and stays visible.
            LogMalformed(logger, queue, invocationId, e.Message);
            return FunctionInvocationResult.Failed(StatusCodes.Status400BadRequest, $"Malformed {queue} invocation: {e.Message}");
        }

        var handler = handlers.FirstOrDefault(h => h.QueueName == queue);
        if (handler is null)
        {
            // A deployment without this feature: failing keeps the message for a deployment that has it.
            LogNoHandler(logger, queue, invocationId);
            return FunctionInvocationResult.Failed(StatusCodes.Status500InternalServerError, $"No handler for queue {queue}.");
        }
        try
        {
            await handler.HandleAsync(work, cancellationToken);
            return FunctionInvocationResult.Ok();
        }
        catch (Exception e)
        {
            LogFailed(logger, e, queue, work.MessageId, work.DequeueCount, invocationId);
            return FunctionInvocationResult.Failed(StatusCodes.Status500InternalServerError,
                $"{queue} message {work.MessageId} failed on try {work.DequeueCount}: {e.GetType().Name}: {FirstLine(e.Message)}");
        }
    }

    private static async Task<IResult> InvokeSweeperAsync(HttpRequest request, Sweeper sweeper, ILogger logger)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            if (FunctionInvocationPayload.ReadTimerPastDue(body.RootElement) == true)
            {
                LogPastDue(logger);
            }
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return FunctionInvocationResult.Failed(StatusCodes.Status400BadRequest, $"Malformed {SweeperFunction} invocation: {e.Message}");
        }
        try
        {
            // Each sweep task's own failure is logged by the sweeper and does not fail the tick; only cancellation does.
            await sweeper.RunAsync(cancellationToken);
            return FunctionInvocationResult.Ok();
        }
        catch (Exception e)
        {
            LogSweeperFailed(logger, e);
            return FunctionInvocationResult.Failed(StatusCodes.Status500InternalServerError, $"{SweeperFunction} failed: {e.GetType().Name}");
        }
    }

    /// <summary>Storage exceptions append request details after the first line; the summary is enough for the host's log.</summary>
    private static string FirstLine(string message)
    {
        var end = message.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? message : message[..end];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Functions host invocation of {Function} ({InvocationId}) was malformed: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string function, string invocationId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Functions host invoked {Function} ({InvocationId}), which has no queue handler in this build")]
    private static partial void LogNoHandler(ILogger logger, string function, string invocationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} message {MessageId} failed on try {DequeueCount} (invocation {InvocationId})")]
    private static partial void LogFailed(ILogger logger, Exception exception, string queue, string? messageId, long dequeueCount, string invocationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The sweeper timer ran late (IsPastDue)")]
    private static partial void LogPastDue(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sweeper invocation failed")]
    private static partial void LogSweeperFailed(ILogger logger, Exception exception);
}
