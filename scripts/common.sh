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
  if [ ! -x "$ROOT/node_modules/.bin/azurite" ] \
     || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    log "installing Azurite (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
  install_chromium
  log "restoring .NET packages"
  dotnet restore "$ROOT/Serverless.sln" --verbosity quiet >&2
}

# The support console's browser tests drive Debian's chromium through Microsoft.Playwright (Playwright cannot download
# its own browsers here). Installed with apt when missing; without root (no sudo here) say so: those tests then fail
# with the reason, the others run.
install_chromium() {
  if [ -x /usr/bin/chromium ]; then
    return
  fi
  if [ "$(id -u)" != "0" ]; then
    log "chromium is missing and this is not root: install it (apt-get install -y chromium) for the support console's browser tests"
    return
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    log "chromium is missing and there is no apt-get: install chromium at /usr/bin/chromium for the browser tests"
    return
  fi
  log "installing chromium (apt-get)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >&2 2>/dev/null; then
    apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >&2
  fi
}

# free_ports N: N distinct free ports on one line (all held open until each is known, so none repeats).
free_ports() {
  node -e 'const net=require("net");const n=+process.argv[1];const ss=[];
    const next=()=>{if(ss.length===n){console.log(ss.map(s=>s.address().port).join(" "));ss.forEach(s=>s.close());return}
      const s=net.createServer();ss.push(s);s.listen(0,"127.0.0.1",next)};next()' "$1"
}

listening() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

AZURITE_PIDS=()

# start_azurite BLOB_PORT QUEUE_PORT TABLE_PORT [extra azurite flags...]
# All three services: Durable Task's Azure Storage backend needs blobs and queues besides tables.
# --skipApiVersionCheck: the storage SDKs the backend brings send service versions newer than Azurite knows.
# Each service runs in its own Node process, as the three are separate services in Azure. In one process, Azurite's
# queue garbage collection (every 60 s it deletes the extents of consumed messages one by one, re-sorting an index
# each time) held the event loop for ~3 s once the task hub's queues had carried a few thousand messages: the app's
# table calls meanwhile ran past their 2 s budget and answered 503 (CPU profile in docs/durable.md, "Azurite"). The
# queue service itself still stopped answering for 3-10 s once a minute under load, so it runs that sweep every second
# (scripts/azurite-queue.js).
start_azurite() {
  local blob="$1" queue="$2" table="$3"; shift 3
  local service port
  for service in blob queue table; do
    case "$service" in blob) port="$blob" ;; queue) port="$queue" ;; table) port="$table" ;; esac
    # The queue service through scripts/azurite-queue.js: its garbage collection every second, not every minute.
    local bin="$ROOT/node_modules/.bin/azurite-$service"
    [ "$service" = queue ] && bin="$ROOT/scripts/azurite-queue.js"
    node "$bin" \
      "--${service}Host" 127.0.0.1 "--${service}Port" "$port" \
      --disableTelemetry --skipApiVersionCheck --silent "$@" >"${AZURITE_LOG:-/dev/null}${AZURITE_LOG:+.$service}" 2>&1 &
    AZURITE_PIDS+=("$!")
    for _ in $(seq 1 150); do
      if listening 127.0.0.1 "$port"; then continue 2; fi
      if ! kill -0 "$!" 2>/dev/null; then log "Azurite's $service service exited early"; return 1; fi
      sleep 0.2
    done
    log "Azurite's $service service did not listen on port $port within 30 s"; return 1
  done
}

# azurite_connection_string BLOB_PORT QUEUE_PORT TABLE_PORT: the development account on those ports.
azurite_connection_string() {
  local account=devstoreaccount1
  printf 'DefaultEndpointsProtocol=http;AccountName=%s;AccountKey=%s;BlobEndpoint=http://127.0.0.1:%s/%s;QueueEndpoint=http://127.0.0.1:%s/%s;TableEndpoint=http://127.0.0.1:%s/%s' \
    "$account" 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==' \
    "$1" "$account" "$2" "$account" "$3" "$account"
}

stop_azurite() {
  local pid
  for pid in "${AZURITE_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${AZURITE_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  AZURITE_PIDS=()
}
