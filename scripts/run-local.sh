#!/usr/bin/env bash
# Runs HyperFunctions on this machine: Azurite (storage), the Hyperliquid simulator and the function app
# in self-host mode. Prints the status URL, the session's API keys and curl examples, then runs until
# Ctrl+C (or SIGTERM), when it stops everything it started. Details: docs/local-run.md.
#
# Environment (all optional):
#   HF_PORT            port of the function app on 127.0.0.1 (default 7071)
#   Api__AdminKey      admin key to use (default: a random key for this session)
#   Api__FunctionKey   function key to use (default: a random key for this session)
#   HF_SETTINGS_FILE   settings file (default: hyperfunctions.json at the repository root)
#   HF_RUN_SIMULATOR   0 to leave the simulator out (default 1)
#   HF_SITE            the failover site this process runs (Failover:Site; default primary; docs/failover.md)
#   HF_SIM_PORT        port of the simulator (default 5050); HF_SIM_SEED its seed (default 42)
#   HF_COPY_TARGET_SECONDS  the simulator's copy-target bot trades every this many seconds and the app copies
#                      it (docs/copy-trading.md); 0 turns copy trading off (default 5)
# shellcheck disable=SC2317  # stop_process, cleanup and on_signal run from traps
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
# shellcheck source=scripts/lib/npm-deps.sh
source "$repo_root/scripts/lib/npm-deps.sh"
# shellcheck source=scripts/lib/net.sh
source "$repo_root/scripts/lib/net.sh"

export DOTNET_NOLOGO=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1

app_port="${HF_PORT:-7071}"
run_simulator="${HF_RUN_SIMULATOR:-1}"
sim_port="${HF_SIM_PORT:-5050}"
sim_seed="${HF_SIM_SEED:-42}"
copy_seconds="${HF_COPY_TARGET_SECONDS:-5}"
[[ "$copy_seconds" =~ ^[0-9]+$ ]] || fail "HF_COPY_TARGET_SECONDS must be a whole number of seconds (0 = off)."
copy_target="0x70997970c51812dc3a010c7d01b50e0d17dc79c8" # Hardhat/Anvil account #1: the simulator's copy-target bot
out_dir="$repo_root/artifacts/run-local"
base_url="http://127.0.0.1:${app_port}"

# Never let a closed terminal or pipe (SIGPIPE, EPIPE) stop the script half-way through its cleanup.
say() { printf '[run-local] %s\n' "$*" 2>/dev/null || true; }
fail() { printf '[run-local] error: %s\n' "$*" >&2; exit 1; }

command -v dotnet >/dev/null 2>&1 || fail "the .NET 10 SDK (dotnet) is required."
command -v curl >/dev/null 2>&1 || fail "curl is required (apt-get install curl)."
port_open "$app_port" && fail "port $app_port is already in use (another run-local?). Stop it or set HF_PORT."

# --- processes this script started; stopped in reverse order on exit ---------------------------------
azurite_pid=""
sim_pid=""
app_pid=""

# stop_process <pid> <name> <grace seconds> [<log file> <text> <count>]
# SIGTERM, then wait for the process to exit (or for <count> log lines containing <text>: done, safe to
# kill), then SIGKILL whatever is left.
stop_process() {
  local pid=$1 name=$2 grace=$3 log=${4:-} done_text=${5:-} done_count=${6:-1}
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  logged_done() {
    [[ -n "$done_text" ]] || return 1
    local n
    n=$(grep -cF "$done_text" "$log" 2>/dev/null) || true
    ((${n:-0} >= done_count))
  }
  say "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    if logged_done; then break; fi
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    if logged_done; then
      kill -KILL "$pid" 2>/dev/null || true # shut down cleanly, only idle connections keep it alive
    else
      say "$name did not stop in time; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  trap - INT TERM EXIT
  trap '' PIPE HUP
  set +e
  # The app first, so that its connections to Azurite close; Azurite gets time to flush its data.
  stop_process "$app_pid" "function app" 20
  stop_process "$sim_pid" "simulator" 5
  # Azurite writes its data as its services close; after all three have, only idle connections keep it up.
  stop_process "$azurite_pid" "Azurite" 20 "$out_dir/azurite.log" "service successfully closed" 3
}
on_signal() {
  echo 2>/dev/null
  cleanup
  say "stopped."
  exit 0
}
trap on_signal INT TERM HUP PIPE
trap cleanup EXIT

