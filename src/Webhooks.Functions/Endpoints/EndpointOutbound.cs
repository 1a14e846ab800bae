using Webhooks.Functions.Delivery;
using Webhooks.Functions.Outbound;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// What an endpoint's attempts carry (SPEC §13): its custom headers, its OAuth 2.0 bearer token and, to an https URL,
/// its client certificate. The endpoint is read through the same short cache as the gate's, so this costs no extra
/// storage operation per attempt. Deliveries to a job's webhook or a default URL carry nothing.
/// </summary>
internal sealed class EndpointOutbound(EndpointStore store, EndpointSecrets secrets, OAuth2Tokens tokens, ClientCertificateClients certificates) : IAttemptOutbound
{
    public async Task<AttemptOutboundSettings> ForAttemptAsync(DeliveryEntity delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (delivery.EndpointId is null)
        {
            return AttemptOutboundSettings.None;
        }
        var endpoint = await store.GetRecentAsync(delivery.TeamId, delivery.EndpointId, cancellationToken);
        if (endpoint is null || (endpoint.Headers is null && endpoint.OAuth2TokenUrl is null && endpoint.ClientCertificate is null))
        {
            return AttemptOutboundSettings.None;
        }
        var bearer = endpoint.OAuth2TokenUrl is null ? null : tokens.For(endpoint, secrets);
        var client = endpoint.ClientCertificate is not null && endpoint.ClientCertificateThumbprint is { } thumbprint
            && Uri.TryCreate(delivery.Url, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps
            ? certificates.For(endpoint.EndpointId, thumbprint, () => ClientCertificatePem.Load(secrets.CertificatePem(endpoint)))
            : null;
        return new AttemptOutboundSettings(secrets.Headers(endpoint), bearer, client);
    }
}
