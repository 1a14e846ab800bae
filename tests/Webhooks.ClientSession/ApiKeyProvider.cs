using Microsoft.Kiota.Abstractions.Authentication;

namespace Webhooks.ClientSession;

/// <summary>The team's API key as the bearer token of every request, as the document's security scheme says.</summary>
internal sealed class ApiKeyProvider(string apiKey) : IAccessTokenProvider
{
    public AllowedHostsValidator AllowedHostsValidator { get; } = new();

    public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null,
        CancellationToken cancellationToken = default) => Task.FromResult(apiKey);
}
