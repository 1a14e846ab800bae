// Webhooks.Functions on Azure Functions Flex Consumption (.NET isolated worker), see docs/deploy-to-azure.md.
// Deployed by `azd up` (azure.yaml, main.parameters.json) or by `az deployment group create` (main.bicepparam).
targetScope = 'resourceGroup'

@description('Short lowercase name used to derive every resource name.')
@minLength(3)
@maxLength(12)
param baseName string = 'webhooks'

@description('Region of every resource; defaults to the resource group\'s.')
param location string = resourceGroup().location

@description('Upper bound for Flex Consumption scale-out.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Table names the app uses (StorageNames.Tables).')
param tableNames array = [
  'teams'
  'apikeys'
  'jobs'
  'idempotency'
  'eventindex'
  'portalkeys'
  'endpoints'
  'stats'
]

@description('Retention:Days (SPEC §10): the sweeper deletes jobs, events and deliveries older than this, and the storage account\'s lifecycle rule deletes page bodies older than it.')
@minValue(1)
@maxValue(3650)
param retentionDays int = 30

@description('Where Azure Monitor alerts are mailed (README "Alerts"); empty: they only show in the portal.')
param alertEmail string = ''

@description('Delivery failure ratio over an hour above which the failure alert fires, from 0 to 1.')
param alertFailureRatio string = '0.5'

@description('Attempts an hour must have before the failure ratio alert can fire.')
@minValue(1)
param alertFailureMinAttempts int = 20

@description('Delivery:* settings (SPEC §6), keys without the section name.')
param delivery object = {
  AttemptTimeout: '00:00:30'
  DefaultPolicy: 'standard'
  Jitter: '0.1'
  MaxRetryAfter: '00:15:00'
}

@secure()
@minLength(32)
@description('Admin:ApiKey, stored in Key Vault. Generate with: openssl rand -hex 32')
param adminApiKey string

@secure()
@minLength(44)
@maxLength(44)
@description('Security:SecretEncryptionKey (base64 of 32 random bytes), stored in Key Vault. Generate with: openssl rand -base64 32')
param secretEncryptionKey string

param tags object = {
  app: 'webhooks-functions'
}

var suffix = uniqueString(resourceGroup().id, baseName)
var appName = '${baseName}-${suffix}'
var deploymentContainerName = 'app-package-${appName}'
// Names are computed here, not taken from module outputs, so that What-If can predict every resource.
var storageAccountName = take('st${baseName}${suffix}', 24)
var appInsightsName = 'appi-${appName}'
var keyVaultName = take('kv-${baseName}-${suffix}', 24)

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: storageAccountName
    location: location
    tags: tags
    tableNames: tableNames
    queueNames: [
      'jobs'
    ]
    containerNames: [
      'pages'
    ]
    // Page bodies: the sweeper deletes them with their jobs, the lifecycle rule catches any it could not.
    expiringContainerNames: [
      'pages'
    ]
    retentionDays: retentionDays
    deploymentContainerName: deploymentContainerName
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: 'log-${appName}'
    appInsightsName: appInsightsName
    location: location
    tags: tags
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    appInsightsName: appInsightsName
    location: location
    tags: tags
    alertEmail: alertEmail
    failureRatioThreshold: alertFailureRatio
    failureRatioMinAttempts: alertFailureMinAttempts
  }
  dependsOn: [
    monitoring
  ]
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyVault'
  params: {
    name: keyVaultName
    location: location
    tags: tags
    adminApiKey: adminApiKey
    secretEncryptionKey: secretEncryptionKey
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionApp'
  params: {
    planName: 'plan-${appName}'
    appName: appName
    location: location
    tags: tags
    azdServiceName: 'api'
    // The version the app targets (net10.0), one of the dotnet-isolated versions Flex Consumption runs.
    dotnetVersion: '10.0'
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    maximumInstanceCount: maximumInstanceCount
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: functionApp.outputs.principalId
    appResourceId: resourceId('Microsoft.Web/sites', appName)
    storageAccountName: storageAccountName
    appInsightsName: appInsightsName
    keyVaultName: keyVaultName
  }
  dependsOn: [
    monitoring
    keyVault
  ]
}

module appSettings 'modules/appsettings.bicep' = {
  name: 'appSettings'
  params: {
    appName: appName
    storageAccountName: storageAccountName
    appInsightsConnectionString: monitoring.outputs.connectionString
    adminApiKeySecretUri: keyVault.outputs.adminApiKeySecretUri
    secretEncryptionKeySecretUri: keyVault.outputs.secretEncryptionKeySecretUri
    delivery: delivery
    retentionDays: retentionDays
  }
  // Settings that rely on the identity (storage, Key Vault references) go live only once its roles exist.
  dependsOn: [
    functionApp
    roles
  ]
}

output apiBaseUrl string = 'https://${functionApp.outputs.defaultHostName}'
output functionAppName string = functionApp.outputs.name
output storageAccountName string = storage.outputs.name
