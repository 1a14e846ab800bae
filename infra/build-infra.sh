#!/usr/bin/env bash
# Builds and lints infra/ with the pinned Bicep CLI (NuGet package Azure.Bicep.CommandLine.linux-x64).
# Output: artifacts/infra/main.json. Fails on any error or warning.
# Called by the root build.sh as `./build.sh infra`; runs on its own from any directory.
set -euo pipefail

BICEP_VERSION="0.49.2"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INFRA_DIR="$REPO_ROOT/infra"
OUT_DIR="$REPO_ROOT/artifacts/infra"
NUGET_ROOT="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
BICEP="$NUGET_ROOT/azure.bicep.commandline.linux-x64/$BICEP_VERSION/tools/bicep"

if [[ ! -f "$BICEP" ]]; then
  echo "infra: restoring Bicep CLI $BICEP_VERSION from NuGet"
  dotnet restore "$INFRA_DIR/tools/BicepCli.csproj" --verbosity quiet
fi
# NuGet extraction does not keep the executable bit on every platform.
[[ -x "$BICEP" ]] || chmod +x "$BICEP"

# The CLI checks for newer versions online unless told not to; the build machines have no internet.
export BICEP_TRACING_ENABLED=false
mkdir -p "$OUT_DIR"

warnings=0
# Runs one Bicep command; its diagnostics go to stderr. Any "Warning" or "Error" line fails the build, because
# the CLI exits 0 on warnings.
run_bicep() {
  local log
  log="$(mktemp)"
  if ! "$BICEP" "$@" 2> >(tee "$log" >&2); then
    rm -f "$log"
    echo "infra: bicep $1 failed" >&2
    exit 1
  fi
  local count
  count="$(grep -cE ' : (Warning|Error) ' "$log" || true)"
  rm -f "$log"
  warnings=$((warnings + count))
}

cd "$INFRA_DIR"
run_bicep build main.bicep --outfile "$OUT_DIR/main.json"
for file in main.bicep modules/*.bicep; do
  run_bicep lint "$file"
done

# main.bicepparam reads the two secrets from the deployer's environment. Building and linting it here only proves
# that it compiles against main.bicep, so it gets placeholders of the right shape and its output is thrown away.
params_out="$(mktemp -d)"
export WEBHOOKS_ADMIN_API_KEY WEBHOOKS_SECRET_ENCRYPTION_KEY
WEBHOOKS_ADMIN_API_KEY="$(printf '0%.0s' {1..64})"
WEBHOOKS_SECRET_ENCRYPTION_KEY="$(printf 'A%.0s' {1..43})="
run_bicep build-params main.bicepparam --outfile "$params_out/main.parameters.json"
run_bicep lint main.bicepparam
rm -rf "$params_out"

if (( warnings > 0 )); then
  echo "infra: $warnings Bicep warning(s)/error(s); fix them (see above)" >&2
  exit 1
fi
echo "infra: built $OUT_DIR/main.json with Bicep $BICEP_VERSION, 0 warnings"
