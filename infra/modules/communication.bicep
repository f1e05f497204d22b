// Azure Communication Services for SMS and email, with an Email Communication Service whose Azure-managed domain
// (<guid>.azurecomm.net, no DNS to set up) is linked to it. The SMS number is bought separately (see docs/deploy.md).

param tags object
param communicationServiceName string
param emailServiceName string
@description('Where ACS stores data at rest, e.g. United States, Europe, Asia Pacific.')
param dataLocation string

resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: emailServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource managedDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: communicationServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    linkedDomains: [managedDomain.id]
  }
}

output communicationServiceName string = communication.name
output endpoint string = 'https://${communication.properties.hostName}/'
// An Azure-managed domain comes with the DoNotReply sender.
output emailFrom string = 'DoNotReply@${managedDomain.properties.mailFromSenderDomain}'
