#!/usr/bin/env bash
# Screenshots of the main screens (open customer, editor with inline errors, review diff,
# settings, and the editor in a Production environment pointed at the built-in sandbox with its
# demo credentials: production-editor) in light and dark, from the real release app under Xvfb, into
# docs/screenshots/<screen>-<theme>.png (docs/e2e.md); the editor with problems, Review changes,
# Drafts and the document review also at 1024x700 and 1440x900 into
# docs/screenshots/layout/<screen>-<width>x<height>-<theme>.png. The tool is tests/src/bin/screenshots.rs, run
# inside scripts/e2e.sh's session (which builds what is needed).
#   KYB_E2E_SKIP_BUILD=1 bash scripts/screenshots.sh   reuse the last build
set -euo pipefail
cd "$(dirname "$0")/.."
export KYB_SCREENSHOTS_DIR="${KYB_SCREENSHOTS_DIR:-$PWD/docs/screenshots}"
mkdir -p "$KYB_SCREENSHOTS_DIR"
skip="${KYB_E2E_SKIP_BUILD:-0}"
# WebDriver's screenshot never answers while WebKit paints without compositing (the app's choice
# on a machine without a GPU, src-tauri/src/rendering.rs; seen 2026-12-03), so the screenshots
# are taken on WebKit's own path: the page looks the same.
export KYB_DESK_RENDERING="${KYB_DESK_RENDERING:-webkit}"
for theme in light dark; do
  echo "== screenshots: $theme"
  KYB_E2E_TOOL=screenshots KYB_SCREENSHOT_THEME="$theme" KYB_E2E_SKIP_BUILD="$skip" bash scripts/e2e.sh
  skip=1 # built once is enough
done
ls -l "$KYB_SCREENSHOTS_DIR"/*.png
