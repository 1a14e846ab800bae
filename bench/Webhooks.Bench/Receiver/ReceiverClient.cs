using System.Globalization;

namespace Webhooks.Bench.Receiver;

/// <summary>The bench's side of the receiver's control port.</summary>
internal sealed class ReceiverClient(ReceiverEndpoints endpoints) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = endpoints.Control, Timeout = TimeSpan.FromSeconds(60) };

    public ReceiverEndpoints Endpoints { get; } = endpoints;

    public Task SetModeAsync(ReceiverMode mode) => SetModeAsync(mode, Endpoints.HookPorts);

    public async Task SetModeAsync(ReceiverMode mode, IEnumerable<int> ports)
    {
        var list = string.Join(',', ports.Select(p => p.ToString(CultureInfo.InvariantCulture)));
        using var response = await _http.PostAsync(new Uri($"control/mode?mode={mode}&ports={list}", UriKind.Relative), null);
        response.EnsureSuccessStatusCode();
    }

    public async Task ResetAsync()
    {
        using var response = await _http.PostAsync(new Uri("control/reset", UriKind.Relative), null);
        response.EnsureSuccessStatusCode();
    }

    public async Task<ReceiverStats> StatsAsync() =>
        await _http.GetFromJsonAsync<ReceiverStats>(new Uri("control/stats", UriKind.Relative))
        ?? throw new InvalidOperationException("The receiver answered no stats.");

    /// <summary>Event id → (first 200, first failure) monotonic timestamps, 0 when none.</summary>
    public async Task<Dictionary<string, (long Ok, long Fail)>> ReceiptsAsync()
    {
        var text = await _http.GetStringAsync(new Uri("control/receipts", UriKind.Relative));
        var receipts = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            receipts[parts[0]] = (long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
        }
        return receipts;
    }

    public void Dispose() => _http.Dispose();
}
