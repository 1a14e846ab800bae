using System.ComponentModel;

namespace Webhooks.Functions.Events;

/// <summary>A page of a list route; <c>next_cursor</c> is null on the last page.</summary>
internal sealed record ListPage<T>(IReadOnlyList<T> Data, [property: Description("The cursor of the next page; null on the last page.")] string? NextCursor);
