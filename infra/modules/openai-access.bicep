// Grants the app identity Cognitive Services OpenAI User on an Azure OpenAI account that already
// exists (deployed in that account's resource group) and reads its endpoint.

@description('Name of the existing Azure OpenAI account.')
param accountName string

@description('Principal id of the app identity.')
param appPrincipalId string

var openAIUser = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: accountName
}

resource userRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appPrincipalId, openAIUser)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', openAIUser)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output endpoint string = account.properties.endpoint
