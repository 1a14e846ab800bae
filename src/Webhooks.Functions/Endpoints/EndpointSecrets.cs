using System.Text.Json;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// The encrypted fields of an endpoint (SPEC §13: header values, the OAuth 2.0 client secret, the client certificate),
/// sealed and opened with the key that encrypts team secrets (<see cref="SecretProtector"/>), and the endpoint object
/// of the API, which shows the headers the customer set and neither secret.
/// </summary>
internal sealed class EndpointSecrets(SecretProtector protector)
{
    public string Protect(string plaintext) => protector.Protect(plaintext);

    public string? ProtectHeaders(IReadOnlyList<KeyValuePair<string, string>> headers) =>
        headers.Count == 0 ? null : protector.Protect(JsonSerializer.Serialize(headers.Select(h => new[] { h.Key, h.Value })));

    /// <summary>The custom headers in the order they were given; none when the endpoint has none.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers(EndpointEntity endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Headers is null)
        {
            return [];
        }
        var pairs = JsonSerializer.Deserialize<string[][]>(protector.Unprotect(endpoint.Headers)) ?? [];
        return pairs.Select(p => new KeyValuePair<string, string>(p[0], p[1])).ToList();
    }

    public string ClientSecret(EndpointEntity endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return protector.Unprotect(endpoint.OAuth2ClientSecret ?? throw new InvalidOperationException("The endpoint has no OAuth 2.0 client."));
    }

    public string CertificatePem(EndpointEntity endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return protector.Unprotect(endpoint.ClientCertificate ?? throw new InvalidOperationException("The endpoint has no client certificate."));
    }

    /// <summary>The endpoint object of the API: <see cref="EndpointResponse.From"/> with its headers.</summary>
    public EndpointResponse Show(EndpointEntity endpoint) =>
        EndpointResponse.From(endpoint) with { Headers = Headers(endpoint).ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase) };
}
