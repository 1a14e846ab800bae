using System.Text.RegularExpressions;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>What <c>infra/main.bicep</c> deploys, read from the template the Bicep CLI compiled.</summary>
public sealed class CompiledTemplateTests
{
    [Fact]
    public void Plan_IsFlexConsumptionFc1()
    {
        var plan = CompiledTemplate.Single("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", plan.Element.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", plan.Element.GetProperty("sku").GetProperty("tier").GetString());
        Assert.Equal("functionapp", plan.Element.GetProperty("kind").GetString());
        Assert.True(plan.Properties.GetProperty("reserved").GetBoolean());
    }

    [Fact]
    public void FunctionApp_RunsDotnetIsolatedOnTheAppsDotnetVersion_WithSystemIdentity()
    {
        var app = CompiledTemplate.Single("Microsoft.Web/sites");
        var config = app.Properties.GetProperty("functionAppConfig");
        var targetFramework = Regex.Match(File.ReadAllText(Path.Combine(InfraPaths.RepositoryRoot, "Directory.Build.props")),
            "<TargetFramework>net(?<version>[0-9.]+)</TargetFramework>").Groups["version"].Value;

        Assert.Equal("functionapp,linux", app.Element.GetProperty("kind").GetString());
        Assert.Equal("SystemAssigned", app.Element.GetProperty("identity").GetProperty("type").GetString());
        Assert.True(app.Properties.GetProperty("httpsOnly").GetBoolean());
        Assert.Equal("dotnet-isolated", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("10.0", targetFramework);
        Assert.Equal("[parameters('dotnetVersion')]", config.GetProperty("runtime").GetProperty("version").GetString());
        Assert.Contains($"\"dotnetVersion\":{{\"value\":\"{targetFramework}\"}}", Regex.Replace(CompiledTemplate.Text, @"\s", ""), StringComparison.Ordinal);
        Assert.Equal(2048, config.GetProperty("scaleAndConcurrency").GetProperty("instanceMemoryMB").GetInt32());
        var deploymentStorage = config.GetProperty("deployment").GetProperty("storage");
        Assert.Equal("blobContainer", deploymentStorage.GetProperty("type").GetString());
        Assert.Equal("SystemAssignedIdentity", deploymentStorage.GetProperty("authentication").GetProperty("type").GetString());
    }

    [Fact]
    public void FunctionApp_HasNoFtpsState_AndBothPublishingCredentialPoliciesAreOffWithALocation()
    {
        var policies = CompiledTemplate.All("Microsoft.Web/sites/basicPublishingCredentialsPolicies");

        Assert.DoesNotContain("ftpsState", CompiledTemplate.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, policies.Count);
        Assert.All(policies, p =>
        {
            Assert.False(p.Properties.GetProperty("allow").GetBoolean());
            Assert.Equal("[parameters('location')]", p.Element.GetProperty("location").GetString());
        });
    }

    [Fact]
    public void FunctionApp_IsTaggedWithTheAzdServiceOfAzureYaml()
    {
        var app = CompiledTemplate.Single("Microsoft.Web/sites");
        var service = Regex.Match(File.ReadAllText(InfraPaths.AzureYaml), @"services:\s*\n\s+(?<name>[a-z0-9-]+):").Groups["name"].Value;

        Assert.Equal("api", service);
        Assert.Contains("'azd-service-name', parameters('azdServiceName')", app.Expand("tags"), StringComparison.Ordinal);
        Assert.Contains("\"azdServiceName\":{\"value\":\"api\"}", Regex.Replace(CompiledTemplate.Text, @"\s", ""), StringComparison.Ordinal);
    }

    [Fact]
    public void ApplicationInsights_AcceptsOnlyEntraIdAuthenticatedTelemetry()
    {
        var appInsights = CompiledTemplate.Single("Microsoft.Insights/components");

        Assert.True(appInsights.Properties.GetProperty("DisableLocalAuth").GetBoolean());
    }

    [Fact]
    public void AppSettings_UseIdentityForStorage_AndNoKeyAnywhere()
    {
        var settings = AppSettingsText();

        Assert.Contains("'AzureWebJobsStorage__accountName'", settings, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex("""['"]AzureWebJobsStorage['"]"""), settings);
        // Flex Consumption takes the runtime from functionAppConfig and rejects these settings.
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", CompiledTemplate.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("listKeys(", CompiledTemplate.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Admin__ApiKey")]
    [InlineData("Security__SecretEncryptionKey")]
    public void AppSettings_SecretIsKeyVaultReference(string setting)
    {
        var reference = new Regex(Regex.Escape(setting) + """['"]\s*[,:]\s*"?\[?format\('@Microsoft\.KeyVault\(SecretUri=""");

        Assert.Matches(reference, AppSettingsText());
    }

    [Theory]
    [InlineData("ASPNETCORE_ENVIRONMENT", "Production")]
    [InlineData("Security__AllowPrivateNetworks", "false")]
    [InlineData("Security__RequireHttpsWebhooks", "true")]
    [InlineData("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "Authorization=AAD")]
    public void AppSettings_HaveProductionValue(string setting, string value)
    {
        var assignment = new Regex($"""['"]{Regex.Escape(setting)}['"]\s*[,:]\s*['"]{Regex.Escape(value)}['"]""");

        Assert.Matches(assignment, AppSettingsText());
    }

    [Fact]
    public void StorageAccount_AllowsOnlyEntraIdOverTls12()
    {
        var storage = CompiledTemplate.Single("Microsoft.Storage/storageAccounts");

        Assert.Equal("StorageV2", storage.Element.GetProperty("kind").GetString());
        Assert.False(storage.Properties.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(storage.Properties.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.True(storage.Properties.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
        Assert.Equal("TLS1_2", storage.Properties.GetProperty("minimumTlsVersion").GetString());
    }

    [Theory]
    [InlineData("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Microsoft.Storage/storageAccounts")] // Storage Blob Data Owner
    [InlineData("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Microsoft.Storage/storageAccounts")] // Storage Queue Data Contributor
    [InlineData("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Microsoft.Storage/storageAccounts")] // Storage Table Data Contributor
    [InlineData("3913510d-42f4-4e42-8a64-420c390055eb", "Microsoft.Insights/components")] // Monitoring Metrics Publisher
    [InlineData("4633458b-17de-408a-b874-0445c86b69e6", "Microsoft.KeyVault/vaults")] // Key Vault Secrets User
    public void RoleAssignment_GrantsBuiltInRoleOnItsResource(string roleDefinitionGuid, string scopeType)
    {
        var assignments = CompiledTemplate.All("Microsoft.Authorization/roleAssignments")
            .Where(a => a.Expand("properties", "roleDefinitionId").Contains(roleDefinitionGuid, StringComparison.Ordinal))
            .ToList();

        var assignment = Assert.Single(assignments);
        Assert.Contains("Microsoft.Authorization/roleDefinitions", assignment.Expand("properties", "roleDefinitionId"), StringComparison.Ordinal);
        Assert.Contains($"'{scopeType}'", assignment.Expand("scope"), StringComparison.Ordinal);
        Assert.Equal("ServicePrincipal", assignment.Properties.GetProperty("principalType").GetString());
    }

    [Fact]
    public void KeyVault_UsesRbacAndSoftDelete()
    {
        var vault = CompiledTemplate.Single("Microsoft.KeyVault/vaults");

        Assert.True(vault.Properties.GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.True(vault.Properties.GetProperty("enableSoftDelete").GetBoolean());
        Assert.Equal(2, CompiledTemplate.All("Microsoft.KeyVault/vaults/secrets").Count);
    }

    [Fact]
    public void ApplicationInsights_IsWorkspaceBased()
    {
        var appInsights = CompiledTemplate.Single("Microsoft.Insights/components");

        Assert.Single(CompiledTemplate.All("Microsoft.OperationalInsights/workspaces"));
        Assert.Contains("Microsoft.OperationalInsights/workspaces", appInsights.Properties.GetProperty("WorkspaceResourceId").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Alerts_PoisonQueueAndFailureRatio_SearchTheApplicationInsightsComponent()
    {
        var rules = CompiledTemplate.All("Microsoft.Insights/scheduledQueryRules");

        Assert.Equal(2, rules.Count);
        var queries = rules.Select(r => r.Properties.GetProperty("criteria").GetProperty("allOf")[0].GetProperty("query").GetRawText()).ToList();
        Assert.Contains(queries, q => q.Contains("-poison", StringComparison.Ordinal));
        Assert.Contains(queries, q => q.Contains("webhooks.attempts", StringComparison.Ordinal));
        Assert.All(rules, r => Assert.Contains("Microsoft.Insights/components", r.Properties.GetProperty("scopes")[0].GetString(), StringComparison.Ordinal));
        Assert.Contains(CompiledTemplate.Root.GetProperty("parameters").GetProperty("tableNames").GetProperty("defaultValue").EnumerateArray(),
            t => t.GetString() == Webhooks.Functions.Storage.StorageNames.StatsTable);
    }

    [Theory]
    [InlineData("apiBaseUrl")]
    [InlineData("functionAppName")]
    [InlineData("storageAccountName")]
    public void Outputs_Include(string output)
    {
        Assert.True(CompiledTemplate.Root.GetProperty("outputs").TryGetProperty(output, out _), $"missing output {output}");
    }

    [Fact]
    public void Outputs_ApiBaseUrlIsHttpsDefaultHostName()
    {
        var value = CompiledTemplate.Root.GetProperty("outputs").GetProperty("apiBaseUrl").GetProperty("value").GetString();

        Assert.StartsWith("[format('https://{0}'", value, StringComparison.Ordinal);
        Assert.Contains("defaultHostName", value, StringComparison.Ordinal);
    }

    [Fact]
    public void StorageAccount_LifecycleRuleDeletesPageBodiesOlderThanRetentionDays()
    {
        var policy = CompiledTemplate.Single("Microsoft.Storage/storageAccounts/managementPolicies");
        var rule = Assert.Single(policy.Properties.GetProperty("policy").GetProperty("rules").EnumerateArray());
        var definition = rule.GetProperty("definition");
        var compact = Regex.Replace(CompiledTemplate.Text, @"\s", "");

        Assert.True(rule.GetProperty("enabled").GetBoolean());
        Assert.Equal(["blockBlob"], definition.GetProperty("filters").GetProperty("blobTypes").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains("'{0}/'", definition.GetProperty("filters").GetRawText(), StringComparison.Ordinal);
        Assert.Equal("[parameters('retentionDays')]",
            definition.GetProperty("actions").GetProperty("baseBlob").GetProperty("delete").GetProperty("daysAfterModificationGreaterThan").GetString());
        // Only the page bodies' container expires, never the deployment package's; the days are Retention:Days, 30 by default.
        Assert.Contains("\"expiringContainerNames\":{\"value\":[\"pages\"]}", compact, StringComparison.Ordinal);
        Assert.Equal(30, CompiledTemplate.Root.GetProperty("parameters").GetProperty("retentionDays").GetProperty("defaultValue").GetInt32());
        Assert.Contains("'Retention__Days',string(parameters('retentionDays'))", Regex.Replace(AppSettingsText(), @"\s", ""), StringComparison.Ordinal);
    }

    private static string AppSettingsText()
    {
        var config = CompiledTemplate.All("Microsoft.Web/sites/config")
            .Single(c => c.Element.GetProperty("name").GetString()!.Contains("appsettings", StringComparison.Ordinal));
        return config.Expand("properties");
    }
}
