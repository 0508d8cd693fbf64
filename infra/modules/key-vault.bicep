// The run-token secret (DURABLE_HANDOFF_TOKEN_SECRET) in a Key Vault with RBAC authorization. The
// app setting holds only a Key Vault reference; the app identity may read these secrets and nothing
// else in the vault.

@description('Name of the vault (3-24 letters, digits and dashes).')
param name string

@description('Azure region.')
param location string

@description('Tags for the resource.')
param tags object

@description('Principal id of the app identity.')
param appPrincipalId string

@secure()
@description('The current run-token secret.')
param runTokenSecret string

@secure()
@description('The previous run-token secret(s), comma-separated, during a rotation; empty otherwise.')
param runTokenSecretPrevious string

var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var hasPrevious = !empty(runTokenSecretPrevious)

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
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
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource current 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'run-token-secret'
  properties: {
    value: runTokenSecret
    contentType: 'DURABLE_HANDOFF_TOKEN_SECRET'
  }
}

resource previous 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (hasPrevious) {
  parent: vault
  name: 'run-token-secret-previous'
  properties: {
    value: runTokenSecretPrevious
    contentType: 'DURABLE_HANDOFF_TOKEN_SECRET_PREVIOUS'
  }
}

resource currentReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(current.id, appPrincipalId, secretsUser)
  scope: current
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource previousReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (hasPrevious) {
  name: guid(previous.id, appPrincipalId, secretsUser)
  scope: previous
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Versionless secret URIs: the app follows the latest version after a rotation.
output runTokenCurrentUri string = current.properties.secretUri
output runTokenPreviousUri string = hasPrevious ? previous!.properties.secretUri : ''
