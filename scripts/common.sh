# Shared by run.sh and test.sh: install what is missing, start and stop Azurite.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '[rebind] %s\n' "$*" >&2; }

require() {
  command -v "$1" >/dev/null 2>&1 || { log "$1 is required but not installed ($2)"; exit 1; }
}

install_tools() {
  require dotnet "install the .NET 10 SDK"
  require node "install Node.js 20"
  require npm "install npm"
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
  if [ ! -x "$ROOT/node_modules/.bin/azurite-table" ] \
     || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    log "installing Azurite (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
  log "restoring .NET packages"
  dotnet restore "$ROOT/Serverless.sln" --verbosity quiet >&2
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

listening() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

AZURITE_PID=""

# start_azurite PORT [extra azurite-table flags...]
start_azurite() {
  local port="$1"; shift
  "$ROOT/node_modules/.bin/azurite-table" --tableHost 127.0.0.1 --tablePort "$port" \
    --disableTelemetry --silent "$@" >"${AZURITE_LOG:-/dev/null}" 2>&1 &
  AZURITE_PID=$!
  for _ in $(seq 1 150); do
    if listening 127.0.0.1 "$port"; then return 0; fi
    if ! kill -0 "$AZURITE_PID" 2>/dev/null; then log "Azurite exited early"; return 1; fi
    sleep 0.2
  done
  log "Azurite did not listen on port $port within 30 s"; return 1
}

stop_azurite() {
  if [ -n "$AZURITE_PID" ] && kill -0 "$AZURITE_PID" 2>/dev/null; then
    kill "$AZURITE_PID" 2>/dev/null || true
    wait "$AZURITE_PID" 2>/dev/null || true
  fi
  AZURITE_PID=""
}
