#!/usr/bin/env bash
# README "Run": builds and starts KYB Desk against its built-in sandbox when nothing is configured.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kyb-desk/target}"
cargo build --release -p kyb-cli --locked
exec "$CARGO_TARGET_DIR/release/kyb" sandbox "$@"
