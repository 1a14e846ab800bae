namespace Webhooks.Functions.Hosting;

/// <summary>
/// Fails closed on app settings that Azure could not resolve from Key Vault. App Service passes such a setting to the
/// app as its literal text, <c>@Microsoft.KeyVault(SecretUri=…)</c>, which would otherwise be taken at face value: as
/// the admin bearer token, say, a string anyone who can read the template knows.
/// </summary>
internal static class UnresolvedKeyVaultReferences
{
    private const string Marker = "@Microsoft.KeyVault(";

    /// <summary>The configuration keys whose values are still Key Vault references, in key order.</summary>
    public static IReadOnlyList<string> Find(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.AsEnumerable()
            .Where(p => p.Value is { } value && value.TrimStart().StartsWith(Marker, StringComparison.OrdinalIgnoreCase))
            .Select(p => p.Key)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <exception cref="InvalidOperationException">Some setting is an unresolved reference; the message names each.</exception>
    public static void ThrowIfAny(IConfiguration configuration)
    {
        var keys = Find(configuration);
        if (keys.Count > 0)
        {
            throw new InvalidOperationException(
                $"Refusing to start: {string.Join(", ", keys)} {(keys.Count == 1 ? "is" : "are")} an unresolved Key Vault reference " +
                "(the platform could not read the secret: check the app identity's 'Key Vault Secrets User' role and the secret URI).");
        }
    }
}
