#!/usr/bin/env bash
# What the e2e tier needs: Debian's chromium (Playwright cannot download a browser here) and
# Redis (the channel layer that carries a push from `manage.py send_due_today` to daphne).
# With CI=true anything missing is installed or started, or the run fails: never skipped.
set -euo pipefail

if ! [ -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null
fi
[ -x /usr/bin/chromium ] || { echo "no /usr/bin/chromium after install" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if ! port_open 6379; then
  command -v redis-server >/dev/null 2>&1 || {
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq redis-server >/dev/null
  }
  echo "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
for _ in $(seq 1 40); do
  port_open 6379 && exit 0
  sleep 0.25
done
echo "Redis (6379) did not answer on 127.0.0.1" >&2
exit 1
