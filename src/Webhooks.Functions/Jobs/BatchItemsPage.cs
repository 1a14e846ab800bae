using System.ComponentModel;

namespace Webhooks.Functions.Jobs;

/// <summary>A page of a batch's items in position order; <c>next_cursor</c> is null on the last page.</summary>
internal sealed record BatchItemsPage(IReadOnlyList<BatchItemResponse> Items, [property: Description("The cursor of the next page; null on the last page.")] string? NextCursor);
