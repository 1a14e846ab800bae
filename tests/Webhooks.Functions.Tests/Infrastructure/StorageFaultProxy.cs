using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// A bad network between the app and Azurite: one HTTP/1.1 proxy listener on 127.0.0.1 per storage service (blob,
/// queue, table), relaying every request to the Azurite service behind it, and doing to a share of them what
/// <see cref="Faults"/> says (latency, 503 ServerBusy, a reset mid-request or mid-response, an answer held past the
/// client's timeout). The app reaches storage through <see cref="ConnectionString"/>; the test reads and checks storage
/// directly, past the proxy. Decisions come from one random of a fixed seed, drawn in request order, and disruptive
/// faults are capped by the plan's budget.
/// </summary>
public sealed class StorageFaultProxy : IAsyncDisposable
{
    private readonly List<TcpListener> _listeners = [];
    private readonly ConcurrentDictionary<Socket, bool> _sockets = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Random _random;
    private readonly object _gate = new();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly int[] _injected = new int[Enum.GetValues<StorageFault>().Length];
    private StorageFaults _faults = StorageFaults.None;
    private int _used;
    private long _requests;
    private long _delayed;

    private StorageFaultProxy(int seed) => _random = new Random(seed);

    public int BlobPort { get; private set; }
    public int QueuePort { get; private set; }
    public int TablePort { get; private set; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteProcess.AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>The plan in force; setting one starts its budget afresh.</summary>
    public StorageFaults Faults
    {
        get
        {
            lock (_gate)
            {
                return _faults;
            }
        }
        set
        {
            lock (_gate)
            {
                _faults = value;
                _used = 0;
            }
        }
    }

    public long Requests => Interlocked.Read(ref _requests);

    public long Delayed => Interlocked.Read(ref _delayed);

    /// <summary>How many requests got <paramref name="fault"/> so far (all plans).</summary>
    public int Injected(StorageFault fault) => Volatile.Read(ref _injected[(int)fault]);

    /// <summary>Each disruptive fault injected, as "fault METHOD target", for failure messages.</summary>
    public IReadOnlyList<string> Log => _log.ToArray();

    public string Summary => $"{Requests} requests, {Delayed} delayed, " + string.Join(", ",
        Enum.GetValues<StorageFault>().Where(f => f != StorageFault.None).Select(f => $"{Injected(f)} {f}"));

    /// <summary>A proxy in front of <paramref name="azurite"/>'s three services, relaying untouched until <see cref="Faults"/> is set.</summary>
    public static StorageFaultProxy Start(AzuriteProcess azurite, int seed)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        var proxy = new StorageFaultProxy(seed);
        proxy.BlobPort = proxy.Listen(azurite.BlobPort, table: false);
        proxy.QueuePort = proxy.Listen(azurite.QueuePort, table: false);
        proxy.TablePort = proxy.Listen(azurite.TablePort, table: true);
        return proxy;
    }

