#!/usr/bin/env bash
# `npm start`: the whole system on http://localhost:${PORT:-3000} — services checked (and installed as root),
# schema migrated, seed loaded, backend and frontend built, then the API and the worker run in the foreground
# until Ctrl-C. If either process dies, the other is stopped too.
# The seed is idempotent and knows NODE_ENV: in production it loads only the administrative divisions and
# never creates demo organisations, zones or accounts, so it runs in every mode.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PORT="${PORT:-3000}"
NODE_ENV="${NODE_ENV:-development}"
DEMO_PASSWORD="${DEMO_PASSWORD:-Qianzhi@2026}"
START_TIMEOUT="${START_TIMEOUT:-120}"
export PORT NODE_ENV DEMO_PASSWORD

say() { printf '[start] %s\n' "$*"; }

bash scripts/prepare.sh

say "migrating the database"
npm run migrate

mkdir -p .local
say "loading seed data$([ "$NODE_ENV" = production ] || echo ' and demo accounts')"
npm run seed 2>&1 | tee .local/seed-output.txt

say "building backend and frontend"
npm run build

API_PID=
WORKER_PID=
STOPPING=0
# shellcheck disable=SC2317  # called from the traps below
stop_all() {
  [ "$STOPPING" -eq 0 ] || return 0
  STOPPING=1
  local pids=()
  for pid in $API_PID $WORKER_PID; do kill -0 "$pid" 2>/dev/null && pids+=("$pid"); done
  [ "${#pids[@]}" -gt 0 ] || return 0
  say "stopping API and worker"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 50); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 1 ] || return 0
    sleep 0.2
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
}
trap stop_all EXIT
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM

node backend/dist/backend/src/main.js &
API_PID=$!
node backend/dist/backend/src/worker.js &
WORKER_PID=$!

HEALTH_URL="http://localhost:${PORT}/api/health"
healthy() {
  node -e 'fetch(process.argv[1]).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))' "$HEALTH_URL"
}
deadline=$((SECONDS + START_TIMEOUT))
until healthy; do
  for pid in "$API_PID" "$WORKER_PID"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      name=$([ "$pid" = "$API_PID" ] && echo API || echo worker)
      say "ERROR: the $name exited before $HEALTH_URL answered 200"
      exit 1
    fi
  done
  if [ "$SECONDS" -ge "$deadline" ]; then
    say "ERROR: $HEALTH_URL did not answer 200 within ${START_TIMEOUT}s"
    exit 1
  fi
  sleep 1
done

echo
echo "================================================================================"
echo "  Qianzhi (考古前置) is running: http://localhost:${PORT}"
echo "  API: http://localhost:${PORT}/api   OpenAPI: http://localhost:${PORT}/api/docs"
if [ "$NODE_ENV" != production ]; then
  # The seed prints the demo logins with what each is for; repeat that table here.
  if grep -q '^[^>].*Demo logins' .local/seed-output.txt; then
    sed -n '/^[^>].*Demo logins/,$p' .local/seed-output.txt | sed 's/^/  /'
  else
    echo "  Demo logins (password ${DEMO_PASSWORD}): admin assessor reviewer authority committee contractor"
  fi
else
  echo "  NODE_ENV=production: no demo accounts."
fi
echo "  Ctrl-C stops the API and the worker."
echo "================================================================================"
echo

# Runs until one of the two exits; then the other is stopped (EXIT trap) and we fail.
status=0
wait -n "$API_PID" "$WORKER_PID" || status=$?
if kill -0 "$API_PID" 2>/dev/null; then name=worker; else name=API; fi
say "ERROR: the $name exited (status $status); stopping the other process"
exit $((status == 0 ? 1 : status))
