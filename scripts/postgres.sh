#!/usr/bin/env bash
# Run a command with a throw-away PostgreSQL: Debian's binaries, a cluster in a temporary folder,
# on a free loopback port, trust authentication for loopback only; removed when the command ends.
# The command sees KYB_TEST_DATABASE_URL (the superuser's URL; tests make a fresh database each).
#   bash scripts/postgres.sh cargo test -p kyb-server
set -euo pipefail

bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "PostgreSQL's server binaries are missing: sudo apt-get install postgresql (scripts/install-deps.sh does)" >&2
  exit 1
fi

folder="$(mktemp -d -t kyb-postgres.XXXXXX)"
# initdb refuses to run as root: as root, the cluster belongs to Debian's postgres user.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  as_owner=(runuser -u postgres --)
  chown postgres: "$folder"
fi

child=""
stop() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$folder/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$folder"
}
# Ctrl-C or a kill stops the command first, then the server (the EXIT trap).
on_signal() {
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
  exit 143
}
trap stop EXIT
trap on_signal INT TERM

"${as_owner[@]}" "$bindir/initdb" -D "$folder/data" -U kyb_admin --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$folder/initdb.log" 2>&1 \
  || { cat "$folder/initdb.log" >&2; exit 1; }
# A random high port; another try on the rare collision.
started=""
for _ in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 30000))
  if "${as_owner[@]}" "$bindir/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $folder -c max_connections=300 -c fsync=off" start >/dev/null; then
    started=1
    break
  fi
done
[ -n "$started" ] || { cat "$folder/server.log" >&2; exit 1; }

export KYB_TEST_DATABASE_URL="postgres://kyb_admin@127.0.0.1:$port/postgres"
echo "== PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (folder $folder)" >&2
"$@" &
child=$!
status=0
wait "$child" || status=$?
exit "$status"
