#!/usr/bin/env bash
# Installs PostgreSQL 15 from Debian's packages when it is missing, and starts a throwaway
# cluster on a loopback port for the tests.
#   scripts/postgres.sh start DIR PORT   -> prints the Npgsql connection string
#   scripts/postgres.sh stop DIR
# initdb and the server refuse to run as root, so as root they run as the 'postgres' user.
set -euo pipefail

pg_bin=/usr/lib/postgresql/15/bin

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_if_missing() {
  if [ -x "$pg_bin/initdb" ]; then return; fi
  if [ "$(id -u)" != 0 ]; then
    echo "PostgreSQL 15 is missing; install it with: sudo apt-get install postgresql-15" >&2
    exit 1
  fi
  echo "installing postgresql-15 from Debian's packages ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql-15 >&2
}

start() {
  local dir=$1 port=$2
  install_if_missing
  rm -rf "$dir"
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  as_owner "$pg_bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # fsync stays on: the crash tests rely on what a real server does.
  as_owner "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=200" start >&2 \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50"
}

stop() {
  local dir=$1
  if [ -d "$dir/data" ]; then
    as_owner "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

case "${1:-}" in
  start) start "$2" "$3" ;;
  stop) stop "$2" ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
