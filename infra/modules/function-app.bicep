// The Flex Consumption plan and function app (Node.js 22, Functions v4). The app reaches every
// dependency with its user-assigned identity: no keys, no connection strings with secrets, no
// publishing credentials.

@description('Name of the function app.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags object

@description('Resource id of the app\'s user-assigned identity.')
param identityId string

@description('Client id of the app\'s user-assigned identity.')
param identityClientId string

@description('URL of the blob container Flex Consumption deploys the package from.')
param deploymentContainerUrl string

@description('Blob endpoint of the app\'s storage account.')
param blobEndpoint string

@description('Queue endpoint of the app\'s storage account; empty when the Durable backend needs no queues.')
param queueEndpoint string

@description('Table endpoint of the app\'s storage account (Functions host and the run store).')
param tableEndpoint string

@description('Application Insights connection string (it admits Entra tokens only).')
param applicationInsightsConnectionString string

@description('Azure OpenAI endpoint.')
param openAIEndpoint string

@description('Azure OpenAI deployment name.')
param openAIDeploymentName string

@description('Azure OpenAI data-plane API version.')
param openAIApiVersion string

@description('Durable task hub name (DURABLE_HANDOFF_TASK_HUB): host.json reads it, and the run store names its tables after it.')
param taskHubName string

@description('Who may start runs: anonymous, or function (a function key is required).')
param startAuthLevel string

@description('Versionless Key Vault URI of the run-token secret.')
param runTokenCurrentUri string

@description('Versionless Key Vault URI of the previous run-token secret during a rotation; empty otherwise.')
param runTokenPreviousUri string

@description('Durable Functions storage backend.')
@allowed([
  'AzureStorage'
  'DurableTaskScheduler'
])
param durableBackend string

@description('Durable Task Scheduler endpoint (durableBackend DurableTaskScheduler); empty otherwise.')
param schedulerEndpoint string

@description('Memory of each instance in MB.')
param instanceMemoryMB int

@description('Most instances the app scales out to.')
param maximumInstanceCount int

// What the app and the Functions host read. Identity-based AzureWebJobsStorage: the host and the
// run store (src/durable/store/storage-settings.ts) read the same service URIs, credential and
// client id, so nothing here holds a key.
// The Node worker's heap limit: a quarter of the instance's memory, at least 256 MB, which is what
// Node gives itself when it sees a container limit of that size. Set explicitly because V8 lets the
// heap grow to four times what survived its last full collection whenever the limit it derives is
// 2 GB or more (a machine or host whose memory it sees whole): with 200 agent turns in flight that
// is 350-380 MB of mostly garbage instead of about 220 MB, for the same CPU (#16, bench/README.md
// "Eighth round"). The app's live heap at 200 concurrent runs is about 70 MB.
var workerHeapMB = {
  '512': 256
  '2048': 512
  '4096': 1024
}[string(instanceMemoryMB)]

var baseSettings = {
  NODE_OPTIONS: '--max-old-space-size=${workerHeapMB}'
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: blobEndpoint
  AzureWebJobsStorage__tableServiceUri: tableEndpoint
  AZURE_CLIENT_ID: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  AZURE_OPENAI_ENDPOINT: openAIEndpoint
  AZURE_OPENAI_DEPLOYMENT: openAIDeploymentName
  AZURE_OPENAI_API_VERSION: openAIApiVersion
  DURABLE_HANDOFF_TASK_HUB: taskHubName
  DURABLE_HANDOFF_START_AUTH_LEVEL: startAuthLevel
  DURABLE_HANDOFF_TOKEN_SECRET: '@Microsoft.KeyVault(SecretUri=${runTokenCurrentUri})'
}

var queueSettings = empty(queueEndpoint) ? {} : { AzureWebJobsStorage__queueServiceUri: queueEndpoint }

var rotationSettings = empty(runTokenPreviousUri)
  ? {}
  : { DURABLE_HANDOFF_TOKEN_SECRET_PREVIOUS: '@Microsoft.KeyVault(SecretUri=${runTokenPreviousUri})' }

// One host.json for both backends: these settings override its durableTask.storageProvider
// (AzureFunctionsJobHost__ paths override host.json values).
var schedulerSettings = durableBackend == 'DurableTaskScheduler'
  ? {
      DURABLE_TASK_SCHEDULER_CONNECTION_STRING: 'Endpoint=${schedulerEndpoint};Authentication=ManagedIdentity;ClientID=${identityClientId}'
      AzureFunctionsJobHost__extensions__durableTask__storageProvider__type: 'azureManaged'
      AzureFunctionsJobHost__extensions__durableTask__storageProvider__connectionStringName: 'DURABLE_TASK_SCHEDULER_CONNECTION_STRING'
    }
  : {}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: union(baseSettings, queueSettings, rotationSettings, schedulerSettings)
}

resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
