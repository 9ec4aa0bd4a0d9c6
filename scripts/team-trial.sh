#!/usr/bin/env bash
# A team server to try, in one command: a throw-away PostgreSQL, the demo OpenID Connect provider
# (test users olivia and oscar: officers; rita: reviewer; rex: reviewer and officer; ada: admin;
# any password), the partner sandbox, and the KYB Desk server with a "Sandbox" environment that
# requires approval. Everything is removed on Ctrl-C.
#   bash scripts/team-trial.sh            (server on 127.0.0.1:8440, provider on 127.0.0.1:8441)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != "--inside" ]; then
  bash scripts/install-deps.sh
  (cd scripts/oidc && npm ci --no-audit --no-fund >/dev/null)
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kyb-desk/target}"
  cargo build -q -p kyb-cli
  exec bash scripts/postgres.sh bash "$0" --inside
fi

kyb="${CARGO_TARGET_DIR:-$HOME/.cache/kyb-desk/target}/debug/kyb"
server_port="${KYB_TRIAL_SERVER_PORT:-8440}"
oidc_port="${KYB_TRIAL_OIDC_PORT:-8441}"
sandbox_port="${KYB_TRIAL_SANDBOX_PORT:-8083}"
work="$(mktemp -d -t kyb-team-trial.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

# The database and the server's own role (it may only read and append the audit trail).
admin_url="$KYB_TEST_DATABASE_URL"
psql -q "$admin_url" -c "CREATE DATABASE kyb" -c "CREATE ROLE kyb_server LOGIN PASSWORD 'trial'"
host_port="${admin_url#postgres://kyb_admin@}"; host_port="${host_port%%/*}"

(cd scripts/oidc && exec node provider.mjs "$oidc_port") >"$work/oidc.log" 2>&1 &
pids+=($!)
sandbox_key="trial-key-$RANDOM$RANDOM"
sandbox_secret="trial-secret-$RANDOM$RANDOM$RANDOM"
KYB_SANDBOX_API_KEY="$sandbox_key" KYB_SANDBOX_API_SECRET="$sandbox_secret" KYB_LOG=warn "$kyb" sandbox --port "$sandbox_port" --data-dir "$work/sandbox" >"$work/sandbox.log" 2>&1 &
pids+=($!)

{
  echo "bind = \"127.0.0.1:$server_port\""
  echo "database_url = \"postgres://kyb_server:trial@$host_port/kyb\""
  echo "admin_database_url = \"postgres://kyb_admin@$host_port/kyb\""
  "$kyb" server keys
  echo
  echo "[oidc]"
  echo "issuer = \"http://127.0.0.1:$oidc_port\""
} >"$work/server.toml"
chmod 600 "$work/server.toml"

# Migrations first (they create the role the grant names), then the grant, then the environment.
"$kyb" server --config "$work/server.toml" environment --name Sandbox \
  --base-url "http://127.0.0.1:$sandbox_port" --requires-approval >/dev/null 2>&1 || true
psql -q "postgres://kyb_admin@$host_port/kyb" -c "GRANT kyb_desk_server TO kyb_server"
KYB_API_KEY="$sandbox_key" KYB_API_SECRET="$sandbox_secret" \
  "$kyb" server --config "$work/server.toml" environment --name Sandbox \
  --base-url "http://127.0.0.1:$sandbox_port" --requires-approval

cat <<TEXT

KYB Desk team trial
  server:        http://127.0.0.1:$server_port   (health: /health)
  sign-in:       http://127.0.0.1:$oidc_port     (demo provider: olivia, oscar, rita, rex, ada; any password)
  partner:       http://127.0.0.1:$sandbox_port  (sandbox with six demo customers)
  environment:   Sandbox, requires approval (four-eyes)
Ctrl-C stops everything and removes its data.

TEXT
"$kyb" server --config "$work/server.toml" run &
pids+=($!)
wait "${pids[-1]}"
