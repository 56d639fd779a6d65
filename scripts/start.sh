#!/usr/bin/env bash
# Installs what is missing, builds the UI and the app (sharing the test build's artifacts), and
# opens Notice Studio on the seed template with its example tenant. `npm run dev` is the
# hot-reloading development mode instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
npm run --silent ui:build
exec cargo run --quiet --manifest-path src-tauri/Cargo.toml --features ts,custom-protocol --bin notice-studio
