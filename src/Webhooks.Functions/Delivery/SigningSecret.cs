using System.Security.Cryptography;

namespace Webhooks.Functions.Delivery;

/// <summary>One signing secret of a team. <see cref="ExpiresAt"/> is set when a newer secret replaced it.</summary>
internal sealed record SigningSecret(string Secret, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt)
{
    public const string Prefix = "whsec_";

    public static SigningSecret Create(DateTimeOffset now) =>
        new(Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), now, null);

    public bool IsActive(DateTimeOffset now) => ExpiresAt is null || ExpiresAt > now;
}
