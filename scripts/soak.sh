#!/usr/bin/env bash
# Soak of the release app (goal: idle memory growth over 500 open → edit → review → submit
# cycles; method in docs/e2e.md): one launch, N cycles through the UI against the built-in
# sandbox, PSS of the whole process tree sampled after idling. The tool is tests/src/bin/soak.rs,
# run inside scripts/e2e.sh's session (which builds what is needed).
#   bash scripts/soak.sh [cycles]
#   KYB_E2E_SKIP_BUILD=1 KYB_SOAK_CYCLES=500 KYB_SOAK_IDLE_SECS=5 KYB_SOAK_WARMUP=20 bash scripts/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export KYB_SOAK_CYCLES="${1:-${KYB_SOAK_CYCLES:-500}}"
# The whole output (sample lines, a failing cycle's step and page text) is kept next to the e2e
# artifacts.
artifacts="${KYB_E2E_ARTIFACTS:-${CARGO_TARGET_DIR:-$HOME/.cache/kyb-desk/target}/e2e-artifacts}"
mkdir -p "$artifacts"
out="$artifacts/soak-output.txt"
echo "== soak: $KYB_SOAK_CYCLES cycles"
status=0
KYB_E2E_TOOL=soak bash scripts/e2e.sh 2>&1 | tee "$out" \
  | { grep -E '^soak (sample|cycle)|FAILED|panicked|did not submit|^error' || true; } || status=$?
echo
# The summary: from the "== KYB Desk soak" line to the soak_cycles_ok line.
sed -n '/^== KYB Desk soak/,/^soak_cycles_ok/p' "$out"
echo "(full output: $out)"
[ "$status" -eq 0 ] || { echo "the soak failed (exit status $status)" >&2; exit 1; }
