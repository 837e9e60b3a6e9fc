#!/usr/bin/env bash
# Make MariaDB, Redis and the mysqlclient driver available for the services tier.
# With CI=true anything missing is installed or started, or the run fails: never skipped.
set -euo pipefail
BIN=${1:-.venv/bin}

need_apt=()
dpkg -s default-libmysqlclient-dev >/dev/null 2>&1 || need_apt+=(default-libmysqlclient-dev)
dpkg -s pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || need_apt+=(mariadb-server)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
"$BIN/python" -c "import MySQLdb" 2>/dev/null || "$BIN/pip" install -q -e ".[mysql]"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! port_open 6379; then
  echo "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
if ! port_open 3306; then
  echo "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
fi
for _ in $(seq 1 60); do
  if port_open 3306 && port_open 6379; then exit 0; fi
  sleep 0.5
done
echo "MariaDB (3306) or Redis (6379) did not answer on 127.0.0.1" >&2
exit 1
