#!/usr/bin/env bash
# Runs every test in the solution. Usage: ./scripts/test.sh [extra dotnet test arguments]
#
# - Installs Azurite from package.json (npm ci) when it is missing or package-lock.json changed.
#   The tests start their own Azurite on random free ports with a temp folder, so this is safe to run
#   while your own Azurite (or ./scripts/run-local.sh) is running.
# - Runs `dotnet test HyperFunctions.sln -c Release`, writing TRX files to artifacts/test-results/.
# - Ends with one line "N passed, N failed, N skipped" counted from the TRX files, and exits non-zero
#   if any test failed, the run itself failed (build error, crashed test host) or no test ran.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

export DOTNET_NOLOGO=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# shellcheck source=scripts/lib/npm-deps.sh
source "$repo_root/scripts/lib/npm-deps.sh"
ensure_npm_deps

results_dir="$repo_root/artifacts/test-results"
rm -rf "$results_dir"
mkdir -p "$results_dir"

test_status=0
# A hung test host is killed after 15 minutes (no dump: dumps are gigabytes) so a run always ends.
dotnet test HyperFunctions.sln -c Release \
  --results-directory "$results_dir" \
  --logger "trx" \
  --logger "console;verbosity=normal" \
  --blame-hang-timeout 15m --blame-hang-dump-type none \
  "$@" || test_status=$?

# Sum the <Counters .../> of every TRX file. Failed counts failed, error, timeout and aborted outcomes;
# skipped counts tests that were not executed (xunit's Skip).
shopt -s nullglob
trx_files=("$results_dir"/*.trx "$results_dir"/*/*.trx)
shopt -u nullglob
read -r passed failed skipped < <(
  if ((${#trx_files[@]} > 0)); then
    grep -ho '<Counters [^>]*>' "${trx_files[@]}" || true
  fi | awk '
    function attr(name,   m) { if (match($0, name "=\"[0-9]+\"")) { m = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", m); return m + 0 } return 0 }
    { p += attr("passed"); f += attr("failed") + attr("error") + attr("timeout") + attr("aborted"); s += attr("notExecuted") }
    END { printf "%d %d %d\n", p, f, s }'
)

echo
echo "Test results: ${#trx_files[@]} TRX file(s) in ${results_dir#"$repo_root"/}"
if ((test_status != 0 && failed == 0)); then
  echo "dotnet test exited with $test_status although no failed test was recorded (build error or crashed test host?); see the output above." >&2
fi
if ((passed + failed == 0)); then
  echo "No test ran." >&2
fi
# CI shows only the tail of the output: name each failed test there, with the first lines of its message.
if ((failed > 0)); then
  echo
  echo "Failed tests:"
  # perl-base is part of every Debian system; TRX is one XML document per test assembly.
  perl -0777 -ne '
    while (/<UnitTestResult\b([^>]*?)(?:\/>|>(.*?)<\/UnitTestResult>)/gs) {
      my ($attrs, $body) = ($1, $2 // "");
      next unless $attrs =~ /outcome="(Failed|Error|Timeout|Aborted)"/;
      my ($name) = $attrs =~ /testName="([^"]*)"/;
      my ($msg) = $body =~ /<Message>(.*?)<\/Message>/s;
      $msg //= "(no message)";
      for ($name, $msg) { s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&apos;/\x27/g; s/&#xD;//g; s/&#xA;/\n/g; s/&amp;/&/g; }
      my @lines = split /\n/, $msg;
      splice(@lines, 12) if @lines > 12;
      print "  - $name\n", map({ "      $_\n" } @lines);
    }' "${trx_files[@]}"
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"

if ((test_status != 0 || failed > 0 || passed + failed == 0)); then
  exit 1
fi
