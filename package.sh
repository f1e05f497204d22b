#!/usr/bin/env bash
# Builds the deployable Functions app: artifacts/functionapp/ (the isolated worker with host.json, functions.metadata,
# extensions.json and worker.config.json), zipped as artifacts/functionapp.zip for zip deployment.
set -euo pipefail
cd "$(dirname "$0")"
out=artifacts/functionapp
rm -rf "$out" artifacts/functionapp.zip && mkdir -p "$out"
dotnet publish src/Rebind.Functions -c Release -o "$out" --nologo
for f in host.json functions.metadata extensions.json worker.config.json; do
  [ -f "$out/$f" ] || { echo "package.sh: $out/$f is missing" >&2; exit 1; }
done
(cd "$out" && python3 -c "import shutil; shutil.make_archive('../functionapp', 'zip', '.')")
echo "$out"
