#!/usr/bin/env bash
# The one command that runs every test (README: "Test"). CI calls it through .ci/run.
#   - installs missing system packages (scripts/install-deps.sh)
#   - runs the whole workspace's tests inside a private D-Bus session with an unlocked
#     gnome-keyring, so credential tests hit a real Secret Service keychain
#   - uses throw-away HOME/XDG folders so nothing touches the user's files
#   - starts a throw-away PostgreSQL for the team server's tests (scripts/postgres.sh)
#   - builds the UI first (the desktop binary embeds ui/dist) and fails when the TypeScript
#     bindings that the tests regenerate (ui/src/bindings) differ from the committed ones
#   - checks the dependency policy after the build (scripts/deny.sh: cargo-deny, offline)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

# Build output outside the clone so later runs on the same machine reuse it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kyb-desk/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch"/{data,config,cache,runtime}
chmod 700 "$scratch/runtime"

echo "== ui: type check, build (tauri's generate_context! embeds ui/dist), unit tests"
(cd ui && npm ci --no-audit --no-fund && npm run build && npm test)

echo "== the demo OpenID Connect provider for the team server's tests (scripts/oidc: oidc-provider)"
(cd scripts/oidc && npm ci --no-audit --no-fund)

echo "== build"
cargo build --workspace --all-targets --locked

echo "== dependency policy: licences, crates.io only, duplicates (scripts/deny.sh, docs/security.md)"
bash scripts/deny.sh

echo "== tests (real keychain in a private D-Bus session, a throw-away PostgreSQL: scripts/postgres.sh)"
XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" XDG_CACHE_HOME="$scratch/cache" \
XDG_RUNTIME_DIR="$scratch/runtime" KYB_REQUIRE_KEYRING=1 KYB_REQUIRE_POSTGRES=1 KYB_REQUIRE_OIDC=1 \
  bash scripts/postgres.sh dbus-run-session -- bash -c '
    echo -n test-keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    cargo test --workspace --locked
  '

echo "== TypeScript bindings and recorded answers are up to date (ui/src/bindings written by ts-rs,"
echo "   ui/src/dev/recorded by src-tauri/tests/recorded_answers.rs, during the tests)"
for generated in ui/src/bindings ui/src/dev/recorded; do
  untracked="$(git ls-files --others --exclude-standard -- "$generated")"
  if ! git diff --exit-code --stat -- "$generated" || [ -n "$untracked" ]; then
    [ -z "$untracked" ] || printf 'not committed:\n%s\n' "$untracked"
    echo "$generated is stale: commit what the tests regenerated" >&2
    exit 1
  fi
done

bash scripts/e2e.sh # end-to-end: the release app over WebDriver under Xvfb (docs/e2e.md)