# --- keys for this session ----------------------------------------------------------------------------
random_key() {
  if command -v openssl >/dev/null 2>&1; then
    openssl rand -hex 24
  else
    head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'
  fi
}
admin_key="${Api__AdminKey:-$(random_key)}"
function_key="${Api__FunctionKey:-$(random_key)}"

# --- build ---------------------------------------------------------------------------------------------
ensure_npm_deps
mkdir -p "$out_dir"
say "building the function app..."
dotnet build functions/HyperFunctions.Functions/HyperFunctions.Functions.csproj -c Debug -o "$out_dir/functions" -v quiet -nologo \
  || fail "the function app did not build (see above)."
say "building the hf CLI..."
dotnet build functions/HyperFunctions.Cli/HyperFunctions.Cli.csproj -c Debug -o "$out_dir/cli" -v quiet -nologo \
  || fail "the hf CLI did not build (see above)."
if [[ "$run_simulator" == 1 ]]; then
  say "building the Hyperliquid simulator..."
  dotnet build tests/HyperFunctions.Simulator/HyperFunctions.Simulator.csproj -c Debug -o "$out_dir/simulator" -v quiet -nologo \
    || fail "the simulator did not build (see above); HF_RUN_SIMULATOR=0 runs without it."
fi

# --- Azurite on its standard ports, data in .azurite/ --------------------------------------------------
azurite_note=""
if port_open 10000 && port_open 10001 && port_open 10002; then
  azurite_note="already running on 10000-10002: reused, and left running on exit"
  say "Azurite is $azurite_note."
elif port_open 10000 || port_open 10001 || port_open 10002; then
  fail "some of Azurite's ports 10000-10002 are in use but not all; free them or stop what holds them."
else
  mkdir -p .azurite
  ./scripts/azurite.sh >"$out_dir/azurite.log" 2>&1 &
  azurite_pid=$!
  wait_for_ports "$azurite_pid" 60 10000 10001 10002 \
    || { cat "$out_dir/azurite.log" >&2; fail "Azurite did not start (log above)."; }
  azurite_note="pid $azurite_pid, data in .azurite/, log artifacts/run-local/azurite.log"
  say "Azurite started ($azurite_note)."
fi

# --- simulator -----------------------------------------------------------------------------------------
sim_note="not started (HF_RUN_SIMULATOR=0)"
if [[ "$run_simulator" == 1 ]]; then
  port_open "$sim_port" && fail "port $sim_port for the simulator is in use; set HF_SIM_PORT or HF_RUN_SIMULATOR=0."
  sim_args=(--port "$sim_port" --seed "$sim_seed")
  ((copy_seconds > 0)) && sim_args+=(--copy-target "$copy_seconds")
  dotnet "$out_dir/simulator/HyperFunctions.Simulator.dll" "${sim_args[@]}" >"$out_dir/simulator.log" 2>&1 &
  sim_pid=$!
  wait_for_ports "$sim_pid" 60 "$sim_port" \
    || { cat "$out_dir/simulator.log" >&2; fail "the simulator did not start (log above)."; }
  sim_note="http://127.0.0.1:${sim_port} (POST /info, /exchange; WebSocket ws://127.0.0.1:${sim_port}/ws; seed ${sim_seed}; log artifacts/run-local/simulator.log)"
  say "simulator started: $sim_note"
fi

# --- function app, self-host mode ----------------------------------------------------------------------
say "starting the function app (self-host) at $base_url ..."
(
  unset FUNCTIONS_CUSTOMHANDLER_PORT
  export ASPNETCORE_URLS="$base_url"
  export HF_SETTINGS_FILE="${HF_SETTINGS_FILE:-$repo_root/hyperfunctions.json}"
  export Storage__ConnectionString="UseDevelopmentStorage=true"
  export Api__AdminKey="$admin_key"
  export Api__FunctionKey="$function_key"
  export Failover__Site="${HF_SITE:-primary}"
  if [[ "$run_simulator" == 1 ]]; then
    # The in-process stream keeper (Hosting:RunKeeper) follows the simulator this script started.
    export Hyperliquid__RestUrl="http://127.0.0.1:${sim_port}"
    export Hyperliquid__WsUrl="ws://127.0.0.1:${sim_port}/ws"
    # The shipped settings route every alert level to the webhook channel "local": the simulator's inbox.
    export Alerts__Channels__0__Url="http://127.0.0.1:${sim_port}/_sim/alerts"
    # Execution signs orders for the simulator's development account (Hardhat/Anvil account #0, a public
    # test key: tests/HyperFunctions.Simulator/SimulatorAccount.cs), so POST /api/orders works out of the box.
    export Hyperliquid__PrivateKey="0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
    export Hyperliquid__AccountAddress="0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"
  fi
  if ((copy_seconds > 0)); then
    # Copy trading (docs/copy-trading.md): the keeper also follows the simulator's copy-target bot, whose
    # fills become half-size market orders of the development account once the instance is ARMED_LIVE.
    # Set with or without the simulator, so a second failover site (HF_RUN_SIMULATOR=0, docs/local-run.md)
    # runs the same configuration as the first and its start is no configuration change.
    export Keeper__Accounts__1="$copy_target"
    export CopyTrading__Enabled=true
    export CopyTrading__TargetAccount="$copy_target"
  fi
  exec dotnet "$out_dir/functions/HyperFunctions.Functions.dll"
) &
app_pid=$!

