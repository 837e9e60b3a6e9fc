#!/usr/bin/env bash
# What the system tier needs beyond the services tier: Debian's nginx (run as a child of the
# tests, never as a system service), redis-server for a private instance, and a compose client
# for `compose config`. Anything missing is installed, or the run fails: never skipped.
set -euo pipefail
BIN=${1:-.venv/bin}

# MariaDB running, redis-server installed, mysqlclient in the venv.
bash "$(dirname "$0")/services-up.sh" "$BIN"

need_apt=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  # Debian's compose v1 parses and validates the file without a Docker engine.
  need_apt+=(docker-compose)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}"
  apt-get update -qq
  # policy-rc.d 101: the package must not start a system nginx on port 80. Only a file we
  # created is removed again.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { echo "nginx missing" >&2; exit 1; }
