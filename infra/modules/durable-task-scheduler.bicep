// A Durable Task Scheduler (Consumption SKU) and its task hub, for durableBackend
// 'DurableTaskScheduler'. The app identity holds Durable Task Data Contributor on the scheduler.

@description('Name of the scheduler.')
param name string

@description('Azure region.')
param location string

@description('Tags for the resource.')
param tags object

@description('Name of the task hub (the app\'s DURABLE_HANDOFF_TASK_HUB).')
param taskHubName string

@description('Principal id of the app identity.')
param appPrincipalId string

var dataContributor = '0ad04412-c4d5-4796-b79c-f76d14c8d402'

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    ipAllowlist: [
      '0.0.0.0/0'
    ]
    sku: {
      name: 'Consumption'
    }
  }
}

resource taskHub 'Microsoft.DurableTask/schedulers/taskHubs@2025-11-01' = {
  parent: scheduler
  name: taskHubName
}

resource contributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(scheduler.id, appPrincipalId, dataContributor)
  scope: scheduler
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output endpoint string = scheduler.properties.endpoint
output taskHubName string = taskHub.name
