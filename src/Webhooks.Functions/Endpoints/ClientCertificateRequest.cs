using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Webhooks.Functions.Endpoints;

/// <summary>The <c>client_certificate</c> of a create or PATCH body as the OpenAPI document shows it.</summary>
internal sealed record ClientCertificateRequest(
    [property: Required, StringLength(ClientCertificatePem.MaxLength),
        Description("Write-only. The certificate (-----BEGIN CERTIFICATE-----, its chain may follow) and its unencrypted private key (-----BEGIN PRIVATE KEY-----), PEM.")]
    string Pem);
