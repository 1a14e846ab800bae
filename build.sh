#!/usr/bin/env bash
# The project's commands: ./build.sh run | test | test-repeat N | bench | publish | infra
# Each installs what it needs (NuGet packages, the pinned Azurite from tools/package.json; for test, Debian's chromium)
# on a fresh machine.
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
  # Kiota (dotnet-tools.json), which the tests run to generate a client from the OpenAPI document.
  dotnet tool restore >/dev/null
}

run() {
  need_tools
  local data="$ROOT/.azurite"
  mkdir -p "$data"
  echo "Starting Azurite (data kept in .azurite/) ..."
  tools/node_modules/.bin/azurite --silent --skipApiVersionCheck --loose --disableTelemetry \
    --location "$data" --blobPort 10000 --queuePort 10001 --tablePort 10002 &
  AZURITE_PID=$!
  trap 'kill "$AZURITE_PID" 2>/dev/null || true; wait "$AZURITE_PID" 2>/dev/null || true' EXIT INT TERM
  local dev_key
  dev_key=$(node -e 'console.log(require("./src/Webhooks.Functions/appsettings.Development.json").Dev.ApiKey)')
  cat <<INFO

  API:       http://127.0.0.1:7071      (reference: http://127.0.0.1:7071/docs)
  API key:   $dev_key   (team "dev", Development only)
  Try:       curl -s -H "Authorization: Bearer $dev_key" http://127.0.0.1:7071/v1/team
  Admin key: ${Admin__ApiKey:-admin_dev_local_only}   (POST /v1/admin/teams)

INFO
  # /v1/admin exists only when Admin:ApiKey is set (SPEC §2); the local run sets a local-only one, unless you set your own.
  # Built and started directly, not with `dotnet run`: the Functions worker SDK makes `dotnet run` start the Functions
  # host (Core Tools' `func start`), which then starts this same program as its worker. Started directly, with no
  # host to connect to, the program is the standalone app (Hosting/AppHost.cs).
  dotnet build src/Webhooks.Functions -c Release -warnaserror -warnnotaserror:NU1603
  (cd src/Webhooks.Functions && Admin__ApiKey="${Admin__ApiKey:-admin_dev_local_only}" ASPNETCORE_ENVIRONMENT=Development \
    exec dotnet bin/Release/net10.0/Webhooks.Functions.dll)
}

# The portal's browser tests drive Debian's Chromium (Playwright's own browser download needs the internet): installed
# with apt-get when missing, as root or through sudo. WEBHOOKS_CHROMIUM names another Chromium and skips the install.
need_chromium() {
  local chromium="${WEBHOOKS_CHROMIUM:-/usr/bin/chromium}"
  [ -x "$chromium" ] && return
  if [ -n "${WEBHOOKS_CHROMIUM:-}" ]; then
    echo "WEBHOOKS_CHROMIUM=$chromium is not an executable." >&2; exit 1
  fi
  local as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "The browser tests need Chromium: run 'apt-get install chromium' as root." >&2; exit 1; }
    as_root=(sudo)
  fi
  echo "Installing Chromium for the portal's browser tests ..."
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq chromium >/dev/null
}

# PyNaCl: one of the two independent Ed25519 verifiers the v1a tests check deliveries with (Node's crypto is the other).
need_pynacl() {
  # Debian's python3-nacl installs for Debian's interpreter, which the tests run by its path.
  /usr/bin/python3 -c 'import nacl.signing' 2>/dev/null && return
  local as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "The v1a signature tests need PyNaCl: run 'apt-get install python3-nacl' as root." >&2; exit 1; }
    as_root=(sudo)
  fi
  echo "Installing PyNaCl for the v1a signature tests ..."
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq python3-nacl >/dev/null
}

