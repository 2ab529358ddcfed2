#!/usr/bin/env bash
# Install the app, load the demo data (idempotent) and serve it on http://127.0.0.1:5000
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
export APP_ENV=development
.venv/bin/flask --app wsgi demo
exec .venv/bin/flask --app wsgi run --host 127.0.0.1 --port "${PORT:-5000}"
