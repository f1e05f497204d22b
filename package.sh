#!/usr/bin/env bash
# Builds the deployable Functions app folder: artifacts/functionapp/{host.json,Api,Cleanup,app/}.
set -euo pipefail
cd "$(dirname "$0")"
out=artifacts/functionapp
rm -rf "$out" && mkdir -p "$out"
dotnet publish src/Rebind.Functions -c Release -o "$out/app" --nologo
cp host.json "$out/"
cp -r Api Cleanup "$out/"
echo "$out"
