#!/usr/bin/env bash
# Make sure a PostgreSQL server answers for the test suite; start or install it if not.
# The URL the tests use is RECON_TEST_POSTGRES_URL (default below).
set -euo pipefail
HOST=127.0.0.1
PORT=5432

if pg_isready -q -h "$HOST" -p "$PORT" 2>/dev/null; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"; else
    echo "PostgreSQL is not answering on $HOST:$PORT and I cannot become root to start it." >&2
    echo "Start it (or set RECON_TEST_POSTGRES_URL); the PostgreSQL tests will be skipped." >&2
    exit 0
  fi
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "installing PostgreSQL from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends postgresql
  fresh=1
else
  fresh=0
fi

version=$(ls /etc/postgresql | sort -V | tail -1)
$SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
for _ in $(seq 1 30); do
  pg_isready -q -h "$HOST" -p "$PORT" && break
  sleep 0.5
done

if [ "$fresh" = 1 ]; then
  # A throwaway test server on loopback only: trust local TCP connections.
  hba=/etc/postgresql/$version/main/pg_hba.conf
  $SUDO sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/' "$hba"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  $SUDO -u postgres psql -q -c "CREATE DATABASE test" 2>/dev/null || true
fi
pg_isready -h "$HOST" -p "$PORT"
