#!/usr/bin/env bash
# Makes this machine ready to build, run and test Qianzhi. Runs at every `npm start` / `npm test`, so it is
# idempotent and quick when everything is already there.
#
#   bash scripts/prepare.sh                 Node dependencies, PostgreSQL + PostGIS, Redis, CJK fonts (root only)
#   bash scripts/prepare.sh --with-browser  also Chromium, CJK fonts, poppler-utils and gdal-bin (the test suites)
#
# Local services (127.0.0.1 / localhost) are started when they are down and, when we are root on a Debian
# machine, installed from Debian's packages when they are missing (apt-get update at most once per run).
# Remote services (DATABASE_ADMIN_URL / DATABASE_URL / REDIS_URL naming another host) are only checked.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WITH_BROWSER=0
for arg in "$@"; do
  case "$arg" in
    --with-browser) WITH_BROWSER=1 ;;
    -h | --help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "prepare: unknown argument '$arg' (use --with-browser)" >&2; exit 2 ;;
  esac
done

DATABASE_ADMIN_URL="${DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/qianzhi}"
DATABASE_URL="${DATABASE_URL:-postgres://qianzhi_app@127.0.0.1:5432/qianzhi}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"

say() { printf '[prepare] %s\n' "$*"; }
die() { printf '[prepare] ERROR: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }
is_local() { case "$1" in '' | 127.* | localhost | ::1 | '[::1]') return 0 ;; *) return 1 ;; esac; }
tcp_open() { timeout 2 bash -c ">/dev/tcp/$1/$2" 2>/dev/null; }
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

