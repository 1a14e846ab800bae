using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// The <see cref="OAuth2TokenSource"/> of each endpoint in this process. A changed client (token URL, id, secret or
/// scope) gets a new source, so a token of the old client is never sent again.
/// </summary>
internal sealed class OAuth2Tokens(IHttpClientFactory clients, IOptions<DeliveryOptions> delivery, TimeProvider time, ILogger<OAuth2Tokens> logger)
{
    private readonly ConcurrentDictionary<string, (string Fingerprint, OAuth2TokenSource Source)> _sources = new(StringComparer.Ordinal);

    public IBearerTokenSource For(EndpointEntity endpoint, EndpointSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(secrets);
        // The encrypted secret stands for the secret: it changes whenever a new one is set.
        var fingerprint = string.Join('\n', endpoint.OAuth2TokenUrl, endpoint.OAuth2ClientId, endpoint.OAuth2Scope, endpoint.OAuth2ClientSecret);
        var entry = _sources.AddOrUpdate(endpoint.EndpointId,
            _ => (fingerprint, Create(endpoint, secrets)),
            (_, existing) => existing.Fingerprint == fingerprint ? existing : (fingerprint, Create(endpoint, secrets)));
        return entry.Source;
    }

    private OAuth2TokenSource Create(EndpointEntity endpoint, EndpointSecrets secrets) =>
        new(endpoint.EndpointId,
            new OAuth2Client(endpoint.OAuth2TokenUrl!, endpoint.OAuth2ClientId ?? "", secrets.ClientSecret(endpoint), endpoint.OAuth2Scope),
            clients, delivery.Value.AttemptTimeout, time, logger);
}
