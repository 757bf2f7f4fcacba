#!/usr/bin/env bash
# A throw-away PostgreSQL server for the team-sync tests.
#   .ci/postgres.sh start DIR   initdb in DIR (as the unprivileged `postgres` user when run as
#                               root), listen on 127.0.0.1 only on a free port, print the
#                               admin URL on stdout
#   .ci/postgres.sh stop DIR    stop it and remove DIR
# Prints nothing and exits 1 when no server can be started (the tests then skip).
set -euo pipefail
cmd=${1:?start or stop}; dir=${2:?folder}
bin=${PG_BIN:-}
if [ -z "$bin" ]; then
  for b in /usr/lib/postgresql/*/bin; do [ -x "$b/initdb" ] && bin=$b; done
fi
[ -n "$bin" ] && [ -x "$bin/initdb" ] || { [ -n "$(command -v initdb)" ] && bin=$(dirname "$(command -v initdb)"); }
[ -n "$bin" ] || { echo "postgres.sh: no PostgreSQL binaries found" >&2; exit 1; }
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
start)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  (umask 077; echo ci-admin >"$dir/pwfile")
  [ "$(id -u)" = 0 ] && chown postgres "$dir/pwfile"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=scram-sha-256 \
      --pwfile="$dir/pwfile" -E UTF8 >"$dir/initdb.log" 2>&1 \
    || { echo "postgres.sh: initdb failed (see $dir/initdb.log)" >&2; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" \
      start >/dev/null \
    || { echo "postgres.sh: the server did not start (see $dir/server.log)" >&2; exit 1; }
  echo "postgresql://postgres:ci-admin@127.0.0.1:$port/postgres"
  ;;
stop)
  [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$dir"
  ;;
esac
