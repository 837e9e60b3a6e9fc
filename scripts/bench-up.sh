#!/usr/bin/env bash
# What `make bench`'s peers (SPEC section 10) need beyond the services tier: Debian's nginx with
# the nchan module (a C pub/sub server, run as a child of the bench, never as a system service).
# Socket.IO comes from package.json with the JS tools; the raw server is websockets in the venv.
# Anything missing is installed, or the run fails: never skipped.
set -euo pipefail
BIN=${1:-.venv/bin}

bash "$(dirname "$0")/services-up.sh" "$BIN"

need_apt=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)
dpkg -s libnginx-mod-nchan >/dev/null 2>&1 || need_apt+=(libnginx-mod-nchan)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  # policy-rc.d 101: the packages must not start a system nginx on port 80. Only a file we
  # created is removed again.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    "${need_apt[@]}" >/dev/null
fi
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { echo "nginx missing" >&2; exit 1; }
# tests/bench/peers.py loads the module from the path the package installed.
dpkg -L libnginx-mod-nchan | grep -q 'ngx_nchan_module\.so$' \
  || { echo "libnginx-mod-nchan installed no ngx_nchan_module.so" >&2; exit 1; }
