// The one user-assigned managed identity the function app uses for everything: storage, Durable
// Task Scheduler, Azure OpenAI, Application Insights and the Key Vault reference. User-assigned,
// so its role assignments exist before the app starts and outlive a redeployed app.

@description('Name of the managed identity.')
param name string

@description('Azure region.')
param location string

@description('Tags for the resource.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
