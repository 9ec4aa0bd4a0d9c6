#!/usr/bin/env bash
# Dependency policy (docs/security.md): licences, sources (crates.io only) and duplicated crates,
# per .cargo/deny.toml. Runs offline after the build (scripts/test.sh). Installs cargo-deny on
# first use: about 6 minutes on 2 cores, once per machine.
set -euo pipefail
cd "$(dirname "$0")/.."

# The version this configuration was written and checked against (it reads Cargo.lock v4).
deny_version=0.20.2

if ! cargo deny --version >/dev/null 2>&1; then
  echo "== installing cargo-deny $deny_version (first run only)"
  # Its own temporary build folder: the workspace's shared target folder is for the workspace.
  env -u CARGO_TARGET_DIR cargo install --locked --version "$deny_version" cargo-deny
fi

# cargo-deny reads the metadata of every platform's crates offline: fetch them first (a no-op
# once they are in cargo's cache).
cargo fetch --locked --quiet

cargo deny --manifest-path Cargo.toml --config .cargo/deny.toml --locked --offline \
  check --hide-inclusion-graph bans licenses sources
