#!/usr/bin/env bash
# Start a throw-away PostgreSQL cluster on loopback for the tests and print the URL.
#   url=$(bash scripts/postgres.sh start)   ...   bash scripts/postgres.sh stop
set -euo pipefail
PGPORT=${ZDRAVE_PG_PORT:-54329}
PGDIR=${ZDRAVE_PG_DIR:-/tmp/zdrave-pg-$PGPORT}
BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-start}" in
  start)
    if [ ! -f "$PGDIR/PG_VERSION" ]; then
      mkdir -p "$PGDIR"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDIR"
      as_pg "$BIN/initdb" -D "$PGDIR" -U zdrave --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_pg "$BIN/pg_ctl" -D "$PGDIR" status >/dev/null 2>&1; then
      as_pg "$BIN/pg_ctl" -D "$PGDIR" -l "$PGDIR/server.log" -w \
        -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null
    fi
    if ! "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U zdrave -d postgres -tAc \
        "select 1 from pg_database where datname='zdrave'" | grep -q 1; then
      "$BIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U zdrave zdrave
    fi
    echo "postgres://zdrave@127.0.0.1:$PGPORT/zdrave"
    ;;
  stop)
    as_pg "$BIN/pg_ctl" -D "$PGDIR" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
