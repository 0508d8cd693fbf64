// durable-handoff on Azure: `azd up` provisions this and deploys the app. Everything the app
// reaches, it reaches with one user-assigned managed identity; no resource keeps key access on.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names the resource group and seeds resource names.')
param environmentName string

@minLength(1)
@description('Region of every resource (Azure OpenAI may go elsewhere, see openAILocation). Pick a region that offers Flex Consumption.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Durable Functions backend: Azure Storage (the app\'s storage account, no extra cost at idle) or Durable Task Scheduler (managed, Consumption SKU).')
@allowed([
  'AzureStorage'
  'DurableTaskScheduler'
])
param durableBackend string = 'AzureStorage'

@description('Memory of each function app instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances the function app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Resource id of an existing Azure OpenAI account to use instead of creating one. The app identity is granted Cognitive Services OpenAI User on it.')
param existingOpenAIResourceId string = ''

@description('Region of the Azure OpenAI account this template creates; empty: the same as location.')
param openAILocation string = ''

@description('Chat model of the deployment this template creates.')
param openAIModelName string = 'gpt-4o-mini'

@description('Version of that model.')
param openAIModelVersion string = '2024-07-18'

@description('SKU of the model deployment (GlobalStandard, Standard, DataZoneStandard...).')
param openAIDeploymentSku string = 'GlobalStandard'

@description('Capacity of the model deployment, in thousands of tokens per minute.')
@minValue(1)
param openAIDeploymentCapacity int = 10

@description('Name of the model deployment the app calls (an existing one when existingOpenAIResourceId is set).')
param openAIDeploymentName string = 'chat'

@description('Azure OpenAI data-plane API version the app uses.')
param openAIApiVersion string = '2024-10-21'

@description('Durable task hub; also the prefix of the run store\'s tables (a letter, then 2-40 letters or digits).')
param taskHubName string = 'DurableHandoff'

@description('Who may start runs: anonymous (the chat page starts runs from the browser) or function (a function key is required).')
@allowed([
  'anonymous'
  'function'
])
param startAuthLevel string = 'anonymous'

@secure()
@description('HMAC secret of run tokens. azd generates it once per environment and keeps it in the environment\'s config (never in source); it is stored in Key Vault.')
@metadata({
  azd: {
    type: 'generate'
    config: {
      length: 48
      noSpecial: true
    }
  }
})
param runTokenSecret string

@secure()
@description('During a rotation: the previous run-token secret(s), comma-separated; tokens issued under them stay valid. Empty otherwise.')
param runTokenSecretPrevious string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = 'func-${resourceToken}'
var useExistingOpenAI = !empty(existingOpenAIResourceId)
var useScheduler = durableBackend == 'DurableTaskScheduler'
var openAIRegion = empty(openAILocation) ? location : openAILocation

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: resourceGroup
  params: {
    name: 'id-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: resourceGroup
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
    publisherPrincipalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: resourceGroup
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'
    appPrincipalId: identity.outputs.principalId
    grantQueueAccess: !useScheduler
  }
}

module vault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  scope: resourceGroup
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
    runTokenSecret: runTokenSecret
    runTokenSecretPrevious: runTokenSecretPrevious
  }
}

module openAI 'modules/openai.bicep' = if (!useExistingOpenAI) {
  name: 'openai'
  scope: resourceGroup
  params: {
    name: 'oai-${resourceToken}'
    location: openAIRegion
    tags: tags
    deploymentName: openAIDeploymentName
    modelName: openAIModelName
    modelVersion: openAIModelVersion
    deploymentSku: openAIDeploymentSku
    deploymentCapacity: openAIDeploymentCapacity
    appPrincipalId: identity.outputs.principalId
  }
}

module existingOpenAI 'modules/openai-access.bicep' = if (useExistingOpenAI) {
  name: 'openai-access'
  scope: az.resourceGroup(split(existingOpenAIResourceId, '/')[2], split(existingOpenAIResourceId, '/')[4])
  params: {
    accountName: last(split(existingOpenAIResourceId, '/'))
    appPrincipalId: identity.outputs.principalId
  }
}

module scheduler 'modules/durable-task-scheduler.bicep' = if (useScheduler) {
  name: 'durable-task-scheduler'
  scope: resourceGroup
  params: {
    name: 'dts-${resourceToken}'
    location: location
    tags: tags
    taskHubName: taskHubName
    appPrincipalId: identity.outputs.principalId
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: resourceGroup
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: useScheduler ? '' : storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    openAIEndpoint: useExistingOpenAI ? existingOpenAI!.outputs.endpoint : openAI!.outputs.endpoint
    openAIDeploymentName: openAIDeploymentName
    openAIApiVersion: openAIApiVersion
    taskHubName: taskHubName
    startAuthLevel: startAuthLevel
    runTokenCurrentUri: vault.outputs.runTokenCurrentUri
    runTokenPreviousUri: vault.outputs.runTokenPreviousUri
    durableBackend: durableBackend
    schedulerEndpoint: useScheduler ? scheduler!.outputs.endpoint : ''
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_CHAT_PAGE_URL string = 'https://${functionApp.outputs.defaultHostName}/api/chat'
output AZURE_APP_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_APP_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output AZURE_OPENAI_ENDPOINT string = useExistingOpenAI ? existingOpenAI!.outputs.endpoint : openAI!.outputs.endpoint
output DURABLE_BACKEND string = durableBackend
