namespace Webhooks.Functions.Hosting;

/// <summary>Work arrived before this process finished setting up storage; the host retries it (see <see cref="StorageReadiness"/>).</summary>
internal sealed class StorageNotReadyException(string message) : Exception(message);
