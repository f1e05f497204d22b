#!/usr/bin/env bash
# Runs the app (its local host) against Azurite (started here unless one already listens on 10000-10002).
# Ctrl-C stops the app and the Azurite this script started.
set -euo pipefail
source "$(dirname "$0")/scripts/common.sh"
cd "$ROOT"

install_tools

# The Functions project's folder, where `func start` also reads it.
settings=src/Rebind.Functions/local.settings.json
if [ ! -f "$settings" ]; then
  cp src/Rebind.Functions/local.settings.sample.json "$settings"
  log "created $settings from local.settings.sample.json"
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
# The local host (no Functions host arguments), run from the project folder so it finds local.settings.json there, as
# `func start` would.
log "starting Rebind's local host (Ctrl-C to stop)"
cd src/Rebind.Functions
dotnet bin/Debug/net10.0/Rebind.Functions.dll "$@"