deadline=$((SECONDS + 90))
until curl -fsS -o /dev/null "$base_url/api/health" 2>/dev/null; do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    status=0
    wait "$app_pid" || status=$?
    app_pid=""
    fail "the function app exited with code $status before answering (exit code 2 = invalid configuration; message above)."
  fi
  ((SECONDS < deadline)) || fail "the function app did not answer $base_url/api/health within 90 s."
  sleep 0.3
done

# A ready Prometheus scrape config for this session: the documented one with this session's key and port.
sed_key="$(printf '%s' "$function_key" | sed -e 's/[\/&|]/\\&/g')"
sed -e "s|\"FUNCTION_KEY\"|\"$sed_key\"|" -e "s|\"127.0.0.1:7071\"|\"127.0.0.1:$app_port\"|" \
  infra/prometheus/prometheus.yml >"$out_dir/prometheus.yml"

cat <<EOF

================================================================================
 HyperFunctions is running (self-host mode). Ctrl+C stops everything started here.

   Status URL     $base_url/api/status
   Health         $base_url/api/health   (anonymous)
   Admin key      $admin_key   (changes safety state)
   Function key   $function_key   (reads)
   Storage        Azurite, $azurite_note
   Simulator      $sim_note

 Try (paste into another terminal):

   curl -s -H 'x-functions-key: $function_key' $base_url/api/status

   curl -s -X POST -H 'x-functions-key: $admin_key' -H 'content-type: application/json' \\
        -d '{"reason":"local test: checks green"}' $base_url/api/safety/promote

   curl -s -H 'x-functions-key: $function_key' '$base_url/api/safety/history?limit=10'

   curl -s -X POST -H 'x-functions-key: $admin_key' -H 'content-type: application/json' \\
        -d '{"message":"local test: halt"}' $base_url/api/safety/halt

   # The hf CLI (docs/cli.md): status, and the kill switch (HALT KILL_SWITCH, cancel every open order of
   # the development account at the simulator, arm scheduleCancel); exit 4 = HALT but not every order cancelled:
   export HF_API_URL=$base_url HF_FUNCTION_KEY='$function_key' HF_ADMIN_KEY='$admin_key'
   $out_dir/cli/hf status
   $out_dir/cli/hf halt --reason 'local test: kill switch' --cancel-all

   # Alerts (docs/alerts.md): the halt above opens ledger:halt at level 4, delivered to the simulator's inbox:
   curl -s -H 'x-functions-key: $function_key' $base_url/api/alerts
   curl -s http://127.0.0.1:${sim_port}/_sim/alerts

   # Copy trading (docs/copy-trading.md; HF_COPY_TARGET_SECONDS=0 turns it off): the simulator's bot
   # $copy_target trades 0.002 BTC every ${copy_seconds} s; after the promote above each of its fills
   # becomes a 0.001 BTC market order of the dev account (before it: recorded and BLOCKED by ARMED_SAFE):
   curl -s -H 'x-functions-key: $function_key' $base_url/api/status | grep -o '"copyTrading":{.*}'
   curl -s -H 'x-functions-key: $function_key' '$base_url/api/orders?limit=5'

   # Prometheus text of every metric (docs/observability.md):
   curl -s '$base_url/metrics?code=$function_key'

   # A Prometheus scraping this app (apt-get install prometheus); its config is written for this session:
   prometheus --config.file=artifacts/run-local/prometheus.yml --storage.tsdb.path=/tmp/hf-prometheus \\
              --web.listen-address=127.0.0.1:9090
================================================================================

EOF

status=0
wait "$app_pid" || status=$?
app_pid=""
say "the function app exited with code $status; stopping the rest."
exit "$status"
