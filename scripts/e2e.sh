#!/usr/bin/env bash
# End-to-end tests of the desktop app (docs/e2e.md): the release build with the UI compiled in,
# driven over WebDriver (tauri-driver + WebKitWebDriver) under Xvfb, in a private D-Bus session
# with an unlocked gnome-keyring, with throw-away HOME/XDG folders.
#
#   bash scripts/e2e.sh                 build what is needed, run every e2e test
#   bash scripts/e2e.sh settings        only tests whose name contains "settings"
#   KYB_E2E_SKIP_BUILD=1 bash scripts/e2e.sh   reuse the last build (faster re-runs)
#   KYB_E2E_TESTS="e2e_settings" bash scripts/e2e.sh   only these modules (tests/tests/<name>.rs)
#   KYB_E2E_TOOL=soak bash scripts/e2e.sh [args]   run a measuring tool (tests/src/bin/<name>.rs:
#       measure, soak, screenshots, ipc_probe, memory_probe) instead of the tests; scripts/measure.sh,
#       soak.sh and screenshots.sh do this
#
# Failure screenshots and logs go to $KYB_E2E_ARTIFACTS (default $CARGO_TARGET_DIR/e2e-artifacts).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

bash scripts/install-deps.sh

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kyb-desk/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
tools="$HOME/.cache/kyb-desk/tools"

# Everything below runs with a temporary HOME, so resolve tool paths now.
export TAURI_DRIVER="$tools/bin/tauri-driver"
export KYB_NATIVE_DRIVER="${KYB_NATIVE_DRIVER:-/usr/bin/WebKitWebDriver}"
export KYB_DESK_BIN="${KYB_DESK_BIN:-$CARGO_TARGET_DIR/release/kyb-desk}"
export KYB_E2E_ARTIFACTS="${KYB_E2E_ARTIFACTS:-$CARGO_TARGET_DIR/e2e-artifacts}"

tool="${KYB_E2E_TOOL:-}"
if [ -n "$tool" ] && [ ! -f "tests/src/bin/$tool.rs" ]; then
  echo "KYB_E2E_TOOL=$tool: no tests/src/bin/$tool.rs" >&2
  exit 1
fi
# The e2e tests are the ignored tests of the kyb-tests integration binary, in its modules
# e2e_*:: (tests/tests/e2e_*.rs). Every module not asked for is skipped (--skip <module>::), so
# the non-e2e modules never run here and a name filter given on the command line narrows further.
wanted="${KYB_E2E_TESTS:-$(cd tests/tests && ls e2e_*.rs | sed 's/\.rs$//')}"
for name in $wanted; do
  [ -f "tests/tests/$name.rs" ] || {
    echo "KYB_E2E_TESTS: no tests/tests/$name.rs (the measuring tools run with KYB_E2E_TOOL)" >&2
    exit 1
  }
done
wanted=" $(echo $wanted) " # one line, for the match below
skips=()
for f in tests/tests/*.rs; do
  name="$(basename "$f" .rs)"
  [ "$name" != main ] || continue
  case "$wanted" in *" $name "*) ;; *) skips+=(--skip "$name::") ;; esac
done

if [ "${KYB_E2E_SKIP_BUILD:-0}" != 1 ]; then
  if [ ! -x "$TAURI_DRIVER" ]; then
    echo "== installing tauri-driver into $tools"
    cargo install tauri-driver --version '^2' --locked --root "$tools"
  fi

  echo "== building the UI"
  command -v npm >/dev/null || { echo "npm is missing: install Node.js 20 or newer" >&2; exit 1; }
  (
    cd ui
    # npm ci wipes node_modules: only when the lock file changed since the last install.
    if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
      npm ci --no-audit --no-fund
    fi
    # Rebuild only when a UI source is newer than the last build: a fresh ui/dist makes cargo
    # re-embed it and re-link the release app (minutes with LTO).
    if [ ! -f dist/index.html ] || [ -n "$(find . \( -path ./node_modules -o -path ./dist \) -prune -o -type f \
        -newer dist/index.html -print -quit)" ]; then
      npm run build
    else
      echo "ui/dist is up to date"
    fi
  )

  echo "== the team tests' parts: the demo OpenID Connect provider (scripts/oidc) and its stand-in browser"
  (cd scripts/oidc && { [ -d node_modules ] || npm ci --no-audit --no-fund; })
  cargo build -p kyb-server --features test-support --bin kyb-demo-browser --locked

  echo "== building the app (release, UI compiled in) and the e2e tests or tool"
  cargo build --release -p kyb-desk --features custom-protocol --locked
  if [ -n "$tool" ]; then
    cargo build -p kyb-tests --bin "$tool" --locked
  else
    cargo test -p kyb-tests --test integration --locked --no-run
  fi
fi

[ -x "$KYB_DESK_BIN" ] || { echo "no app binary at $KYB_DESK_BIN" >&2; exit 1; }
[ -x "$TAURI_DRIVER" ] || { echo "no tauri-driver at $TAURI_DRIVER" >&2; exit 1; }
mkdir -p "$KYB_E2E_ARTIFACTS"

scratch="$(mktemp -d)"
# A portal may still be unmounting its FUSE folder under runtime/ when the session ends.
trap 'rm -rf "$scratch" 2>/dev/null || { sleep 1; rm -rf "$scratch"; }' EXIT
mkdir -p "$scratch"/{home,data,config,cache,runtime}
chmod 700 "$scratch/runtime"

echo "== e2e ${tool:-tests} (Xvfb, private D-Bus session, unlocked gnome-keyring)"
# A failing flow prints its own report (screenshot path, page text, app log); a Rust backtrace of
# the harness adds nothing. NO_COLOR keeps the app's log readable in that report.
export RUST_BACKTRACE="${E2E_BACKTRACE:-0}" NO_COLOR=1
# Cargo and rustup still need the real home for their toolchains and registry.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
# The tools are built in the same (debug) profile the tests use, as when they were tests.
if [ -n "$tool" ]; then
  command=(cargo run -p kyb-tests --bin "$tool" --locked --quiet -- "$@")
else
  command=(cargo test -p kyb-tests --test integration --locked --no-fail-fast -- --ignored --test-threads=1 "${skips[@]}" "$@")
fi
# The team tests sign people in with this stand-in browser (each app runs it with the provider's
# URL) against a throw-away PostgreSQL (scripts/postgres.sh) and the demo provider.
export KYB_DEMO_BROWSER="${KYB_DEMO_BROWSER:-$CARGO_TARGET_DIR/debug/kyb-demo-browser}"
export KYB_REQUIRE_POSTGRES=1 KYB_REQUIRE_OIDC=1
# xvfb-run outside dbus-run-session: services D-Bus activates (portals, a11y) see $DISPLAY too.
# -a picks a free display number (machines are shared); 24-bit colour for faithful screenshots.
bash scripts/postgres.sh env HOME="$scratch/home" XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" \
XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/runtime" \
  xvfb-run -a -s "-screen 0 1920x1200x24 -nolisten tcp" \
  dbus-run-session -- bash -c '
    echo -n e2e-keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    "$@"
  ' e2e "${command[@]}"
