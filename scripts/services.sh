#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on loopback: start them when installed but stopped,
# install them with apt when missing. Leaves services that already run alone.
set -euo pipefail
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
apt_install() {
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# --- PostgreSQL
if ! pg_isready -q -h 127.0.0.1 2>/dev/null; then
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    echo "installing PostgreSQL"; apt_install postgresql postgresql-client
  fi
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
    $SUDO pg_createcluster "$version" main >/dev/null
  fi
  echo "starting PostgreSQL $version"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
  pg_isready -h 127.0.0.1
fi
# The suite connects as postgres over TCP; trust loopback if a password would be asked.
if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  hba=$(ls /etc/postgresql/*/main/pg_hba.conf | tail -1)
  echo "trusting loopback connections in $hba"
  $SUDO sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  sleep 1
fi
psql -h 127.0.0.1 -U postgres -d postgres -Atc "select 1 from pg_database where datname='osm'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -d postgres -qc 'create database osm'

# --- Redis
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  command -v redis-server >/dev/null 2>&1 || { echo "installing Redis"; apt_install redis-server; }
  echo "starting Redis"
  mkdir -p /tmp/osm-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp/osm-redis --pidfile /tmp/osm-redis/redis.pid --logfile /tmp/osm-redis/redis.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
  redis-cli -h 127.0.0.1 ping
fi
