using Azure;

namespace Webhooks.Functions.Storage;

/// <summary>
/// An insert of rows under an id the caller just made up can only conflict with itself: the storage client retried
/// the insert after storage had committed it and the answer was lost (a connection reset mid-response, an answer
/// later than the client's timeout), and the retry found the row the first try wrote. Such a 409 is a success once the
/// row is there as this caller wrote it.
/// </summary>
internal static class CommittedInsert
{
    /// <param name="insert">The insert (a single add or a transaction that adds the new rows).</param>
    /// <param name="isOurs">Reads the row back: whether it is the one this caller inserted (same owner, same kind).</param>
    public static async Task RunAsync(Func<Task> insert, Func<Task<bool>> isOurs)
    {
        ArgumentNullException.ThrowIfNull(insert);
        ArgumentNullException.ThrowIfNull(isOurs);
        try
        {
            await insert();
        }
        catch (RequestFailedException e) when (e.IsEntityAlreadyExists())
        {
            if (!await isOurs())
            {
                throw;
            }
        }
    }
}
