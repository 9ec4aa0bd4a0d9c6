#!/usr/bin/env bash
# End-to-end tests of the desktop app (docs/e2e.md): the release build with the UI compiled in,
# driven over WebDriver (tauri-driver + WebKitWebDriver) under Xvfb, in a private D-Bus session
# with an unlocked gnome-keyring, with throw-away HOME/XDG folders.
#
#   bash scripts/e2e.sh                 build what is needed, run every e2e test
#   bash scripts/e2e.sh settings        only tests whose name contains "settings"
#   KYB_E2E_SKIP_BUILD=1 bash scripts/e2e.sh   reuse the last build (faster re-runs)
#   KYB_E2E_TESTS="e2e_settings" bash scripts/e2e.sh   only these test targets (tests/tests/<name>.rs)
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

# The e2e test targets: tests/tests/e2e_*.rs except the screenshot, measurement and soak runs, which
# have their own scripts (scripts/screenshots.sh, scripts/measure.sh and scripts/soak.sh set KYB_E2E_TESTS).
test_args=()
if [ -n "${KYB_E2E_TESTS:-}" ]; then
  for name in $KYB_E2E_TESTS; do test_args+=(--test "$name"); done
else
  for f in tests/tests/e2e_*.rs; do
    name="$(basename "$f" .rs)"
    case "$name" in e2e_screenshots | e2e_measure | e2e_soak | e2e_memory_probe | e2e_ipc_probe) continue ;; esac
    test_args+=(--test "$name")
  done
fi

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

  echo "== building the app (release, UI compiled in) and the e2e tests"
  cargo build --release -p kyb-desk --features custom-protocol --locked
  cargo test -p kyb-tests "${test_args[@]}" --locked --no-run
fi

[ -x "$KYB_DESK_BIN" ] || { echo "no app binary at $KYB_DESK_BIN" >&2; exit 1; }
[ -x "$TAURI_DRIVER" ] || { echo "no tauri-driver at $TAURI_DRIVER" >&2; exit 1; }
mkdir -p "$KYB_E2E_ARTIFACTS"

scratch="$(mktemp -d)"
# A portal may still be unmounting its FUSE folder under runtime/ when the session ends.
trap 'rm -rf "$scratch" 2>/dev/null || { sleep 1; rm -rf "$scratch"; }' EXIT
mkdir -p "$scratch"/{home,data,config,cache,runtime}
chmod 700 "$scratch/runtime"

echo "== e2e tests (Xvfb, private D-Bus session, unlocked gnome-keyring)"
# A failing flow prints its own report (screenshot path, page text, app log); a Rust backtrace of
# the harness adds nothing. NO_COLOR keeps the app's log readable in that report.
export RUST_BACKTRACE="${E2E_BACKTRACE:-0}" NO_COLOR=1
# Cargo and rustup still need the real home for their toolchains and registry.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
# xvfb-run outside dbus-run-session: services D-Bus activates (portals, a11y) see $DISPLAY too.
# -a picks a free display number (machines are shared); 24-bit colour for faithful screenshots.
HOME="$scratch/home" XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" \
XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/runtime" \
  xvfb-run -a -s "-screen 0 1920x1200x24 -nolisten tcp" \
  dbus-run-session -- bash -c '
    echo -n e2e-keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    cargo test -p kyb-tests --locked --no-fail-fast "$@"
  ' e2e "${test_args[@]}" -- --ignored --test-threads=1 "$@"
