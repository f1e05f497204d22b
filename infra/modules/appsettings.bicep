// The Function App's settings: the Functions host's identity-based storage connection and Application Insights, and
// the settings the app itself reads (README, Configuration). Secrets are Key Vault references the platform resolves
// with the app's identity; no secret value passes through here. This resource replaces the whole set on each
// deployment, so a setting removed here is removed from the app.

param functionAppName string
param appInsightsName string
param storageAccountName string
param tableEndpoint string
param vaultUri string
param acsEndpoint string
param emailFrom string
param smsFrom string
param codeKeyId string
param retiredCodeKeyIds string[]
param reportUrlFormat string
param allowInsecureAttestation bool

func keyVaultReference(vaultUri string, secretName string) string =>
  '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secretName})'

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// Read by the Functions host, not by the app (InfraTests keeps this list to host settings).
var hostSettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
}

var appSettings = {
  Storage__TableEndpoint: tableEndpoint
  Codes__CurrentKeyId: codeKeyId
  Acs__Endpoint: acsEndpoint
  Acs__EmailFrom: emailFrom
  Acs__SmsFrom: smsFrom
  Recovery__ReportUrlFormat: reportUrlFormat
}

// The current key and the retired ones still accepted (a code lives 10 minutes: keep a retired id 15 minutes).
var codeKeySettings = toObject(
  union([codeKeyId], retiredCodeKeyIds),
  id => 'Codes__Keys__${id}',
  id => keyVaultReference(vaultUri, 'code-key-${id}')
)

// No real client attestation ships yet: the development token, allowed on purpose, until one is registered in code.
var attestationSettings = allowInsecureAttestation
  ? {
      Attestation__AllowInsecure: 'true'
      Attestation__DevToken: keyVaultReference(vaultUri, 'attestation-dev-token')
    }
  : {}

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(hostSettings, appSettings, codeKeySettings, attestationSettings)
}