    private int Listen(int upstreamPort, bool table)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(512);
        _listeners.Add(listener);
        _ = AcceptAsync(listener, upstreamPort, table);
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task AcceptAsync(TcpListener listener, int upstreamPort, bool table)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ServeAsync(client, upstreamPort, table);
        }
    }

    private async Task ServeAsync(Socket client, int upstreamPort, bool table)
    {
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        _sockets[client] = true;
        _sockets[upstream] = true;
        var token = _stopping.Token;
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, upstreamPort, token);
            await using var clientStream = new NetworkStream(client, ownsSocket: false);
            await using var upstreamStream = new NetworkStream(upstream, ownsSocket: false);
            var fromClient = new HttpWireReader(clientStream);
            var fromUpstream = new HttpWireReader(upstreamStream);
            while (await fromClient.ReadRequestAsync(token) is { } request)
            {
                var (fault, delay) = Decide(request);
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, token);
                }
                // The proxy reads whole requests before relaying them; a client waiting for 100-continue would stall.
                var requestBytes = request.ToBytes("Expect");
                if (fault == StorageFault.Throttle)
                {
                    await clientStream.WriteAsync(ServerBusy(request, table), token);
                    continue;
                }
                if (fault == StorageFault.ResetRequest)
                {
                    await upstreamStream.WriteAsync(requestBytes.AsMemory(0, requestBytes.Length / 2), token);
                    return;
                }
                await upstreamStream.WriteAsync(requestBytes, token);
                var response = await fromUpstream.ReadResponseAsync(request.Method, token);
                if (response is null)
                {
                    return;
                }
                var responseBytes = response.ToBytes();
                if (fault == StorageFault.ResetResponse)
                {
                    await clientStream.WriteAsync(responseBytes.AsMemory(0, responseBytes.Length / 2), token);
                    return;
                }
                if (fault == StorageFault.Hold)
                {
                    // Committed upstream; the client times out meanwhile, and gets the answer, if it is still there, late.
                    await Task.Delay(Faults.Hold, token);
                    await clientStream.WriteAsync(responseBytes, token);
                    return;
                }
                await clientStream.WriteAsync(responseBytes, token);
                if (response.CloseDelimited || response.WantsClose || request.WantsClose)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or FormatException)
        {
            // A peer went away, or the proxy is stopping: the connection ends, as a real network's would.
        }
        finally
        {
            Reset(client);
            Reset(upstream);
        }
    }

    private (StorageFault Fault, TimeSpan Delay) Decide(HttpWireMessage request)
    {
        Interlocked.Increment(ref _requests);
        lock (_gate)
        {
            var faults = _faults;
            // Both draws always happen, so that one seed gives one sequence of decisions whatever the plan.
            var disrupt = _random.NextDouble();
            var late = _random.NextDouble();
            var spread = (2 * _random.NextDouble()) - 1;
            if (faults.Applies?.Invoke(request.Method, request.Target) == false)
            {
                return (StorageFault.None, TimeSpan.Zero);
            }
            var delay = late < faults.LatencyShare ? faults.Latency + (faults.LatencySpread * spread) : TimeSpan.Zero;
            if (delay > TimeSpan.Zero)
            {
                Interlocked.Increment(ref _delayed);
            }
            var fault = StorageFault.None;
            if (_used < faults.Budget)
            {
                var edge = faults.ThrottleShare;
                fault = disrupt < edge ? StorageFault.Throttle
                    : disrupt < (edge += faults.ResetRequestShare) ? StorageFault.ResetRequest
                    : disrupt < (edge += faults.ResetResponseShare) ? StorageFault.ResetResponse
                    : disrupt < edge + faults.HoldShare ? StorageFault.Hold
                    : StorageFault.None;
            }
            if (fault != StorageFault.None)
            {
                _used++;
                Interlocked.Increment(ref _injected[(int)fault]);
                _log.Enqueue($"{fault} {request.Method} {request.Target}");
            }
            return (fault, delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
        }
    }

    /// <summary>
    /// Azure Storage's throttling answer: 503 with error code <c>ServerBusy</c> in the <c>x-ms-error-code</c> header and
    /// the body, an XML <c>Error</c> for blob and queue, an OData JSON error for tables.
    /// </summary>
    private static byte[] ServerBusy(HttpWireMessage request, bool table)
    {
        var requestId = Guid.NewGuid().ToString();
        var time = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
        var message = $"Operations per second is over the account limit.\nRequestId:{requestId}\nTime:{time}";
        string body;
        string contentType;
        if (table)
        {
            body = $"{{\"odata.error\":{{\"code\":\"ServerBusy\",\"message\":{{\"lang\":\"en-US\",\"value\":{System.Text.Json.JsonSerializer.Serialize(message)}}}}}}}";
            contentType = "application/json;odata=minimalmetadata;streaming=true;charset=utf-8";
        }
        else
        {
            body = $"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ServerBusy</Code><Message>{System.Security.SecurityElement.Escape(message)}</Message></Error>";
            contentType = "application/xml";
        }
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder()
            .Append("HTTP/1.1 503 Operations per second is over the account limit.\r\n")
            .Append("Content-Type: ").Append(contentType).Append("\r\n")
            .Append("Content-Length: ").Append(bytes.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("x-ms-error-code: ServerBusy\r\n")
            .Append("x-ms-request-id: ").Append(requestId).Append("\r\n")
            .Append("x-ms-version: ").Append(request.Header("x-ms-version") ?? "2025-01-05").Append("\r\n")
            .Append("x-ms-client-request-id: ").Append(request.Header("x-ms-client-request-id") ?? "").Append("\r\n")
            .Append("Date: ").Append(TimeProvider.System.GetUtcNow().ToString("R", CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. bytes];
    }

    /// <summary>Closes with a TCP reset (linger 0), as a broken network path does, rather than a graceful FIN.</summary>
    private void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Never connected, or already closed.
        }
        socket.Dispose();
        _sockets.TryRemove(socket, out _);
    }

    public ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        foreach (var listener in _listeners)
        {
            listener.Stop();
        }
        foreach (var socket in _sockets.Keys)
        {
            Reset(socket);
        }
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }
}
