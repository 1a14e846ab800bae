using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Hosting.Functions;

/// <summary>
/// Starts the real app as the Functions host would: <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> set to a free port, which
/// makes the app listen on 127.0.0.1 at that port (overriding TestApp's port 0), with fast retries for flow tests.
/// </summary>
public static class CustomHandlerApp
{
    /// <summary>Three attempts one second apart: a retry is due soon after a failure, without waiting minutes.</summary>
    public const string FastPolicy = "fast";

    public static async Task<TestApp> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Delivery:Policies:" + FastPolicy] = "0s,1s,1s",
            ["Delivery:DefaultPolicy"] = FastPolicy,
            ["Delivery:AttemptTimeout"] = "00:00:05",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        return await TestApp.StartAsync(all);
    }
}
