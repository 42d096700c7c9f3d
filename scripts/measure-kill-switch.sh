#!/usr/bin/env bash
# Measures the kill switch (POST /api/safety/halt {"cancelAll":true}) against the simulator, by hand:
# a private Azurite, the simulator and the function app (self-host) on ports of their own, N resting orders
# of the development account placed through POST /api/orders in ARMED_LIVE, then the kill switch; ROUNDS
# times. Prints the answer's durationMs (whole kill switch: ledger HALT + cancel-all + scheduleCancel) and
# cancel.durationMs (openOrders read + one batched cancel action) per round, and checks that the simulator's
# openOrders for the account is empty afterwards. docs/performance.md has the figures.
#
#   scripts/measure-kill-switch.sh [ORDERS (default 10)] [ROUNDS (default 5)]
#   HF_MEASURE_BASE_PORT   first of five consecutive free ports used (default 21000)
set -euo pipefail

orders="${1:-10}"
rounds="${2:-5}"
base="${HF_MEASURE_BASE_PORT:-21000}"
blob=$base queue=$((base + 1)) table=$((base + 2)) sim_port=$((base + 3)) app_port=$((base + 4))
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
out_dir="$repo_root/artifacts/measure-kill-switch"
data_dir="$(mktemp -d)"
mkdir -p "$out_dir"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$data_dir"
}
trap cleanup EXIT
command -v jq >/dev/null || { echo "jq is required" >&2; exit 1; }

dotnet build functions/HyperFunctions.Functions/HyperFunctions.Functions.csproj -c Release -o "$out_dir/functions" -v quiet -nologo
dotnet build tests/HyperFunctions.Simulator/HyperFunctions.Simulator.csproj -c Release -o "$out_dir/simulator" -v quiet -nologo

node_modules/.bin/azurite --silent --skipApiVersionCheck --loose --location "$data_dir" \
  --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" --tableHost 127.0.0.1 --tablePort "$table" \
  >"$out_dir/azurite.log" 2>&1 &
pids+=($!)
dotnet "$out_dir/simulator/HyperFunctions.Simulator.dll" --port "$sim_port" --seed 42 >"$out_dir/simulator.log" 2>&1 &
pids+=($!)

admin="measure-admin-$RANDOM$RANDOM"
fkey="measure-function-$RANDOM$RANDOM"
dev_key="0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" # the simulator's public development key
dev="0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"
account="devstoreaccount1"
account_key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
(
  unset FUNCTIONS_CUSTOMHANDLER_PORT
  export ASPNETCORE_URLS="http://127.0.0.1:$app_port"
  export HF_SETTINGS_FILE="$repo_root/hyperfunctions.json"
  export Storage__ConnectionString="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$account_key;BlobEndpoint=http://127.0.0.1:$blob/$account;QueueEndpoint=http://127.0.0.1:$queue/$account;TableEndpoint=http://127.0.0.1:$table/$account;"
  export Api__AdminKey="$admin" Api__FunctionKey="$fkey"
  export Hyperliquid__RestUrl="http://127.0.0.1:$sim_port" Hyperliquid__WsUrl="ws://127.0.0.1:$sim_port/ws"
  export Alerts__Channels__0__Url="http://127.0.0.1:$sim_port/_sim/alerts"
  export Hyperliquid__PrivateKey="$dev_key" Hyperliquid__AccountAddress="$dev"
  exec dotnet "$out_dir/functions/HyperFunctions.Functions.dll"
) >"$out_dir/app.log" 2>&1 &
pids+=($!)

app="http://127.0.0.1:$app_port"
for _ in $(seq 1 300); do curl -fsS -o /dev/null "$app/api/health" 2>/dev/null && break; sleep 0.3; done
curl -fsS -o /dev/null "$app/api/health" || { echo "the app did not start; see $out_dir/app.log" >&2; exit 1; }

post() { curl -sS -X POST "$app$1" -H "x-functions-key: $admin" -H 'Content-Type: application/json' -d "$2"; }
resting() { curl -sS "$app/api/orders?status=RESTING&limit=50" -H "x-functions-key: $fkey" | jq '.items | length'; }
# The venue's openOrders is read once per round, after the kill switch: polling it would spend the simulator's
# per-IP weight budget (openOrders weighs 20 of 1200 a minute), which the app shares, and the app's own reads
# would then wait on 429s.
open_orders() { curl -sS -X POST "http://127.0.0.1:$sim_port/info" -H 'Content-Type: application/json' -d "{\"type\":\"openOrders\",\"user\":\"$dev\"}" | jq length; }

echo "round,orders,killSwitchDurationMs,cancelDurationMs,cancelled,scheduleCancelArmed,openAfter"
for round in $(seq 1 "$rounds"); do
  post /api/safety/reset '{"mode":"ARMED_SAFE","message":"measure"}' >/dev/null
  post /api/safety/promote '{"reason":"measure"}' >/dev/null
  for i in $(seq 1 "$orders"); do
    post /api/orders "{\"coin\":\"BTC\",\"side\":\"buy\",\"size\":\"0.02\",\"type\":\"limit\",\"limitPrice\":\"$((1000 + i))\",\"tif\":\"Gtc\"}" >/dev/null
  done
  for _ in $(seq 1 600); do [[ "$(resting)" -ge "$orders" ]] && break; sleep 0.1; done
  answer="$(post /api/safety/halt '{"message":"measure the kill switch","cancelAll":true}')"
  field() { echo "$answer" | jq -r "$1"; }
  echo "$round,$(field .killSwitch.cancel.found),$(field .killSwitch.durationMs),$(field .killSwitch.cancel.durationMs),$(field .killSwitch.cancel.cancelled),$(field .killSwitch.scheduleCancel.armed),$(open_orders)"
done
