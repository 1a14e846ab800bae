// The function app's application settings (SPEC §6: environment variables use __ for :).
// FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION are not set: Flex Consumption takes the runtime from
// functionAppConfig.runtime and rejects those two settings.

param appName string
param storageAccountName string

@secure()
@description('Application Insights connection string (contains the ingestion key).')
param appInsightsConnectionString string

param adminApiKeySecretUri string
param secretEncryptionKeySecretUri string

@description('Delivery:* settings, keys without the section name (e.g. AttemptTimeout).')
param delivery object

resource app 'Microsoft.Web/sites@2025-03-01' existing = {
  name: appName
}

var deliverySettings = toObject(items(delivery), item => 'Delivery__${item.key}', item => string(item.value))

resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: app
  name: 'appsettings'
  properties: union(deliverySettings, {
    // Identity-based storage for the host (triggers, leases) and the app (DefaultAzureCredential); no key anywhere.
    AzureWebJobsStorage__accountName: storageAccountName
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
    // The host sends telemetry with the app identity (Monitoring Metrics Publisher).
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
    ASPNETCORE_ENVIRONMENT: 'Production'
    // Queue and table names in functions/*/function.json are unprefixed, so the prefix must stay empty in Azure.
    Storage__Prefix: ''
    Security__AllowPrivateNetworks: 'false'
    Security__RequireHttpsWebhooks: 'true'
    Admin__ApiKey: '@Microsoft.KeyVault(SecretUri=${adminApiKeySecretUri})'
    Security__SecretEncryptionKey: '@Microsoft.KeyVault(SecretUri=${secretEncryptionKeySecretUri})'
  })
}
