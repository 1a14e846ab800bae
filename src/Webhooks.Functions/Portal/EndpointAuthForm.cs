using System.Text;
using System.Text.Json;
using Webhooks.Functions.Api;
using Webhooks.Functions.Endpoints;

namespace Webhooks.Functions.Portal;

/// <summary>
/// The headers and authentication form of the portal's endpoint page (SPEC §13): custom headers one <c>Name: value</c>
/// a line, the OAuth 2.0 client, and the client certificate. The secrets are write-only: an empty client secret or
/// PEM keeps the stored one. The form is read as the JSON body of a PATCH would be (<see cref="EndpointAuthChanges"/>),
/// so the page and the API refuse the same things; only the field names of the problems become the form's labels.
/// </summary>
internal sealed class EndpointAuthForm
{
    public string? Headers { get; set; }
    public string? TokenUrl { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? Scope { get; set; }
    public string? CertificatePem { get; set; }
    public bool RemoveCertificate { get; set; }

    /// <summary>The form as <paramref name="endpoint"/> has it now, without its secrets.</summary>
    public static EndpointAuthForm From(EndpointEntity endpoint, EndpointSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(secrets);
        return new EndpointAuthForm
        {
            Headers = string.Join("\n", secrets.Headers(endpoint).Select(h => $"{h.Key}: {h.Value}")),
            TokenUrl = endpoint.OAuth2TokenUrl,
            ClientId = endpoint.OAuth2ClientId,
            Scope = endpoint.OAuth2Scope,
        };
    }

    /// <summary>Every field as a change to <paramref name="existing"/>; problems go to <paramref name="validation"/> under the form's labels.</summary>
    public EndpointAuthChanges Read(RequestValidation validation, bool requireHttps, EndpointEntity existing, EndpointSecrets secrets, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(validation);
        using var body = JsonDocument.Parse(ToJson(validation));
        var read = new RequestValidation();
        var changes = EndpointAuthChanges.Read(read, body.RootElement, requireHttps, existing, secrets, now);
        foreach (var message in read.Messages)
        {
            validation.Add("", Relabel(message));
        }
        return changes;
    }

    /// <summary>The body a PATCH would send for this form: headers always, oauth2 (or null), client_certificate when changed.</summary>
    private byte[] ToJson(RequestValidation validation)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("headers");
            var lines = (Headers ?? "").Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].TrimEnd('\r');
                if (line.Trim().Length == 0)
                {
                    continue;
                }
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    validation.Add("Custom headers", $"line {i + 1} must be a header as Name: value.");
                    continue;
                }
                json.WriteString(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
            json.WriteEndObject();

            if (string.IsNullOrWhiteSpace(TokenUrl) && string.IsNullOrWhiteSpace(ClientId) && string.IsNullOrEmpty(ClientSecret))
            {
                json.WriteNull("oauth2");
            }
            else
            {
                json.WriteStartObject("oauth2");
                json.WriteString("token_url", TokenUrl?.Trim() ?? "");
                json.WriteString("client_id", ClientId?.Trim() ?? "");
                if (!string.IsNullOrEmpty(ClientSecret))
                {
                    json.WriteString("client_secret", ClientSecret);
                }
                if (!string.IsNullOrWhiteSpace(Scope))
                {
                    json.WriteString("scope", Scope.Trim());
                }
                json.WriteEndObject();
            }

            if (RemoveCertificate)
            {
                json.WriteNull("client_certificate");
            }
            else if (!string.IsNullOrWhiteSpace(CertificatePem))
            {
                json.WriteStartObject("client_certificate");
                json.WriteString("pem", CertificatePem.Replace("\r\n", "\n", StringComparison.Ordinal));
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>"oauth2.token_url must …" as "Token URL must …": the JSON paths of the API as the labels of the form.</summary>
    private static string Relabel(string message)
    {
        (string Path, string Label)[] labels =
        [
            ("oauth2.token_url ", "Token URL "), ("oauth2.client_id ", "Client ID "), ("oauth2.client_secret ", "Client secret "),
            ("oauth2.scope ", "Scope "), ("oauth2 ", "OAuth 2.0 "), ("client_certificate.pem ", "Client certificate "),
            ("client_certificate ", "Client certificate "), ("headers ", "Custom headers "),
        ];
        foreach (var (path, label) in labels)
        {
            if (message.StartsWith(path, StringComparison.Ordinal))
            {
                return label + message[path.Length..];
            }
        }
        const string header = "headers.";
        if (message.StartsWith(header, StringComparison.Ordinal))
        {
            var builder = new StringBuilder("Custom header ");
            builder.Append(message.AsSpan(header.Length));
            return builder.ToString();
        }
        return message;
    }
}
