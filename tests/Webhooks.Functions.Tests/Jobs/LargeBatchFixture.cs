using Azure.Core.Pipeline;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Jobs;

/// <summary>
/// The jobs app for the largest batch, on an Azurite of its own, fetching one page at a time and sending one table
/// transaction at a time.
/// <para>
/// Azurite's table store finds a row by its partition and then compares row keys one by one, so every write to a
/// partition of ten thousand items scans them: the create (100 transactions of 100 upserts, two lookups each) is some
/// 10^8 key comparisons, and each item settled two more scans. On the shared instance this kept Azurite's one thread
/// busy for 30 s and more, and every other test's storage calls waited behind it for up to 25 s (a probe of Azurite and
/// a CPU profile of it, taken during full runs). On an instance of its own the batch's calls waited behind each other:
/// with the create's eight transactions in flight, single tries took longer than the app's 10 s storage timeout on a
/// loaded machine (503). The test is about creating and paging, so the batch's work runs beside it one fetch at a time.
/// </para>
/// </summary>
public sealed class LargeBatchFixture : IAsyncLifetime
{
    private readonly OneTableTransactionAtATime _transactions = new();
    private AzuriteProcess? _azurite;

    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartSplitAsync();
        var settings = JobsFixture.Settings();
        settings["Jobs:MaxConcurrentFetches"] = "1";
        App = await TestApp.StartAsync(settings, services => services.AddSingleton<HttpPipelinePolicy>(_transactions),
            _azurite.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        try
        {
            await App.DisposeAsync();
        }
        finally
        {
            if (_azurite is not null)
            {
                await _azurite.DisposeAsync();
            }
            _transactions.Dispose();
        }
    }
}
