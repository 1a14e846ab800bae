using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues.Models;

namespace Webhooks.Functions.Storage;

/// <summary>
/// What a refused storage request means, read from its error code (<see cref="RequestFailedException.ErrorCode"/>) as
/// the Azure SDK guidelines match it, not from its status alone: a 409 is also "table being deleted", a 404 also a
/// missing queue. A failed table transaction (<see cref="TableTransactionFailedException"/>) carries the code of the
/// action that failed. Azure Storage and Azurite answer these same codes.
/// </summary>
internal static class StorageErrors
{
    private static readonly string EntityAlreadyExists = TableErrorCode.EntityAlreadyExists.ToString();
    private static readonly string UpdateConditionNotSatisfied = TableErrorCode.UpdateConditionNotSatisfied.ToString();
    private static readonly string ResourceNotFound = TableErrorCode.ResourceNotFound.ToString();
    private static readonly string TableNotFound = TableErrorCode.TableNotFound.ToString();
    private static readonly string TableAlreadyExists = TableErrorCode.TableAlreadyExists.ToString();
    private static readonly string QueueAlreadyExists = QueueErrorCode.QueueAlreadyExists.ToString();
    private static readonly string ContainerAlreadyExists = BlobErrorCode.ContainerAlreadyExists.ToString();

    /// <summary>An add met a row with the same keys (409 <c>EntityAlreadyExists</c>).</summary>
    public static bool IsEntityAlreadyExists(this RequestFailedException e) => Is(e, EntityAlreadyExists);

    /// <summary>The row's ETag no longer matches the one the write was conditioned on (412 <c>UpdateConditionNotSatisfied</c>).</summary>
    public static bool IsUpdateConditionNotSatisfied(this RequestFailedException e) => Is(e, UpdateConditionNotSatisfied);

    /// <summary>
    /// Someone else wrote first: an add met an existing row or a conditional write a changed one. Reload and decide again.
    /// </summary>
    public static bool IsWriteConflict(this RequestFailedException e) => e.IsEntityAlreadyExists() || e.IsUpdateConditionNotSatisfied();

    /// <summary>The row is not there (404 <c>ResourceNotFound</c>), or not even its table (404 <c>TableNotFound</c>).</summary>
    public static bool IsNotFound(this RequestFailedException e) => Is(e, ResourceNotFound) || Is(e, TableNotFound);

    /// <summary>A table, queue or container to create exists already (409): another instance created it first.</summary>
    public static bool IsAlreadyCreated(this RequestFailedException e) =>
        Is(e, TableAlreadyExists) || Is(e, QueueAlreadyExists) || Is(e, ContainerAlreadyExists);

    private static bool Is(RequestFailedException e, string errorCode)
    {
        ArgumentNullException.ThrowIfNull(e);
        return string.Equals(e.ErrorCode, errorCode, StringComparison.Ordinal);
    }
}
