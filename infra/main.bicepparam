// Parameters for az deployment group create and azd up, read from the environment so that no value (and no secret)
// is kept in the repository. docs/deploy.md lists them.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'prod')
param reportUrlFormat = readEnvironmentVariable('REBIND_REPORT_URL_FORMAT')
param smsFrom = readEnvironmentVariable('REBIND_SMS_FROM', '')
param codeKeyId = readEnvironmentVariable('REBIND_CODE_KEY_ID', 'k1')
param codeKey = readEnvironmentVariable('REBIND_CODE_KEY', '')
param retiredCodeKeyIds = empty(readEnvironmentVariable('REBIND_RETIRED_CODE_KEY_IDS', ''))
  ? []
  : split(readEnvironmentVariable('REBIND_RETIRED_CODE_KEY_IDS', ''), ',')
param attestationDevToken = readEnvironmentVariable('REBIND_ATTESTATION_TOKEN', '')
