#!/usr/bin/env bash
# README "Run": builds KYB Desk (release, bundled UI) and starts it. With nothing configured it
# starts its built-in partner-API sandbox in process, with demo customers, badged SANDBOX.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kyb-desk/target}"
(cd ui && npm ci --no-audit --no-fund && npm run build)
cargo build --release --locked -p kyb-desk --features custom-protocol -p kyb-cli
exec "$CARGO_TARGET_DIR/release/kyb-desk" "$@"
