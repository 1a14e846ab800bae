using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Webhooks.Functions.Hosting;

/// <summary>
/// The answer the Functions host expects from a queue or timer invocation (docs/functions-host-contract.md). The names
/// are fixed PascalCase because the host reads them, whatever the API's own JSON naming is.
/// </summary>
internal sealed record FunctionInvocationResult(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue)
{
    public static JsonHttpResult<FunctionInvocationResult> Ok() => Answer(StatusCodes.Status200OK, []);

    /// <summary>
    /// A failed invocation: the host fails it on any non-2xx (and ignores the body), so a queue message comes back after
    /// its visibility timeout and goes to the poison queue after <c>maxDequeueCount</c>. The log line is for a reader
    /// of our own answer; it never holds a secret.
    /// </summary>
    public static JsonHttpResult<FunctionInvocationResult> Failed(int statusCode, string log) => Answer(statusCode, [log]);

    private static JsonHttpResult<FunctionInvocationResult> Answer(int statusCode, IReadOnlyList<string> logs) =>
        TypedResults.Json(new FunctionInvocationResult(new Dictionary<string, object?>(), logs, null), statusCode: statusCode);
}
