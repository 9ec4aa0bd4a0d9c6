#!/usr/bin/env bash
# Launch-to-interactive time, keystroke-to-inline-error time and idle memory of the release app
# (definitions: docs/e2e.md).
# Median of N runs (default 10); each run is a first launch on fresh folders and the same app
# started again. Once with the app's own rendering choice (CPU drawing on a machine without a GPU,
# src-tauri/src/rendering.rs) and once with WebKit's defaults (KYB_DESK_RENDERING=webkit).
# The measuring tool is tests/src/bin/measure.rs, run inside scripts/e2e.sh's session (which builds
# what is needed).
#   bash scripts/measure.sh [runs]
#   KYB_E2E_SKIP_BUILD=1 KYB_MEASURE_IDLE_SECS=5 bash scripts/measure.sh 10
set -euo pipefail
cd "$(dirname "$0")/.."
export KYB_MEASURE_RUNS="${1:-${KYB_MEASURE_RUNS:-10}}"
skip="${KYB_E2E_SKIP_BUILD:-0}"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
failed=0
for variant in app-choice webkit-defaults; do
  echo "== measuring: $variant ($KYB_MEASURE_RUNS runs)"
  if [ "$variant" = webkit-defaults ]; then
    export KYB_DESK_RENDERING=webkit
  else
    unset KYB_DESK_RENDERING
  fi
  status=0
  KYB_E2E_TOOL=measure KYB_MEASURE_LABEL="$variant" KYB_E2E_SKIP_BUILD="$skip" \
    bash scripts/e2e.sh 2>&1 | tee -a "$out" | { grep -E '^run [0-9]+|FAILED|panicked|^error' || true; } || status=$?
  [ "$status" -eq 0 ] || { echo "== measuring $variant failed (exit status $status)"; failed=1; }
  skip=1 # built once is enough
done
echo
# The summaries: from each "== KYB Desk measurements" line to its idle_rss_sum line.
sed -n '/^== KYB Desk measurements/,/^idle_rss_sum_mib/p' "$out"
[ "$failed" -eq 0 ]