test_all() {
  need_tools
  need_chromium
  need_pynacl
  if [ -f infra/build-infra.sh ]; then
    bash infra/build-infra.sh
  fi
  # NU1603 (the feed lacks an exact dependency version, the next one is taken) stays a warning: a solution-wide restore
  # reports it in the solution's context, where no project's WarningsNotAsErrors applies.
  dotnet build Webhooks.Functions.sln -c Release -warnaserror -warnnotaserror:NU1603
  local log
  log=$(mktemp)
  set +e
  dotnet test Webhooks.Functions.sln -c Release --no-build --logger "console;verbosity=normal" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  # Failures again at the end, where a CI log's tail shows them, however much the tests logged after them.
  awk '/^  Failed [^ ]/ { show = 1; stack = 0; print "" }
       show && /^  Stack Trace:/ { stack = 1 }
       show { print; if (stack && ++lines > 8) { show = 0; lines = 0 } }' "$log" | sed '1s/^$/failed tests:/'
  # One plain closing line for the whole suite, summed over the test assemblies.
  awk '/^ +Passed: [0-9]+$/ { p += $2 } /^ +Failed: [0-9]+$/ { f += $2 } /^ +Skipped: [0-9]+$/ { s += $2 }
       END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
  rm -f "$log"
  return "$status"
}

