#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test KYB Desk.
# Idempotent: installs only the missing apt packages; safe to run again.
set -euo pipefail

APT_PACKAGES=(
  build-essential pkg-config file curl
  libwebkit2gtk-4.1-dev libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev
  xvfb xauth webkit2gtk-driver
  dbus dbus-x11 gnome-keyring libsecret-1-dev keyutils
  postgresql
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node.js for the UI build (Vite 7 needs 20.19+ or 22.12+). Installed from apt when missing;
# an older one is reported rather than replaced.
if ! command -v npm >/dev/null; then
  echo "installing: nodejs npm"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
node_version="$(node -p 'process.versions.node' 2>/dev/null || echo 0)"
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit((a===20&&b>=19)||(a===22&&b>=12)||a>22?0:1)' 2>/dev/null; then
  echo "Node.js $node_version is too old for the UI build: install Node.js 20.19+ or 22.12+" >&2
  exit 1
fi

if ! command -v cargo >/dev/null; then
  echo "cargo is missing: install Rust with rustup (https://rustup.rs) and run this again" >&2
  exit 1
fi
