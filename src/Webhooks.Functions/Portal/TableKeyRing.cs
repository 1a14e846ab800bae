using System.Xml.Linq;
using Azure.Data.Tables;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Portal;

/// <summary>
/// The portal's Data Protection key ring (the keys behind its anti-forgery tokens), kept in the storage account so that
/// every instance of the app shares it: a form rendered by one instance and posted to another, or to one started
/// since, is accepted. Each key is a row of the <c>portalkeys</c> table, encrypted with
/// <c>Security:SecretEncryptionKey</c> like the teams' signing secrets.
/// </summary>
internal sealed class TableKeyRing(StorageAccount storage, SecretProtector protector) : IXmlRepository
{
    private const string Partition = "keyring";

    // Data Protection asks synchronously, once per key-ring refresh (a day by default, and at start), not per request.
    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. storage.PortalKeys.Query<TableEntity>(row => row.PartitionKey == Partition)
            .Select(row => XElement.Parse(protector.Unprotect(row.GetString("Xml"))))];

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        storage.PortalKeys.UpsertEntity(new TableEntity(Partition, friendlyName)
        {
            ["Xml"] = protector.Protect(element.ToString(SaveOptions.DisableFormatting)),
        });
    }
}
