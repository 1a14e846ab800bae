namespace Webhooks.Bench.Receiver;

/// <summary>The ports of the receiver process, printed by it once it listens.</summary>
internal sealed record ReceiverEndpoints(int ControlPort, int SitePort, IReadOnlyList<int> HookPorts)
{
    public Uri Control => new($"http://127.0.0.1:{ControlPort}/");

    public Uri Site => new($"http://127.0.0.1:{SitePort}/");

    public IReadOnlyList<string> HookUrls => HookPorts.Select(p => $"http://127.0.0.1:{p}/hook").ToList();
}
