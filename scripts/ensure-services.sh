#!/usr/bin/env bash
# Makes sure the MariaDB and Redis the test suite uses are up on this machine (127.0.0.1:3306,
# root with an empty password; 127.0.0.1:6379), starting them only if they are down, and that
# Debian's Chromium is installed for the browser test (/usr/bin/chromium), installing it if not.
set -euo pipefail

mariadb_up() { mariadb-admin --protocol=tcp -h127.0.0.1 -uroot --connect-timeout=3 ping >/dev/null 2>&1; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

if ! mariadb_up; then
  echo "MariaDB is down: starting it"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  for _ in $(seq 1 60); do mariadb_up && break; sleep 1; done
  if ! mariadb_up; then
    # Debian's root logs in through the unix socket only until told otherwise.
    mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')" || true
  fi
  mariadb_up || { echo "MariaDB did not come up" >&2; exit 1; }
fi

if ! redis_up; then
  echo "Redis is down: starting it"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
  redis_up || { echo "Redis did not come up" >&2; exit 1; }
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "Chromium is missing: installing Debian's chromium (the browser test drives it)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q chromium
  [ -x /usr/bin/chromium ] || { echo "Chromium did not install" >&2; exit 1; }
fi
echo "MariaDB and Redis are up; Chromium is $(/usr/bin/chromium --version 2>/dev/null || echo installed)"
