using System.Text.Json;
using Webhooks.Functions.Api;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// The SPEC §13 fields a create or PATCH sets: <c>headers</c>, <c>oauth2</c> and <c>client_certificate</c>. Each
/// is replaced whole when present and removed when null; an <c>oauth2</c> without <c>client_secret</c> keeps the
/// stored secret. Secrets are encrypted as they are applied (<see cref="EndpointSecrets"/>).
/// </summary>
internal sealed record EndpointAuthChanges(
    Optional<IReadOnlyList<KeyValuePair<string, string>>> Headers,
    Optional<OAuth2Client?> OAuth2,
    Optional<ClientCertificatePem?> ClientCertificate)
{
    public const int MaxClientIdLength = 256;
    public const int MaxClientSecretLength = 1024;
    public const int MaxScopeLength = 1024;

    public bool IsEmpty => !Headers.HasValue && !OAuth2.HasValue && !ClientCertificate.HasValue;

    /// <summary>Applies the changes; false when they change nothing.</summary>
    public bool ApplyTo(EndpointEntity endpoint, EndpointSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(secrets);
        if (Headers.HasValue)
        {
            endpoint.Headers = secrets.ProtectHeaders(Headers.Value);
        }
        if (OAuth2.HasValue)
        {
            var client = OAuth2.Value;
            endpoint.OAuth2TokenUrl = client?.TokenUrl;
            endpoint.OAuth2ClientId = client?.ClientId;
            endpoint.OAuth2Scope = client?.Scope;
            endpoint.OAuth2ClientSecret = client is null ? null
                : client.ClientSecret is { } secret ? secrets.Protect(secret)
                : endpoint.OAuth2ClientSecret;
        }
        if (ClientCertificate.HasValue)
        {
            var certificate = ClientCertificate.Value;
            endpoint.ClientCertificate = certificate is null ? null : secrets.Protect(certificate.Pem);
            endpoint.ClientCertificateSubject = certificate?.Subject;
            endpoint.ClientCertificateThumbprint = certificate?.Thumbprint;
            endpoint.ClientCertificateNotAfter = certificate?.NotAfter;
        }
        return !IsEmpty;
    }

    /// <summary>
    /// Reads the fields from a JSON body, every problem under its JSON path (<c>headers.X-Api-Key</c>,
    /// <c>oauth2.token_url</c>, <c>client_certificate.pem</c>). <paramref name="existing"/> is the endpoint a PATCH
    /// changes (null when creating): its stored secret and headers count where the body leaves them out.
    /// </summary>
    public static EndpointAuthChanges Read(
        RequestValidation validation, JsonElement root, bool requireHttps, EndpointEntity? existing, EndpointSecrets secrets, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(secrets);
        var headers = Optional<IReadOnlyList<KeyValuePair<string, string>>>.Absent;
        if (root.TryGetProperty("headers", out var headersElement))
        {
            headers = Optional<IReadOnlyList<KeyValuePair<string, string>>>.Of(EndpointHeaderRules.Read(validation, headersElement));
        }

        var oauth2 = Optional<OAuth2Client?>.Absent;
        if (root.TryGetProperty("oauth2", out var oauthElement))
        {
            oauth2 = Optional<OAuth2Client?>.Of(ReadOAuth2(validation, oauthElement, requireHttps, existing?.OAuth2ClientSecret is not null));
        }

        var certificate = Optional<ClientCertificatePem?>.Absent;
        if (root.TryGetProperty("client_certificate", out var certificateElement))
        {
            certificate = Optional<ClientCertificatePem?>.Of(ReadCertificate(validation, certificateElement, now));
        }

        // Authorization belongs to the sender while an OAuth 2.0 client is set, whichever of the two this body changes.
        var oauthSet = oauth2.HasValue ? oauth2.Value is not null || oauthElement.ValueKind == JsonValueKind.Object : existing?.OAuth2TokenUrl is not null;
        if (oauthSet)
        {
            var finalHeaders = headers.HasValue ? headers.Value : existing is null ? [] : secrets.Headers(existing);
            foreach (var (name, _) in finalHeaders.Where(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)))
            {
                validation.Add($"headers.{name}", EndpointHeaderRules.CheckName(name, oauth2: true)!);
            }
        }
        return new EndpointAuthChanges(headers, oauth2, certificate);
    }

    private static OAuth2Client? ReadOAuth2(RequestValidation validation, JsonElement element, bool requireHttps, bool secretStored)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            validation.Add("oauth2", "must be an object {token_url, client_id, client_secret, scope?}, or null for none.");
            return null;
        }
        var tokenUrl = validation.RequiredString(element, "token_url", "oauth2.token_url", WebhookUrlRules.MaxLength * 2);
        if (tokenUrl is not null && WebhookUrlRules.Check(tokenUrl, requireHttps) is { } urlError)
        {
            validation.Add("oauth2.token_url", urlError);
            tokenUrl = null;
        }
        var clientId = validation.RequiredString(element, "client_id", "oauth2.client_id", MaxClientIdLength);
        if (clientId is { Length: 0 })
        {
            validation.Add("oauth2.client_id", "must not be empty.");
        }
        string? secret;
        if (RequestValidation.Property(element, "client_secret") is null && secretStored)
        {
            secret = null;
        }
        else
        {
            secret = validation.RequiredString(element, "client_secret", "oauth2.client_secret", MaxClientSecretLength);
            if (secret is { Length: 0 })
            {
                validation.Add("oauth2.client_secret", "must not be empty.");
            }
        }
        var scope = validation.OptionalString(element, "scope", "oauth2.scope", MaxScopeLength);
        if (scope is not null && scope.Any(c => c < ' ' || c > '~' || c == '"' || c == '\\'))
        {
            validation.Add("oauth2.scope", "must be space-separated scope tokens of printable ASCII (RFC 6749 §3.3).");
        }
        return tokenUrl is null || clientId is null ? null : new OAuth2Client(tokenUrl, clientId, secret, string.IsNullOrEmpty(scope) ? null : scope);
    }

    private static ClientCertificatePem? ReadCertificate(RequestValidation validation, JsonElement element, DateTimeOffset now)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            validation.Add("client_certificate", "must be an object {pem}, or null for none.");
            return null;
        }
        var pem = validation.RequiredString(element, "pem", "client_certificate.pem", ClientCertificatePem.MaxLength);
        if (pem is null)
        {
            return null;
        }
        var (certificate, error) = ClientCertificatePem.Check(pem, now);
        if (error is not null)
        {
            validation.Add("client_certificate.pem", error);
        }
        return certificate;
    }
}
