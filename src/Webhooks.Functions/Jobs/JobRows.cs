using System.Globalization;

namespace Webhooks.Functions.Jobs;

/// <summary>
/// Row keys inside a job's partition of the jobs table. They sort in position order and never start like the rows the
/// delivery engine keeps in the same partition (<c>event</c>, <c>delivery_*</c>, <c>attempt_*</c>).
/// </summary>
internal static class JobRows
{
    public const string Job = "job";
    public const string ItemPrefix = "item_";
    public const string PagePrefix = "page_";

    public static string Item(int position) => ItemPrefix + position.ToString("D5", CultureInfo.InvariantCulture);

    public static string Page(int sequence) => PagePrefix + sequence.ToString("D5", CultureInfo.InvariantCulture);

    /// <summary>The number in <c>item_00042</c>; false when <paramref name="rowKey"/> is not a key of that kind.</summary>
    public static bool TryParse(string rowKey, string prefix, out int number)
    {
        number = 0;
        return rowKey.Length == prefix.Length + 5
            && rowKey.StartsWith(prefix, StringComparison.Ordinal)
            && rowKey.AsSpan(prefix.Length).IndexOfAnyExceptInRange('0', '9') < 0
            && int.TryParse(rowKey.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    /// <summary>Where a fetched body is kept in the pages container.</summary>
    public static string BlobName(string jobId, string rowKey) => jobId + "/" + rowKey;
}
