// Key Vault (RBAC mode) with the secrets the app reads through Key Vault references: the code HMAC keys and the
// development attestation token. A secret is written only when its value is given, so a later deployment without
// it leaves the vault's value alone (rotation: docs/deploy.md).

param location string
param tags object
param keyVaultName string
param codeKeyId string
@secure()
param codeKey string
@secure()
param attestationDevToken string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    publicNetworkAccess: 'Enabled'
  }
}

resource codeKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(codeKey)) {
  parent: vault
  name: 'code-key-${codeKeyId}'
  properties: {
    value: codeKey
    contentType: 'base64 HMAC-SHA256 key for Codes__Keys__${codeKeyId}'
  }
}

resource attestationSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(attestationDevToken)) {
  parent: vault
  name: 'attestation-dev-token'
  properties: {
    value: attestationDevToken
  }
}

output keyVaultName string = vault.name
output vaultUri string = vault.properties.vaultUri
