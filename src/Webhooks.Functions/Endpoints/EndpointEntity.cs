using System.Runtime.Serialization;
using Azure;
using Azure.Data.Tables;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// An endpoint of a team (SPEC §8), a row of the endpoints table: partition = team id, row = endpoint id. Rows whose
/// partition is an endpoint id hold that endpoint's working state (health counts, rate window); see
/// <see cref="EndpointStore"/>.
/// </summary>
internal sealed class EndpointEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    [IgnoreDataMember]
    public string TeamId => PartitionKey;

    [IgnoreDataMember]
    public string EndpointId => RowKey;

    public string Url { get; set; } = "";
    public string? Description { get; set; }

    /// <summary>The event types it receives, comma-separated; null receives every type.</summary>
    public string? EventTypes { get; set; }

    /// <summary>Attempts per second the endpoint accepts; null is unlimited.</summary>
    public int? RateLimitPerSecond { get; set; }

    public string Status { get; set; } = EndpointStatus.Enabled;
    public string? DisabledReason { get; set; }

    /// <summary>When it was last enabled (null: when it was created). Its health window starts no earlier.</summary>
    public DateTimeOffset? EnabledAt { get; set; }

    /// <summary>When <c>event.endpoint.failing</c> was last raised: at most once per health window.</summary>
    public DateTimeOffset? FailingRaisedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Whether its deliveries also carry Ed25519 <c>v1a</c> signatures (SPEC §13).</summary>
    public bool AsymmetricSigning { get; set; }

    /// <summary>
    /// Its own signing keys (<see cref="Teams.SigningKeyRing"/> as JSON, encrypted by <see cref="Teams.SecretProtector"/>);
    /// null on rows made before endpoints had keys, until <see cref="EndpointSigning"/> gives them some.
    /// </summary>
    public string? EncryptedSigningKeys { get; set; }

    /// <summary>The custom headers (SPEC §13) as a JSON object, encrypted by <see cref="Teams.SecretProtector"/>; null for none.</summary>
    public string? Headers { get; set; }

    /// <summary>The OAuth 2.0 client (SPEC §13); null <see cref="OAuth2TokenUrl"/> means none.</summary>
    public string? OAuth2TokenUrl { get; set; }
    public string? OAuth2ClientId { get; set; }
    public string? OAuth2Scope { get; set; }

    /// <summary>The client secret, encrypted by <see cref="Teams.SecretProtector"/>.</summary>
    public string? OAuth2ClientSecret { get; set; }

    /// <summary>The client certificate and its key as PEM, encrypted by <see cref="Teams.SecretProtector"/>; null for none.</summary>
    public string? ClientCertificate { get; set; }
    public string? ClientCertificateSubject { get; set; }
    public string? ClientCertificateThumbprint { get; set; }
    public DateTimeOffset? ClientCertificateNotAfter { get; set; }

    [IgnoreDataMember]
    public bool IsEnabled => Status == EndpointStatus.Enabled;

    [IgnoreDataMember]
    public DateTimeOffset EnabledSince => EnabledAt ?? CreatedAt;

    /// <summary><see cref="EventTypes"/> as a list. This and the other computed properties are not columns.</summary>
    [IgnoreDataMember]
    public IReadOnlyList<string>? EventTypeList =>
        EventTypes is null ? null : EventTypes.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Whether events of <paramref name="eventType"/> go to this endpoint.</summary>
    public bool Receives(string eventType) => EventTypeList is not { } types || types.Contains(eventType, StringComparer.Ordinal);

    public static string? JoinEventTypes(IEnumerable<string>? types) => types is null ? null : string.Join(',', types);
}
