using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Api;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Teams;

/// <summary>
/// Teams and their API keys in Table Storage. Reads are cached for a few seconds because every API call and every
/// delivery needs the team; a change made through this instance is seen at once, one made elsewhere within
/// <see cref="CacheLifetime"/>.
/// </summary>
internal sealed class TeamStore(StorageAccount storage, SecretProtector protector, IOptions<SecurityOptions> security, TimeProvider time) : IApiKeyTeams, IDeliveryOwners
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (Team Team, DateTimeOffset ReadAt)> _teams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string TeamId, DateTimeOffset ReadAt)> _keys = new(StringComparer.Ordinal);

    /// <summary>Creates a team with one API key and one signing secret. Returns the team and the key in clear.</summary>
    public async Task<(Team Team, string ApiKey)> CreateAsync(string name, CancellationToken cancellationToken) =>
        await CreateAsync(Ids.New(Ids.TeamPrefix), name, ApiKeys.Create(), cancellationToken);

    public async Task<(Team Team, string ApiKey)> CreateAsync(string teamId, string name, string apiKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var team = new Team(teamId, name, null, null, null, [SigningSecret.Create(now)], now);
        try
        {
            await storage.Teams.AddEntityAsync(ToEntity(team), cancellationToken);
        }
        catch (RequestFailedException e) when (e.IsEntityAlreadyExists())
        {
            // Created before (a seed run again, or a crash before the key was stored): keep its secrets.
            team = FromEntity((await ReadEntityAsync(teamId, cancellationToken))!);
        }
        // The key row goes last: a key must never point at a team that does not exist.
        await storage.ApiKeys.UpsertEntityAsync(
            new ApiKeyEntity { PartitionKey = ApiKeys.Hash(apiKey), TeamId = teamId, CreatedAt = now },
            TableUpdateMode.Replace, cancellationToken);
        Remember(team);
        return (team, apiKey);
    }

    public async Task<string?> FindTeamIdByApiKeyAsync(string apiKey, CancellationToken cancellationToken)
    {
        var hash = ApiKeys.Hash(apiKey);
        var now = time.GetUtcNow();
        if (_keys.TryGetValue(hash, out var cached) && now - cached.ReadAt < CacheLifetime)
        {
            return cached.TeamId;
        }
        var row = await storage.ApiKeys.GetEntityIfExistsAsync<ApiKeyEntity>(hash, ApiKeyEntity.Row, cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value is null)
        {
            return null;
        }
        _keys[hash] = (row.Value.TeamId, now);
        return row.Value.TeamId;
    }

    /// <summary>
    /// Starts erasing a team (SPEC §10): writes its tombstone, then revokes it (<see cref="RevokeAsync"/>). False when
    /// there is no such team and no erasure of it under way.
    /// </summary>
    public async Task<bool> BeginEraseAsync(string teamId, CancellationToken cancellationToken)
    {
        var erasing = await storage.Teams.GetEntityIfExistsAsync<TeamErasureEntity>(teamId, TeamErasureEntity.Row, cancellationToken: cancellationToken);
        if (!erasing.HasValue && await ReadEntityAsync(teamId, cancellationToken) is null)
        {
            return false;
        }
        if (!erasing.HasValue)
        {
            await storage.Teams.UpsertEntityAsync(
                new TeamErasureEntity { PartitionKey = teamId, RequestedAt = time.GetUtcNow() }, TableUpdateMode.Replace, cancellationToken);
        }
        await RevokeAsync(teamId, cancellationToken);
        return true;
    }

    /// <summary>
    /// Deletes the team's API key rows and its team row (and with it its signing secrets), and forgets them here. Other
    /// instances may still hold a key for <see cref="CacheLifetime"/> from when they last read it.
    /// </summary>
    public async Task RevokeAsync(string teamId, CancellationToken cancellationToken)
    {
        // The apikeys table is keyed by hash: finding a team's keys is a scan, but of one small row per key.
        await foreach (var key in storage.ApiKeys.QueryAsync<ApiKeyEntity>(
            TableClient.CreateQueryFilter($"TeamId eq {teamId}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await storage.ApiKeys.DeleteEntityAsync(key.PartitionKey, key.RowKey, ETag.All, cancellationToken);
            _keys.TryRemove(key.PartitionKey, out _);
        }
        foreach (var (hash, cached) in _keys)
        {
            if (cached.TeamId == teamId)
            {
                _keys.TryRemove(hash, out _);
            }
        }
        await storage.Teams.DeleteEntityAsync(teamId, TeamEntity.Row, ETag.All, cancellationToken);
        _teams.TryRemove(teamId, out _);
    }

    /// <summary>The teams whose erasure is under way.</summary>
    public async Task<List<string>> ErasingAsync(CancellationToken cancellationToken)
    {
        var teams = new List<string>();
        await foreach (var row in storage.Teams.QueryAsync<TeamErasureEntity>(
            TableClient.CreateQueryFilter($"RowKey eq {TeamErasureEntity.Row}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            teams.Add(row.PartitionKey);
        }
        return teams;
    }

    /// <summary>Removes the tombstone once nothing of the team is left.</summary>
    public async Task EndEraseAsync(string teamId, CancellationToken cancellationToken) =>
        await storage.Teams.DeleteEntityAsync(teamId, TeamErasureEntity.Row, ETag.All, cancellationToken);

    async Task<bool> IDeliveryOwners.ExistsAsync(string teamId, CancellationToken cancellationToken) =>
        await GetAsync(teamId, cancellationToken) is not null;

    public async Task<Team?> GetAsync(string teamId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_teams.TryGetValue(teamId, out var cached) && now - cached.ReadAt < CacheLifetime)
        {
            return cached.Team;
        }
        var entity = await ReadEntityAsync(teamId, cancellationToken);
        if (entity is null)
        {
            return null;
        }
        var team = FromEntity(entity);
        Remember(team);
        return team;
    }

    /// <summary>Changes the settings that are given and keeps the others; a setting given as null is cleared.</summary>
    public async Task<Team> UpdateSettingsAsync(
        string teamId, Optional<string?> defaultWebhookUrl, Optional<string?> retryPolicy, Optional<string?> operationsWebhookUrl,
        Optional<bool> asymmetricSigning, CancellationToken cancellationToken) =>
        await UpdateAsync(teamId, team => WithAsymmetricSigning(team with
        {
            DefaultWebhookUrl = defaultWebhookUrl.HasValue ? defaultWebhookUrl.Value : team.DefaultWebhookUrl,
            RetryPolicy = retryPolicy.HasValue ? retryPolicy.Value : team.RetryPolicy,
            OperationsWebhookUrl = operationsWebhookUrl.HasValue ? operationsWebhookUrl.Value : team.OperationsWebhookUrl,
        }, asymmetricSigning), cancellationToken);

    /// <summary>Turning asymmetric signing on gives the team a key pair to sign with, unless it has an active one.</summary>
    private Team WithAsymmetricSigning(Team team, Optional<bool> asymmetricSigning)
    {
        if (!asymmetricSigning.HasValue)
        {
            return team;
        }
        var keys = asymmetricSigning.Value ? team.KeyRing.WithAsymmetricKey(time.GetUtcNow()).AsymmetricKeys : team.AsymmetricKeys;
        return team with { AsymmetricSigning = asymmetricSigning.Value, AsymmetricKeys = keys };
    }

    /// <summary>Adds a new newest secret; the previous one stays valid for <c>Security:SecretRotationOverlap</c>.</summary>
    public async Task<Team> RotateSecretAsync(string teamId, CancellationToken cancellationToken) =>
        await UpdateAsync(teamId, team =>
        {
            var rotated = team.KeyRing.Rotate(time.GetUtcNow(), security.Value.SecretRotationOverlap, team.AsymmetricSigning);
            return team with { Secrets = rotated.Secrets, AsymmetricKeys = rotated.AsymmetricKeys };
        }, cancellationToken);

    private async Task<Team> UpdateAsync(string teamId, Func<Team, Team> change, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entity = await ReadEntityAsync(teamId, cancellationToken)
                ?? throw new InvalidOperationException($"Team {teamId} does not exist.");
            var updated = change(FromEntity(entity));
            var newEntity = ToEntity(updated);
            try
            {
                await storage.Teams.UpdateEntityAsync(newEntity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                Remember(updated);
                return updated;
            }
            catch (RequestFailedException e) when (e.IsUpdateConditionNotSatisfied())
            {
                // Someone else changed the team between our read and write: apply the change to their version.
            }
        }
    }

    private async Task<TeamEntity?> ReadEntityAsync(string teamId, CancellationToken cancellationToken)
    {
        var row = await storage.Teams.GetEntityIfExistsAsync<TeamEntity>(teamId, TeamEntity.Row, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    private void Remember(Team team) => _teams[team.Id] = (team, time.GetUtcNow());

    private TeamEntity ToEntity(Team team) => new()
    {
        PartitionKey = team.Id,
        Name = team.Name,
        DefaultWebhookUrl = team.DefaultWebhookUrl,
        RetryPolicy = team.RetryPolicy,
        OperationsWebhookUrl = team.OperationsWebhookUrl,
        EncryptedSecrets = protector.Protect(JsonSerializer.Serialize(team.Secrets)),
        CreatedAt = team.CreatedAt,
        AsymmetricSigning = team.AsymmetricSigning,
        EncryptedAsymmetricKeys = team.AsymmetricKeys.Count == 0 ? null : protector.Protect(JsonSerializer.Serialize(team.AsymmetricKeys)),
    };

    private Team FromEntity(TeamEntity entity)
    {
        var secrets = JsonSerializer.Deserialize<List<SigningSecret>>(protector.Unprotect(entity.EncryptedSecrets)) ?? [];
        var keys = entity.EncryptedAsymmetricKeys is { } encrypted
            ? JsonSerializer.Deserialize<List<AsymmetricSigningKey>>(protector.Unprotect(encrypted)) ?? []
            : [];
        return new Team(entity.PartitionKey, entity.Name, entity.DefaultWebhookUrl, entity.RetryPolicy, entity.OperationsWebhookUrl, secrets, entity.CreatedAt)
        {
            AsymmetricSigning = entity.AsymmetricSigning,
            AsymmetricKeys = keys,
        };
    }
}
