// Rebind on Azure: a Function App on Flex Consumption with its storage, Key Vault, Communication Services and
// Application Insights, all reached with the app's managed identity. Deploy: docs/deploy.md.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(20)
@description('Environment name (dev, prod, ...): part of every resource name.')
param environmentName string

@description('Region of every regional resource; it must offer Flex Consumption.')
param location string = resourceGroup().location

@description('The "this wasn\'t me" link in notices, with {code} (README, Recovery__ReportUrlFormat).')
param reportUrlFormat string

@description('The ACS sender number in E.164 (bought after the first deployment); empty until then.')
param smsFrom string = ''

@description('Id of the code key that signs new codes (letters and digits).')
param codeKeyId string = 'k1'

@secure()
@description('Base64 of at least 32 random bytes (openssl rand -base64 32) for code-key-<codeKeyId>; empty keeps the vault\'s value.')
param codeKey string = ''

@description('Ids of earlier code keys still accepted after a rotation; their secrets stay in the vault.')
param retiredCodeKeyIds string[] = []

@description('Run with the development attestation (one shared X-Attestation-Token) until a real one is registered in code.')
param allowInsecureAttestation bool = true

@secure()
@description('The X-Attestation-Token the mobile app sends while allowInsecureAttestation is true; empty keeps the vault\'s value.')
param attestationDevToken string = ''

@description('Where ACS keeps data at rest.')
param communicationDataLocation string = 'United States'

@description('.NET version of the Flex Consumption runtime (the project targets net10.0).')
param dotnetVersion string = '10.0'

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName, app: 'rebind' }
var functionAppName = 'func-rebind-${environmentName}-${token}'
var deploymentContainerName = 'app-package-${take(token, 10)}'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    workspaceName: 'log-rebind-${environmentName}-${token}'
    appInsightsName: 'appi-rebind-${environmentName}-${token}'
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    storageAccountName: 'st${take(token, 22)}'
    deploymentContainerName: deploymentContainerName
  }
}

module communication 'modules/communication.bicep' = {
  name: 'communication'
  params: {
    tags: tags
    communicationServiceName: 'acs-rebind-${environmentName}-${token}'
    emailServiceName: 'ecs-rebind-${environmentName}-${token}'
    dataLocation: communicationDataLocation
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    tags: tags
    keyVaultName: 'kv-${take(token, 21)}'
    codeKeyId: codeKeyId
    codeKey: codeKey
    attestationDevToken: attestationDevToken
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    tags: tags
    planName: 'plan-rebind-${environmentName}-${token}'
    functionAppName: functionAppName
    blobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    dotnetVersion: dotnetVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
}

module access 'modules/access.bicep' = {
  name: 'access'
  params: {
    principalId: functionApp.outputs.principalId
    storageAccountName: storage.outputs.storageAccountName
    keyVaultName: keyVault.outputs.keyVaultName
    communicationServiceName: communication.outputs.communicationServiceName
  }
}

// After the roles: the host then finds its storage, and the Key Vault references resolve, at the first start.
module appSettings 'modules/appsettings.bicep' = {
  name: 'appsettings'
  dependsOn: [access]
  params: {
    functionAppName: functionApp.outputs.functionAppName
    appInsightsName: monitoring.outputs.appInsightsName
    storageAccountName: storage.outputs.storageAccountName
    tableEndpoint: storage.outputs.tableEndpoint
    vaultUri: keyVault.outputs.vaultUri
    acsEndpoint: communication.outputs.endpoint
    emailFrom: communication.outputs.emailFrom
    smsFrom: smsFrom
    codeKeyId: codeKeyId
    retiredCodeKeyIds: retiredCodeKeyIds
    reportUrlFormat: reportUrlFormat
    allowInsecureAttestation: allowInsecureAttestation
  }
}

output FUNCTION_APP_NAME string = functionApp.outputs.functionAppName
@description('The app\'s URL; the mobile app\'s API base URL is this with /api.')
output APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output API_BASE_URL string = 'https://${functionApp.outputs.defaultHostName}/api'
output KEY_VAULT_NAME string = keyVault.outputs.keyVaultName
output STORAGE_ACCOUNT_NAME string = storage.outputs.storageAccountName
output ACS_EMAIL_FROM string = communication.outputs.emailFrom
