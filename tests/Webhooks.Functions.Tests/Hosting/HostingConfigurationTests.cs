using Webhooks.Functions.Hosting;

namespace Webhooks.Functions.Tests.Hosting;

/// <summary>Settings Azure hands the app: Key Vault references and the Application Insights authentication string.</summary>
public sealed class HostingConfigurationTests
{
    [Fact]
    public void UnresolvedKeyVaultReferences_FindsEveryReferenceStillInConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Admin:ApiKey"] = "@Microsoft.KeyVault(SecretUri=https://kv-x.vault.azure.net/secrets/admin-api-key/)",
            ["Security:SecretEncryptionKey"] = " @microsoft.keyvault(VaultName=kv-x;SecretName=secret-encryption-key)",
            ["Delivery:DefaultPolicy"] = "standard",
            ["Notes"] = "mentions @Microsoft.KeyVault( in the middle, which is not a reference",
        }).Build();

        Assert.Equal(["Admin:ApiKey", "Security:SecretEncryptionKey"], UnresolvedKeyVaultReferences.Find(configuration));
        var error = Assert.Throws<InvalidOperationException>(() => UnresolvedKeyVaultReferences.ThrowIfAny(configuration));
        Assert.Contains("Admin:ApiKey, Security:SecretEncryptionKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnresolvedKeyVaultReferences_ResolvedValues_AreAccepted()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Admin:ApiKey"] = "0123456789abcdef" }).Build();

        UnresolvedKeyVaultReferences.ThrowIfAny(configuration);
        Assert.Empty(UnresolvedKeyVaultReferences.Find(configuration));
    }

    [Theory]
    [InlineData("Authorization=AAD", true, null)]
    [InlineData("ClientId=5f1c0b9a-0000-4000-8000-000000000001;Authorization=AAD", true, "5f1c0b9a-0000-4000-8000-000000000001")]
    [InlineData(" authorization = aad ; ", true, null)]
    [InlineData("", false, null)]
    [InlineData(null, false, null)]
    [InlineData("ClientId=5f1c0b9a-0000-4000-8000-000000000001", false, null)]
    public void AzureMonitorAuthentication_ReadsTheHostsSetting(string? value, bool entraId, string? clientId) =>
        Assert.Equal(new AzureMonitorAuthentication(entraId, clientId), AzureMonitorAuthentication.Parse(value));
}
