#!/usr/bin/env bash
# `npm test`: every suite — backend (Jest: unit, integration and API tests against real PostGIS and Redis),
# frontend (Vitest) and the browser journeys (Jest + playwright-core driving Debian's Chromium).
# All three run even when one fails; the last line counts test cases across them: "N passed, M failed".
# A suite that could not run at all (config missing, no results) or a test file that failed to load counts
# as one failed test, so that the last line never reads green when something did not run.
# Machine-readable results are written to artifacts/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '[test] %s\n' "$*"; }

bash scripts/prepare.sh --with-browser

say "building backend and frontend"
npm run build

say "migrating the database and making sure the test template for the current migrations exists (qz_tpl_<hash>)"
npm run migrate
node backend/dist/backend/src/infra/database/migrate-cli.js template

ARTIFACTS="$ROOT/artifacts"
mkdir -p "$ARTIFACTS"

TOTAL_PASSED=0
TOTAL_FAILED=0
FAILED_SUITES=()
SUMMARY=()

# first_existing FILE... — the first of the candidate files that exists.
first_existing() {
  local f
  for f in "$@"; do
    if [ -f "$f" ]; then echo "$f"; return 0; fi
  done
  return 1
}

# run_suite NAME RESULTS_JSON CONFIG_CANDIDATES -- COMMAND...
# Runs one suite without stopping the script, then reads its Jest-format JSON results.
run_suite() {
  local name=$1 results=$2 candidates=$3
  shift 4
  echo
  say "=== $name ==="
  # shellcheck disable=SC2086  # the candidates are a space-separated list of paths without spaces
  if ! first_existing $candidates >/dev/null; then
    say "ERROR: $name: no config file (looked for: $candidates) — the suite cannot run"
    FAILED_SUITES+=("$name (config missing)")
    TOTAL_FAILED=$((TOTAL_FAILED + 1))
    SUMMARY+=("$name: NOT RUN — config missing ($candidates)")
    return 0
  fi
  rm -f "$results"
  local status=0
  "$@" || status=$?
  if [ ! -s "$results" ]; then
    say "ERROR: $name exited with status $status and wrote no results to ${results#"$ROOT"/}"
    FAILED_SUITES+=("$name (no results, exit $status)")
    TOTAL_FAILED=$((TOTAL_FAILED + 1))
    SUMMARY+=("$name: no results (exit $status)")
    return 0
  fi
  local passed='' failed skipped broken
  read -r passed failed skipped broken < <(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    // Test files that failed without a failing test: they did not load or crashed (Jest and Vitest alike).
    const broken = (r.testResults ?? []).filter((f) => f.status === "failed" &&
      !(f.assertionResults ?? []).some((a) => a.status === "failed")).length;
    console.log(r.numPassedTests ?? 0, r.numFailedTests ?? 0, (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0), broken);
  ' "$results") || true
  if [ -z "$passed" ]; then
    say "ERROR: $name: cannot read ${results#"$ROOT"/}"
    FAILED_SUITES+=("$name (unreadable results, exit $status)")
    TOTAL_FAILED=$((TOTAL_FAILED + 1))
    SUMMARY+=("$name: unreadable results (exit $status)")
    return 0
  fi
  TOTAL_PASSED=$((TOTAL_PASSED + passed))
  TOTAL_FAILED=$((TOTAL_FAILED + failed + broken))
  local line="$name: $passed passed, $failed failed, $skipped skipped"
  [ "$broken" -eq 0 ] || line+=", $broken test file(s) failed to run"
  [ "$status" -eq 0 ] || { line+=" (exit $status)"; FAILED_SUITES+=("$name (exit $status)"); }
  SUMMARY+=("$line")
}

run_suite backend "$ARTIFACTS/backend-jest.json" "backend/jest.config.js" -- \
  npx --no -- jest -c backend/jest.config.js --json --outputFile="$ARTIFACTS/backend-jest.json"

run_suite frontend "$ARTIFACTS/frontend-vitest.json" \
  "frontend/vitest.config.ts frontend/vitest.config.mts frontend/vitest.config.js frontend/vite.config.ts frontend/vite.config.mts frontend/vite.config.js" -- \
  npm test -w frontend -- --reporter=default --reporter=json --outputFile.json="$ARTIFACTS/frontend-vitest.json"

run_suite e2e "$ARTIFACTS/e2e-jest.json" "e2e/jest.config.js" -- \
  npx --no -- jest -c e2e/jest.config.js --json --outputFile="$ARTIFACTS/e2e-jest.json"

echo
say "=== summary ==="
for line in "${SUMMARY[@]}"; do say "$line"; done
if [ "${#FAILED_SUITES[@]}" -gt 0 ]; then
  say "FAILED: ${FAILED_SUITES[*]}"
fi
echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
[ "${#FAILED_SUITES[@]}" -eq 0 ] && [ "$TOTAL_FAILED" -eq 0 ]
