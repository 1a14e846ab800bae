using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Jobs;

/// <summary>
/// The jobs app for the largest batch, on an Azurite of its own, fetching one page at a time.
/// <para>
/// Azurite's table store finds a row by its partition and then compares row keys one by one, so every write to a
/// partition of ten thousand items scans them. Creating the batch and settling its items (two such writes each, 64 at
/// a time) kept Azurite's one thread busy for 30 s and more: on the shared instance every other test's storage calls
/// waited behind it for up to 25 s (a probe of Azurite and a CPU profile of it, taken during a full run), and on an
/// instance of its own the batch's own create call did. The test is about creating and paging, so the batch's work
/// runs beside it one fetch at a time.
/// </para>
/// </summary>
public sealed class LargeBatchFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartSplitAsync();
        var settings = JobsFixture.Settings();
        settings["Jobs:MaxConcurrentFetches"] = "1";
        App = await TestApp.StartAsync(settings, connectionString: _azurite.ConnectionString);
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
        }
    }
}
