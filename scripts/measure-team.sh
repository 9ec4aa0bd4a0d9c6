#!/usr/bin/env bash
# Load on the team server (crates/kyb-server/benches/team_load.rs): simulated desktops prepare,
# push, get approved and submit against one and two instances on one throw-away PostgreSQL, with
# the demo sign-in provider and the partner sandbox; throughput, p50/p99 per operation, and the
# sandbox's count of each change (exactly once). Figures: docs/performance.md.
#   bash scripts/measure-team.sh
#   KYB_LOAD_DESKTOPS=10 KYB_LOAD_ROUNDS=2 bash scripts/measure-team.sh
set -euo pipefail
cd "$(dirname "$0")/.."
(cd scripts/oidc && npm ci --no-audit --no-fund >/dev/null)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kyb-desk/target}"
bash scripts/postgres.sh cargo bench -q -p kyb-server --bench team_load
