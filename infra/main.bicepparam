using 'main.bicep'

param baseName = 'webhooks'
param maximumInstanceCount = 40

// Secrets come from the environment of whoever deploys; nothing secret is committed or compiled into artifacts.
//   export WEBHOOKS_ADMIN_API_KEY=$(openssl rand -hex 32)
//   export WEBHOOKS_SECRET_ENCRYPTION_KEY=$(openssl rand -base64 32)
param adminApiKey = readEnvironmentVariable('WEBHOOKS_ADMIN_API_KEY')
param secretEncryptionKey = readEnvironmentVariable('WEBHOOKS_SECRET_ENCRYPTION_KEY')
