#!/usr/bin/env bash
# Runs the app standalone against Azurite (started here unless one already listens on 10000-10002).
# Ctrl-C stops the app and the Azurite this script started.
set -euo pipefail
source "$(dirname "$0")/scripts/common.sh"
cd "$ROOT"

install_tools

if [ ! -f local.settings.json ]; then
  cp local.settings.sample.json local.settings.json
  log "created local.settings.json from local.settings.sample.json"
fi

if listening 127.0.0.1 10000 && listening 127.0.0.1 10001 && listening 127.0.0.1 10002; then
  log "Azurite (or something) already listens on 127.0.0.1:10000-10002; using it"
elif listening 127.0.0.1 10000 || listening 127.0.0.1 10001 || listening 127.0.0.1 10002; then
  log "some of 127.0.0.1:10000-10002 are taken (an Azurite with tables only?): stop it; the app needs blob, queue and table"
  exit 1
else
  mkdir -p .azurite
  log "starting Azurite (blob, queue, table) on 127.0.0.1:10000-10002, data in .azurite/"
  AZURITE_LOG=.azurite/azurite.log start_azurite 10000 10001 10002 --location .azurite
fi
trap stop_azurite EXIT INT TERM

# The app reads local.settings.json only in Development (func start sets this from the file's Values).
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"

log "building"
dotnet build src/Rebind.Functions --no-restore --nologo --verbosity quiet >&2
# Run from the repository root so the app finds local.settings.json here, as `func start` would.
log "starting Rebind (Ctrl-C to stop)"
dotnet src/Rebind.Functions/bin/Debug/net10.0/Rebind.Functions.dll "$@"