APT_UPDATED=0
# apt_install PKG... — installs Debian packages as root, or stops and says what to install.
apt_install() {
  if ! is_root; then die "missing: $*. Install it as root: apt-get install -y $*"; fi
  command -v apt-get >/dev/null || die "missing: $* (Debian package names); this machine has no apt-get, install the equivalent"
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# Host and port of each URL (Node parses every URL form, IPv6 and credentials included), and the admin
# URL pointed at the always-present `postgres` database for the checks below.
parse_urls() {
  node -e '
    const part = (raw, port) => { const u = new URL(raw); return [u.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1", u.port || port]; };
    try {
      const maint = new URL(process.argv[1]); maint.pathname = "/postgres";
      console.log([...part(process.argv[1], "5432"), ...part(process.argv[2], "5432"), ...part(process.argv[3], "6379"), maint].join(" "));
    } catch (e) { console.error(e.message); }
  ' "$DATABASE_ADMIN_URL" "$DATABASE_URL" "$REDIS_URL"
}

# ---------------------------------------------------------------------------------------------------------
# Node.js and the npm dependencies
node_ok=$(node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.stdout.write(a>20||(a===20&&b>=19)?"1":"0")')
[ "$node_ok" = 1 ] || die "Node.js $(node -v) is too old: Qianzhi needs Node.js 20.19 or newer"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

# sql URL QUERY — the first row of a query, values separated by spaces, through the backend's own pg driver (no psql needed).
sql() {
  node -e '
    const { Client } = require(require.resolve("pg", { paths: [process.argv[3]] }));
    const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 5000 });
    c.connect()
      .then(() => c.query(process.argv[2]))
      .then((r) => { const row = r.rows[0]; process.stdout.write(row ? Object.values(row).join(" ") : ""); return c.end(); })
      .catch((e) => { process.stderr.write(String(e.message) + "\n"); process.exit(1); });
  ' "$1" "$2" "$ROOT/backend"
}

# ---------------------------------------------------------------------------------------------------------
# PostgreSQL
read -r PG_HOST PG_PORT APP_HOST APP_PORT REDIS_HOST REDIS_PORT PG_MAINT_URL <<<"$(parse_urls)"
[ -n "$PG_MAINT_URL" ] || die "DATABASE_ADMIN_URL, DATABASE_URL or REDIS_URL is not a valid URL"
PG_INSTALLED_NOW=0

# The local cluster that listens on PG_PORT: "<version> <cluster>".
local_cluster() {
  command -v pg_lsclusters >/dev/null || return 1
  pg_lsclusters -h 2>/dev/null | awk -v port="$PG_PORT" '$3 == port { print $1, $2; exit }'
}

# Waits until the server accepts connections (pg_isready also sees "starting up"; plain TCP otherwise).
wait_for_pg() {
  for _ in $(seq 1 30); do
    if command -v pg_isready >/dev/null; then
      pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2 && return 0
    else
      tcp_open "$PG_HOST" "$PG_PORT" && return 0
    fi
    sleep 1
  done
  return 1
}

start_local_pg() {
  local cluster ver name
  cluster=$(local_cluster || true)
  [ -n "$cluster" ] || die "no local PostgreSQL cluster listens on port $PG_PORT (see pg_lsclusters); create one or set DATABASE_ADMIN_URL"
  read -r ver name <<<"$cluster"
  say "starting PostgreSQL $ver/$name"
  pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start ||
    die "could not start PostgreSQL: as root run: pg_ctlcluster --skip-systemctl-redirect $ver $name start"
}

# A PostgreSQL that this script has just installed asks for passwords on 127.0.0.1/::1; the default URLs
# carry none, so trust loopback connections as the CI machines do (only loopback, only on a fresh install).
trust_loopback() {
  local ver name hba
  read -r ver name <<<"$(local_cluster)"
  hba="/etc/postgresql/$ver/$name/pg_hba.conf"
  [ -f "$hba" ] || return 0
  say "fresh PostgreSQL: trusting loopback connections in $hba"
  sed -i -E 's#^(host[[:space:]]+all[[:space:]]+all[[:space:]]+(127\.0\.0\.1/32|::1/128)[[:space:]]+)[a-z0-9-]+#\1trust#' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" reload
  sleep 1
}

if ! tcp_open "$PG_HOST" "$PG_PORT"; then
  is_local "$PG_HOST" || die "PostgreSQL at $PG_HOST:$PG_PORT (DATABASE_ADMIN_URL) is not reachable"
  if ! command -v pg_ctlcluster >/dev/null; then
    apt_install postgresql postgresql-contrib
    PG_INSTALLED_NOW=1
  fi
  # Debian's package may have started the new cluster itself.
  tcp_open "$PG_HOST" "$PG_PORT" || start_local_pg
fi
wait_for_pg || die "PostgreSQL at $PG_HOST:$PG_PORT does not accept connections"
[ "$PG_INSTALLED_NOW" -eq 0 ] || trust_loopback

pg_facts() {
  sql "$PG_MAINT_URL" "SELECT current_setting('server_version_num')::int / 10000,
    EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis')"
}
read -r PG_MAJOR HAS_POSTGIS <<<"$(pg_facts)"
if [ -z "$PG_MAJOR" ]; then
  die "cannot log in to PostgreSQL with DATABASE_ADMIN_URL on database postgres (a superuser is needed; a local server needs 'trust' or a password in the URL)"
fi

# PostGIS
if [ "$HAS_POSTGIS" != true ]; then
  is_local "$PG_HOST" || die "the PostgreSQL server at $PG_HOST:$PG_PORT has no PostGIS: install postgresql-$PG_MAJOR-postgis-3 there"
  apt_install "postgresql-$PG_MAJOR-postgis-3"
  read -r PG_MAJOR HAS_POSTGIS <<<"$(pg_facts)"
  [ "$HAS_POSTGIS" = true ] || die "postgresql-$PG_MAJOR-postgis-3 is installed but PostgreSQL still lists no postgis extension"
fi

# The application's connection, when it points at another server than the admin one: reachability only.
if [ "$APP_HOST:$APP_PORT" != "$PG_HOST:$PG_PORT" ] && ! tcp_open "$APP_HOST" "$APP_PORT"; then
  die "PostgreSQL at $APP_HOST:$APP_PORT (DATABASE_URL) is not reachable"
fi

# ---------------------------------------------------------------------------------------------------------
# Redis
redis_ok() {
  if command -v redis-cli >/dev/null; then
    [ "$(timeout 5 redis-cli -u "$REDIS_URL" ping 2>/dev/null)" = PONG ]
  else
    tcp_open "$REDIS_HOST" "$REDIS_PORT"
  fi
}

if ! redis_ok; then
  is_local "$REDIS_HOST" || die "Redis at $REDIS_HOST:$REDIS_PORT (REDIS_URL) is not reachable"
  command -v redis-server >/dev/null || apt_install redis-server
  # A Debian install may have started its own redis-server already.
  if ! redis_ok; then
    say "starting redis-server on 127.0.0.1:$REDIS_PORT (nothing kept on disk)"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
      --dir "${TMPDIR:-/tmp}" --logfile "${TMPDIR:-/tmp}/qianzhi-redis-$(id -u).log"
    for _ in $(seq 1 20); do redis_ok && break; sleep 0.5; done
    redis_ok || die "redis-server was started but $REDIS_URL does not answer PING (log: ${TMPDIR:-/tmp}/qianzhi-redis-$(id -u).log)"
  fi
fi

# ---------------------------------------------------------------------------------------------------------
# System tools: CJK fonts for the PDFs (also for npm start); the browser and PDF/GIS tools for the tests.
missing=()
pkg_installed fonts-noto-cjk || missing+=(fonts-noto-cjk)
if [ "$WITH_BROWSER" -eq 1 ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  { command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null; } || missing+=(poppler-utils)
  command -v ogr2ogr >/dev/null || missing+=(gdal-bin)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$WITH_BROWSER" -eq 0 ] && ! is_root; then
    # Not fatal for npm start: the system runs, only PDFs lack Chinese glyphs.
    say "WARNING: fonts-noto-cjk is not installed; generated PDFs will lack Chinese glyphs (as root: apt-get install -y fonts-noto-cjk)"
  else
    apt_install "${missing[@]}"
  fi
fi

say "ready: Node $(node -v), PostgreSQL $PG_MAJOR with PostGIS at $PG_HOST:$PG_PORT, Redis at $REDIS_HOST:$REDIS_PORT$([ "$WITH_BROWSER" -eq 1 ] && echo ', Chromium and test tools')"
