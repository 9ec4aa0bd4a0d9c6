#!/usr/bin/env bash
# Soak of the release app (goal: idle memory growth over 500 open → edit → review → submit
# cycles; method in docs/e2e.md): one launch, N cycles through the UI against the built-in
# sandbox, PSS of the whole process tree sampled after idling. Builds like scripts/e2e.sh.
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
KYB_E2E_TESTS=e2e_soak bash scripts/e2e.sh --nocapture 2>&1 | tee "$out" \
  | grep -E '^soak (sample|cycle)|test result|FAILED|panicked|did not submit' || true
echo
# The summary: from the "== KYB Desk soak" line to the soak_cycles_ok line.
sed -n '/^== KYB Desk soak/,/^soak_cycles_ok/p' "$out"
echo "(full output: $out)"
grep -q 'test result: ok. 1 passed' "$out"
