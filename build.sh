#!/usr/bin/env bash
# The project's commands: ./build.sh run | test | bench | publish | infra
# Each installs what it needs (NuGet packages, the pinned Azurite from tools/package.json) on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

need_tools() {
  command -v dotnet >/dev/null || { echo "The .NET SDK (10.0) is required: https://dot.net" >&2; exit 1; }
  command -v node >/dev/null || { echo "Node.js 20 is required (for Azurite and the interop verifiers)." >&2; exit 1; }
  # npm ci only when the lock file changed since the last install, so repeated runs stay fast.
  if [ ! -f tools/node_modules/.installed ] || [ tools/package-lock.json -nt tools/node_modules/.installed ]; then
    (cd tools && npm ci --no-audit --no-fund --loglevel=error)
    touch tools/node_modules/.installed
  fi
}

run() {
  need_tools
  local data="$ROOT/.azurite"
  mkdir -p "$data"
  echo "Starting Azurite (data kept in .azurite/) ..."
  tools/node_modules/.bin/azurite --silent --skipApiVersionCheck --loose --disableTelemetry \
    --location "$data" --blobPort 10000 --queuePort 10001 --tablePort 10002 &
  local azurite=$!
  trap 'kill $azurite 2>/dev/null || true; wait $azurite 2>/dev/null || true' EXIT INT TERM
  local dev_key
  dev_key=$(node -e 'console.log(require("./src/Webhooks.Functions/appsettings.Development.json").Dev.ApiKey)')
  cat <<INFO

  API:       http://127.0.0.1:7071      (reference: http://127.0.0.1:7071/docs)
  API key:   $dev_key   (team "dev", Development only)
  Try:       curl -s -H "Authorization: Bearer $dev_key" http://127.0.0.1:7071/v1/team

INFO
  ASPNETCORE_ENVIRONMENT=Development dotnet run --project src/Webhooks.Functions -c Release
}

test_all() {
  need_tools
  if [ -f infra/build-infra.sh ]; then
    bash infra/build-infra.sh
  fi
  dotnet build Webhooks.Functions.sln -c Release -warnaserror
  local log
  log=$(mktemp)
  set +e
  dotnet test Webhooks.Functions.sln -c Release --no-build --logger "console;verbosity=normal" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  # One plain closing line for the whole suite, summed over the test assemblies.
  awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
       END { gsub(",", "", p); printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
  rm -f "$log"
  return "$status"
}

bench() {
  need_tools
  dotnet run --project bench/Webhooks.Bench -c Release -- "$@"
}

publish() {
  rm -rf artifacts/publish artifacts/functionapp.zip
  dotnet publish src/Webhooks.Functions -c Release -r linux-x64 --self-contained true -o artifacts/publish/app
  mkdir -p artifacts/publish/package
  cp -r artifacts/publish/app/. artifacts/publish/package/
  cp host.json artifacts/publish/package/
  cp -r functions/. artifacts/publish/package/
  (cd artifacts/publish/package && python3 -c 'import shutil; shutil.make_archive("../../functionapp", "zip", ".")')
  echo "artifacts/functionapp.zip: $(du -h artifacts/functionapp.zip | cut -f1)"
}

infra() {
  bash infra/build-infra.sh
}

case "${1:-}" in
  run) run ;;
  test) test_all ;;
  bench) shift; bench "$@" ;;
  publish) publish ;;
  infra) infra ;;
  *) echo "usage: ./build.sh run | test | bench | publish | infra" >&2; exit 2 ;;
esac
