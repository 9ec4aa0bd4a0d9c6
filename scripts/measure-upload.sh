#!/usr/bin/env bash
# Memory of attaching a 10 MiB document in the release app under Xvfb: the peak rise of the app's
# process tree (kyb-desk and WebKit's processes, resident memory sampled every 10 ms) against the
# file's size (goal: under 3x), and a 60 MiB file refused by the page before it is read.
# The measuring tool is tests/src/bin/upload_memory.rs, run inside scripts/e2e.sh's session
# (which builds what is needed). Results: docs/performance.md.
#   bash scripts/measure-upload.sh
#   KYB_E2E_SKIP_BUILD=1 bash scripts/measure-upload.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
status=0
KYB_E2E_TOOL=upload_memory bash scripts/e2e.sh 2>&1 | tee "$out" | { grep -E 'FAILED|panicked|^error' || true; } || status=$?
echo
sed -n '/^== KYB Desk upload memory/,/^refused_60mib_message/p' "$out"
[ "$status" -eq 0 ] && grep -q '^== KYB Desk upload memory' "$out"
