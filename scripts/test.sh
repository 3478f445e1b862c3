#!/usr/bin/env bash
# Install what the tests need and run the whole gate: lint, format, types, and the suite on
# SQLite and PostgreSQL (a fresh database per run on the local server) plus the browser test.
# .ci/run calls exactly this. Under CI=true a missing PostgreSQL or Chromium is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

# Chromium for the browser test (Debian's package; Playwright's own download can't work here).
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: could not install chromium" >&2
fi

# PostgreSQL on 127.0.0.1:5432; start the local cluster if it is installed but down.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi

.venv/bin/ruff check src tests bench
.venv/bin/ruff format --check src tests bench
.venv/bin/mypy src
.venv/bin/python -m pytest "$@"