# The whole suite N times, each run in a fresh clone of the current commit (uncommitted changes are not part of it):
# each run's exit status, wall time, closing "tests:" line and failing tests, then one summary line. Every clone
# restores from the machine's NuGet packages folder and npm cache, so a run downloads nothing an earlier one did.
test_repeat() {
  local runs="${1:-}"
  [[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "usage: ./build.sh test-repeat N   (N >= 1)" >&2; exit 2; }
  local commit
  commit=$(git rev-parse HEAD)
  if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
    echo "test-repeat: uncommitted changes are not tested; every run is a clone of $(git rev-parse --short HEAD)" >&2
  fi
  local work
  work=$(mktemp -d "${TMPDIR:-/tmp}/webhooks-test-repeat-XXXXXX")
  local failures="$work/failing-tests" passed=0 run
  : > "$failures"
  for ((run = 1; run <= runs; run++)); do
    local clone="$work/clone-$run" log="$work/run-$run.log" status=0 started=$SECONDS
    git clone --quiet --no-checkout "$ROOT" "$clone"
    # HEAD may be a commit no branch holds; fetching it makes sure the clone has it.
    git -C "$clone" fetch --quiet "$ROOT" HEAD
    git -C "$clone" checkout --quiet --detach "$commit"
    (cd "$clone" && npm_config_prefer_offline=true ./build.sh test) > "$log" 2>&1 || status=$?
    local took=$((SECONDS - started)) line
    line=$(grep -E '^tests: [0-9]+ passed' "$log" | tail -n 1 || true)
    printf 'run %d/%d: exit %d, %dm%02ds, %s\n' "$run" "$runs" "$status" $((took / 60)) $((took % 60)) "${line:-no tests line (see $log)}"
    # "  Failed <name> [<duration>]": listed as they fail and again at the end of the output.
    sed -nE 's/^  Failed ([^ ].*) \[[^]]*\]$/\1/p' "$log" | sort -u | tee -a "$failures" | sed 's/^/  failed: /'
    # A test process that is killed or crashes names no failed test, and its tests are missing from the "tests:" sum.
    local assemblies finished
    assemblies=$(grep -c '^Test run for ' "$log" || true)
    finished=$(grep -c '^Total tests: ' "$log" || true)
    if [ "$finished" -lt "$assemblies" ]; then
      echo "  aborted: $((assemblies - finished)) of $assemblies test assemblies reported no result (killed or crashed; see $log)"
    fi
    if [ "$status" -eq 0 ]; then
      passed=$((passed + 1))
    fi
    rm -rf "$clone"
  done
  local flaky
  flaky=$(sort "$failures" | uniq -c | sort -rn | sed -E "s/^ *([0-9]+) (.*)$/\\2 (in \\1 of $runs runs)/" | awk 'NR > 1 { printf ", " } { printf "%s", $0 }')
  echo "test-repeat: $runs runs of $(git rev-parse --short "$commit"): $passed passed, $((runs - passed)) failed${flaky:+; failing tests: $flaky}; logs in $work"
  [ "$passed" -eq "$runs" ]
}

bench() {
  need_tools
  dotnet run --project bench/Webhooks.Bench -c Release -- "$@"
}

publish() {
  # The zip Flex Consumption's one-deploy takes (az functionapp deploy, azd deploy): the `dotnet publish` output of the
  # app at the zip root, framework-dependent (Flex provides the .NET runtime of functionAppConfig.runtime), with the
  # Worker SDK's functions.metadata, worker.config.json, extensions.json and .azurefunctions/ (the host-side binding
  # extensions) next to host.json. WEBHOOKS_PUBLISH_OUT names another zip, WEBHOOKS_PUBLISH_NO_BUILD=1 publishes what
  # the last build of WEBHOOKS_PUBLISH_CONFIGURATION (default Release) left, as the package test does after the test
  # build; WEBHOOKS_PUBLISH_ZIPPER=zip|python3 picks the archiver (default: zip when installed, else python3).
  local out="${WEBHOOKS_PUBLISH_OUT:-$ROOT/artifacts/functionapp.zip}"
  local configuration="${WEBHOOKS_PUBLISH_CONFIGURATION:-Release}"
  local zipper="${WEBHOOKS_PUBLISH_ZIPPER:-}"
  if [ -z "$zipper" ]; then
    if command -v zip >/dev/null; then zipper=zip; else zipper=python3; fi
  fi
  command -v "$zipper" >/dev/null || { echo "publish: neither zip nor python3 is installed" >&2; exit 1; }
  local app
  app=$(mktemp -d)
  local build_args=(-warnaserror -warnnotaserror:NU1603)
  if [ "${WEBHOOKS_PUBLISH_NO_BUILD:-}" = 1 ]; then build_args=(--no-build); fi
  dotnet publish src/Webhooks.Functions -c "$configuration" -o "$app" "${build_args[@]}" >&2
  # Development settings carry local-only keys; Azure never runs in Development, so they stay out of the package.
  rm -f "$app/appsettings.Development.json"
  local required
  for required in Webhooks.Functions.dll host.json functions.metadata worker.config.json extensions.json \
      .azurefunctions/Microsoft.Azure.WebJobs.Extensions.FunctionMetadataLoader.dll; do
    [ -f "$app/$required" ] || { echo "publish: $required is missing from the package" >&2; rm -rf "$app"; exit 1; }
  done
  # Fixed modes (755 if executable, else 644) whatever the local umask was.
  find "$app" -type f -perm -u+x -exec chmod 755 {} +
  find "$app" -type f ! -perm -u+x -exec chmod 644 {} +
  mkdir -p "$(dirname "$out")"
  rm -f "$out"
  out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
  if [ "$zipper" = zip ]; then
    (cd "$app" && zip -q -r -X -D "$out" .)
  else
    python3 - "$app" "$out" <<'PY'
import os, stat, sys, zipfile
root, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            entry = zipfile.ZipInfo.from_file(path, os.path.relpath(path, root))
            entry.create_system = 3  # Unix, so that unzip and the Functions host honour the mode bits below
            mode = 0o755 if os.stat(path).st_mode & stat.S_IXUSR else 0o644
            entry.external_attr = (stat.S_IFREG | mode) << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as source:
                archive.writestr(entry, source.read())
PY
  fi
  rm -rf "$app"
  echo "$out: $(du -h "$out" | cut -f1)"
}

infra() {
  bash infra/build-infra.sh
}

case "${1:-}" in
  run) run ;;
  test) test_all ;;
  test-repeat) shift; test_repeat "$@" ;;
  bench) shift; bench "$@" ;;
  publish) publish ;;
  infra) infra ;;
  *) echo "usage: ./build.sh run | test | test-repeat N | bench | publish | infra" >&2; exit 2 ;;
esac
