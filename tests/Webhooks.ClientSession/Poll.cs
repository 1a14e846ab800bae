namespace Webhooks.ClientSession;

/// <summary>Reads again until the answer shows what the session waits for: events are raised and delivered in the background.</summary>
internal static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Patience;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"Still waiting after {Patience.TotalSeconds:0} s; the last answer did not show it.");
            }
            await Task.Delay(Interval);
        }
    }
}
