// Flex Consumption plan and the function app that runs Webhooks.Functions as a .NET isolated worker.
// App settings are applied separately (appsettings.bicep) once the identity holds its roles, so that Key Vault
// references and identity-based storage work from the first start.

param planName string
param appName string
param location string
param tags object

@description('The service name in azure.yaml: azd deploys that service to the app carrying it as its azd-service-name tag.')
param azdServiceName string

@description('.NET version of the dotnet-isolated runtime; the app is built for it (global.json, Directory.Build.props).')
param dotnetVersion string

@description('Storage account that holds the deployment package container.')
param storageBlobEndpoint string

param deploymentContainerName string

@description('Upper bound for scale-out.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': azdServiceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    // No ftpsState: Flex Consumption has no FTP endpoint and rejects the setting as deprecated.
    siteConfig: {
      minTlsVersion: '1.2'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        // 2048 MB is the Flex default size and gives the HTTP client pools and crawls room.
        instanceMemoryMB: 2048
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
    }
  }
}

// Deployments go through Entra ID (azd deploy, az functionapp deploy); publishing with basic credentials is switched off.
// The policies take the app's location: the resource provider reports them with one and deployments without it are
// refused in some regions, but Bicep's type definitions (every API version) lack the property, hence the suppressed
// BCP187 ("property does not exist ... might still be valid") on exactly that line.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'ftp'
  #disable-next-line BCP187
  location: location
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'scm'
  #disable-next-line BCP187
  location: location
  properties: {
    allow: false
  }
}

output name string = app.name
output principalId string = app.identity.principalId
output defaultHostName string = app.properties.defaultHostName
