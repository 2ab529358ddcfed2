#!/usr/bin/env bash
# Install everything the tests need, then run every test: on SQLite, then again
# on PostgreSQL (a fresh database, dropped afterwards). Used by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v psql >/dev/null || need+=(postgresql-client)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
ldconfig -p | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
# WeasyPrint warns at import without it, and the suite turns warnings into errors.
ldconfig -p | grep -q libharfbuzz-subset || need+=(libharfbuzz-subset0)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing system packages: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'

.venv/bin/ruff check .
echo "== test suite on SQLite =="
.venv/bin/python -m pytest -q -p no:cacheprovider

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
if pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
  DB="tip_test_$$"
  psql -q -h "$PGHOST" -p "$PGPORT" -U postgres -c "CREATE DATABASE $DB"
  trap 'psql -q -h "$PGHOST" -p "$PGPORT" -U postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"' EXIT
  echo "== test suite on PostgreSQL =="
  TEST_DATABASE_URL="postgresql+psycopg://postgres@$PGHOST:$PGPORT/$DB" \
    .venv/bin/python -m pytest -q -p no:cacheprovider -m "not browser"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not reachable at $PGHOST:$PGPORT" >&2
  exit 1
else
  echo "PostgreSQL not reachable at $PGHOST:$PGPORT: skipped the second run"
fi
