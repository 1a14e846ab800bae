using System.ComponentModel;

namespace Webhooks.Functions.Endpoints;

/// <summary>The <c>client_certificate</c> of the endpoint object: what identifies it, never the PEM or its key.</summary>
internal sealed record EndpointCertificateResponse(
    [property: Description("The certificate's subject, e.g. CN=webhooks.example.com.")] string Subject,
    [property: Description("SHA-1 of the certificate (DER), upper-case hex, as X.509 tools show it.")] string Thumbprint,
    [property: Description("When the certificate expires.")] DateTimeOffset NotAfter);
