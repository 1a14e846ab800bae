using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Webhooks.Bench.Infrastructure;

namespace Webhooks.Bench.Receiver;

/// <summary>
/// The receiver process: Kestrel on 127.0.0.1 with one port per webhook endpoint (distinct ports are distinct hosts
/// to the sender, so per-host limits and connection pools apply as for real customers), a small site for the jobs
/// scenario, and a control port the bench uses to set modes and read what arrived. It is a process of its own so
/// that its CPU is not counted as the app's.
/// </summary>
internal static class ReceiverServer
{
    public const string Role = "receiver";
    public const string ReadyPrefix = "RECEIVER-READY ";

    public static async Task<int> RunAsync(string[] args)
    {
        var endpoints = int.Parse(Option(args, "--endpoints") ?? "20", CultureInfo.InvariantCulture);
        if (Option(args, "--parent") is { } parent)
        {
            ParentWatch.ExitWhenGone(int.Parse(parent, CultureInfo.InvariantCulture));
        }
        var state = new ReceiverState();

        // Every port is 0, bound by Kestrel itself and read back after the start: a port picked free beforehand can be
        // taken by another process before Kestrel binds it. The first is the control port, the second the site's.
        var listeners = new List<Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            for (var i = 0; i < endpoints + 2; i++)
            {
                k.Listen(IPAddress.Loopback, 0, listeners.Add);
            }
            k.Limits.MaxConcurrentConnections = null;
        });
        var app = builder.Build();
        app.MapPost("/hook", context => HookAsync(context, state));
        app.MapPost("/control/mode", (string mode, string ports) =>
        {
            var parsed = Enum.Parse<ReceiverMode>(mode, ignoreCase: true);
            foreach (var port in ports.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                state.SetMode(int.Parse(port, CultureInfo.InvariantCulture), parsed);
            }
            return Results.NoContent();
        });
        app.MapPost("/control/reset", () =>
        {
            state.Reset();
            return Results.NoContent();
        });
        app.MapGet("/control/stats", () => Results.Json(state.Stats()));
        app.MapGet("/control/receipts", () => Results.Text(state.Receipts()));
        app.MapGet("/page/{n:int}", (int n) => Results.Content(Page($"Page {n}", []), "text/html"));
        app.MapGet("/crawl/{n:int}", (int n) => Results.Content(Page($"Crawl page {n}", [$"/crawl/{(2 * n) + 1}", $"/crawl/{(2 * n) + 2}"]), "text/html"));

        await app.StartAsync();
        var bound = listeners.Select(l => l.IPEndPoint!.Port).ToList();
        var ports = new ReceiverEndpoints(bound[0], bound[1], bound[2..]);
        Console.WriteLine(ReadyPrefix + JsonSerializer.Serialize(ports));
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static async Task HookAsync(HttpContext context, ReceiverState state)
    {
        var arrived = Clock.Now;
        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        var eventId = context.Request.Headers["webhook-id"].ToString();
        var mode = state.ModeOf(context.Connection.LocalPort);
        if (mode == ReceiverMode.FailFirst)
        {
            var attempt = context.Request.Headers["X-Webhook-Attempt"].ToString();
            mode = attempt.StartsWith("1/", StringComparison.Ordinal) ? ReceiverMode.Fail : ReceiverMode.Ok;
        }
        switch (mode)
        {
            case ReceiverMode.Ok:
                state.RecordOk(eventId, arrived);
                context.Response.StatusCode = StatusCodes.Status200OK;
                break;
            case ReceiverMode.Fail:
                state.RecordFailed(eventId, arrived);
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                break;
            default:
                state.RecordHung();
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The sender gave up, as it should.
                }
                context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
                break;
        }
    }

    /// <summary>A small HTML page (~2 KiB) with a title and the given links.</summary>
    private static string Page(string title, IEnumerable<string> links)
    {
        var html = new StringBuilder("<!doctype html><html><head><title>").Append(title).Append("</title></head><body><h1>")
            .Append(title).Append("</h1>");
        foreach (var link in links)
        {
            html.Append("<p><a href=\"").Append(link).Append("\">").Append(link).Append("</a></p>");
        }
        for (var i = 0; i < 20; i++)
        {
            html.Append("<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.</p>");
        }
        return html.Append("</body></html>").ToString();
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
