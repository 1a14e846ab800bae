using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// An endpoint's own signing keys (SPEC §13): made with it, encrypted at rest on its row like the team's secrets, rotated
/// with the team's overlap rules. An endpoint made before endpoints had keys gets them on first use: the keys are
/// written with a merge conditional on the row's ETag, so two instances racing to give it keys agree on one set (the
/// loser reads the winner's), and nothing else of the row is touched.
/// </summary>
internal sealed partial class EndpointSigning(
    StorageAccount storage, EndpointStore store, SecretProtector protector, IOptions<SecurityOptions> security, TimeProvider time,
    ILogger<EndpointSigning> logger)
{
    /// <summary>Gives a new endpoint its keys (a key pair too when <paramref name="asymmetric"/>).</summary>
    public void Initialize(EndpointEntity endpoint, bool asymmetric)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        endpoint.AsymmetricSigning = asymmetric;
        Write(endpoint, SigningKeyRing.Create(time.GetUtcNow(), asymmetric));
    }

    /// <summary>Turns asymmetric signing on or off on the row (not saved); false when it was so already.</summary>
    public bool SetAsymmetric(EndpointEntity endpoint, bool asymmetric)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.AsymmetricSigning == asymmetric && (!asymmetric || endpoint.EncryptedSigningKeys is not null))
        {
            return false;
        }
        var now = time.GetUtcNow();
        var ring = Read(endpoint) ?? SigningKeyRing.Create(now, asymmetric: false);
        endpoint.AsymmetricSigning = asymmetric;
        Write(endpoint, asymmetric ? ring.WithAsymmetricKey(now) : ring);
        return true;
    }

    /// <summary>The endpoint's keys, given to it first when it has none; null when it no longer exists.</summary>
    public async Task<SigningKeyRing?> KeysAsync(EndpointEntity endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var current = endpoint;
        while (true)
        {
            if (Read(current) is { } ring)
            {
                return ring;
            }
            var created = SigningKeyRing.Create(time.GetUtcNow(), current.AsymmetricSigning);
            var columns = new TableEntity(current.PartitionKey, current.RowKey)
            {
                [nameof(EndpointEntity.EncryptedSigningKeys)] = Protect(created),
            };
            try
            {
                await storage.Endpoints.UpdateEntityAsync(columns, current.ETag, TableUpdateMode.Merge, cancellationToken);
                LogKeysCreated(logger, current.EndpointId);
                // Read back, so that this instance's cache holds the row with its keys and its new ETag.
                var stored = await store.GetAsync(current.TeamId, current.EndpointId, cancellationToken);
                return stored is null ? null : Read(stored) ?? created;
            }
            catch (RequestFailedException e) when (e.IsUpdateConditionNotSatisfied() || e.IsNotFound())
            {
                // Changed (perhaps given keys by another instance) or deleted since it was read: read it again.
                current = await store.GetAsync(current.TeamId, current.EndpointId, cancellationToken);
                if (current is null)
                {
                    return null;
                }
            }
        }
    }

    /// <summary>
    /// A new newest secret (and key pair, while asymmetric signing is on); the previous ones sign on for
    /// <c>Security:SecretRotationOverlap</c>. Null when there is no such endpoint.
    /// </summary>
    public async Task<SigningKeyRing?> RotateAsync(string teamId, string endpointId, CancellationToken cancellationToken)
    {
        SigningKeyRing? rotated = null;
        var updated = await store.UpdateAsync(teamId, endpointId, endpoint =>
        {
            var now = time.GetUtcNow();
            var ring = Read(endpoint) ?? SigningKeyRing.Create(now, endpoint.AsymmetricSigning);
            rotated = ring.Rotate(now, security.Value.SecretRotationOverlap, endpoint.AsymmetricSigning);
            Write(endpoint, rotated);
            return true;
        }, cancellationToken);
        return updated is null ? null : rotated;
    }

    /// <summary>The keys stored on the row; null when it has none yet.</summary>
    public SigningKeyRing? Read(EndpointEntity endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.EncryptedSigningKeys is { } encrypted
            ? JsonSerializer.Deserialize<SigningKeyRing>(protector.Unprotect(encrypted))
            : null;
    }

    private void Write(EndpointEntity endpoint, SigningKeyRing ring) => endpoint.EncryptedSigningKeys = Protect(ring);

    private string Protect(SigningKeyRing ring) => protector.Protect(JsonSerializer.Serialize(ring));

    [LoggerMessage(Level = LogLevel.Information, Message = "Endpoint {EndpointId} had no signing keys of its own: it has them now")]
    private static partial void LogKeysCreated(ILogger logger, string endpointId);
}
