using Webhooks.Functions.Events;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Events;

/// <summary>Listing entries are packed many to a row; reading them back must still be exact, ordered and duplicate-free.</summary>
public sealed class PackedIndexTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task ScanIndex_OverlappingRewrittenGroups_NewestFirstOnceEachAcrossCursorPages()
    {
        var index = fixture.App.Services.GetRequiredService<EventIndex>();
        var log = fixture.App.Services.GetRequiredService<DeliveryLog>();
        var teamId = Functions.Ids.New("team");
        var start = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
        // 130 events over 40 s, written in three interleaved waves, with a third of them written twice.
        var events = Enumerable.Range(0, 130).Select(i => new EventEntity
        {
            PartitionKey = Functions.Ids.New("batch"),
            EventId = Functions.Ids.New("event"),
            Type = i % 2 == 0 ? EventTypes.BatchCompleted : EventTypes.CrawlCompleted,
            TeamId = teamId,
            CreatedAt = start.AddMilliseconds(i * 307),
        }).ToList();
        foreach (var wave in new[] { 0, 1, 2 })
        {
            await Task.WhenAll(events.Where((_, i) => i % 3 == wave).Select(e => index.WriteAsync(e, [])));
        }
        await Task.WhenAll(events.Where((_, i) => i % 3 == 1).Select(e => index.WriteAsync(e, [])));

        var expected = events.OrderByDescending(e => e.CreatedAt).Select(e => e.EventId).ToList();
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = new List<IndexEntity>();
            await foreach (var entry in log.ScanIndexAsync(teamId, IndexEntity.EventKind, cursor, null, null, null, 8, default))
            {
                page.Add(entry);
                if (page.Count == 17)
                {
                    break;
                }
            }
            seen.AddRange(page.Select(e => e.EventId));
            cursor = page.Count == 17 ? page[^1].RowKey : null;
        }
        while (cursor is not null);
        Assert.Equal(expected, seen);

        var crawls = new List<string>();
        await foreach (var entry in log.ScanIndexAsync(teamId, IndexEntity.EventKind, null, start.AddSeconds(10), start.AddSeconds(20),
            e => e.Type == EventTypes.CrawlCompleted, 5, default))
        {
            crawls.Add(entry.EventId);
        }
        Assert.Equal(events.Where(e => e.Type == EventTypes.CrawlCompleted && e.CreatedAt >= start.AddSeconds(10) && e.CreatedAt < start.AddSeconds(20))
            .OrderByDescending(e => e.CreatedAt).Select(e => e.EventId), crawls);
    }

    [Fact]
    public void Pack_ManyEntries_BoundedBySizeAndSpread()
    {
        var start = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
        var entries = Enumerable.Range(0, 120).Select(i => EventIndex.ForEvent(new EventEntity
        {
            PartitionKey = "batch_x", EventId = $"event_{i:D16}", Type = EventTypes.BatchCompleted, TeamId = "team_t", CreatedAt = start.AddSeconds(i / 4.0),
        })).ToList();
        var groups = IndexGroupEntity.Pack("team_t", entries.Concat(entries.Take(10))).ToList();
        Assert.Equal(120, groups.Sum(g => g.Unpack().Count()));
        Assert.All(groups, g =>
        {
            var unpacked = g.Unpack().ToList();
            Assert.InRange(unpacked.Count, 1, IndexGroupEntity.MaxEntries);
            Assert.True(unpacked[0].CreatedAt - unpacked[^1].CreatedAt <= IndexGroupEntity.MaxSpread);
            Assert.StartsWith(unpacked[0].RowKey, g.RowKey, StringComparison.Ordinal);
        });
    }
}
