// The function app's application settings (SPEC §6: environment variables use __ for :).
// FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION are not set: Flex Consumption takes the runtime from
// functionAppConfig.runtime (dotnet-isolated) and rejects those two settings.

param appName string
param storageAccountName string

@secure()
@description('Application Insights connection string (contains the ingestion key).')
param appInsightsConnectionString string

param adminApiKeySecretUri string
param secretEncryptionKeySecretUri string

@description('Delivery:* settings, keys without the section name (e.g. AttemptTimeout).')
param delivery object

@description('Retention:Days, the same days as the storage account\'s lifecycle rule for page bodies.')
param retentionDays int

resource app 'Microsoft.Web/sites@2025-03-01' existing = {
  name: appName
}

var deliverySettings = toObject(items(delivery), item => 'Delivery__${item.key}', item => string(item.value))

resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: app
  name: 'appsettings'
  properties: union(deliverySettings, {
    // Identity-based storage for the host (queue and timer triggers, the Durable task hub of host.json, whose
    // connectionName is AzureWebJobsStorage) and the app (DefaultAzureCredential); no key anywhere.
    AzureWebJobsStorage__accountName: storageAccountName
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
    // The host and the app's own exporter send telemetry as the app's identity (Monitoring Metrics Publisher).
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
    ASPNETCORE_ENVIRONMENT: 'Production'
    // The queue triggers name the queues unprefixed ([QueueTrigger("jobs")]), so the prefix must stay empty in Azure.
    Storage__Prefix: ''
    Retention__Days: string(retentionDays)
    Security__AllowPrivateNetworks: 'false'
    Security__RequireHttpsWebhooks: 'true'
    // Key Vault references: one that cannot be resolved reaches the app as its literal text, and the app refuses to
    // start naming the setting (Hosting/UnresolvedKeyVaultReferences.cs) rather than take it for the secret.
    Admin__ApiKey: '@Microsoft.KeyVault(SecretUri=${adminApiKeySecretUri})'
    Security__SecretEncryptionKey: '@Microsoft.KeyVault(SecretUri=${secretEncryptionKeySecretUri})'
  })
}
