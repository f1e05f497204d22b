#!/usr/bin/env bash
# Runs every test in the solution against its own in-memory Azurite on a free port.
# Ends with "N passed, N failed[, N skipped]" from the test results; exits non-zero if any failed.
set -euo pipefail
source "$(dirname "$0")/scripts/common.sh"
cd "$ROOT"

install_tools

read -r blob_port queue_port table_port < <(free_ports 3)
log "starting Azurite (blob $blob_port, queue $queue_port, table $table_port on 127.0.0.1), in memory"
trap stop_azurite EXIT
start_azurite "$blob_port" "$queue_port" "$table_port" --inMemoryPersistence
REBIND_TEST_STORAGE="$(azurite_connection_string "$blob_port" "$queue_port" "$table_port")"
export REBIND_TEST_STORAGE

results="$ROOT/TestResults/$(date +%Y%m%d-%H%M%S)"
status=0
dotnet test Serverless.sln --no-restore --logger "trx" --logger "console;verbosity=minimal" \
  --results-directory "$results" "$@" || status=$?

passed=0; failed=0; skipped=0
shopt -s nullglob
trx_files=("$results"/*.trx)
for trx in "${trx_files[@]}"; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
if [ ${#trx_files[@]} -eq 0 ]; then
  log "no test results were written (build failure?)"
  [ "$status" -eq 0 ] && status=1
fi

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
if [ "$failed" -gt 0 ] || [ "$status" -ne 0 ]; then exit 1; fi
