namespace Webhooks.Functions.Api;

/// <summary>
/// Which team an API key belongs to, asked by <see cref="ApiKeyAuthenticationFilter"/> on every <c>/v1</c> request and
/// answered by the Teams feature, which owns teams and their keys. Api knows no feature.
/// </summary>
internal interface IApiKeyTeams
{
    /// <summary>The id of the team whose key <paramref name="apiKey"/> is; null when it is no key.</summary>
    Task<string?> FindTeamIdByApiKeyAsync(string apiKey, CancellationToken cancellationToken);
}
