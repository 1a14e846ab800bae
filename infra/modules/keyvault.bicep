// Key Vault (RBAC authorization, soft delete) holding the two secrets the app reads through Key Vault references.

param name string
param location string
param tags object

@secure()
@description('Value of Admin:ApiKey.')
param adminApiKey string

@secure()
@description('Value of Security:SecretEncryptionKey (base64 of 32 random bytes).')
param secretEncryptionKey string

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    publicNetworkAccess: 'Enabled'
  }
}

resource adminApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: 'admin-api-key'
  properties: {
    value: adminApiKey
    contentType: 'text/plain'
  }
}

resource secretEncryptionKeySecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: 'secret-encryption-key'
  properties: {
    value: secretEncryptionKey
    contentType: 'text/plain'
  }
}

output name string = vault.name
// Versionless URIs: the app picks up a rotated secret when App Service refreshes the reference.
output adminApiKeySecretUri string = adminApiKeySecret.properties.secretUri
output secretEncryptionKeySecretUri string = secretEncryptionKeySecret.properties.secretUri
