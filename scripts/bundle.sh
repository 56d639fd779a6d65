#!/usr/bin/env bash
# Release packages with the Tauri bundler: a .deb and an .rpm of the release app, with the
# `notice` CLI, the bundled templates, a desktop entry, hicolor icons and the tenant file type
# (see bundle in src-tauri/tauri.conf.json). An AppImage is not made: its tools are downloaded
# from GitHub at build time, which is outside the package registries this project relies on.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
scripts/setup.sh
# `tauri build` runs the UI build (beforeBuildCommand), the release app, the release CLI
# (beforeBundleCommand) and the bundler, and refuses Tauri crate and npm versions that differ.
npx tauri build --ci --bundles deb,rpm
out=src-tauri/target/release/bundle
echo
for f in "$out"/deb/*.deb "$out"/rpm/*.rpm; do
  printf '%s  %s KB\n' "$f" "$(( $(stat -c %s "$f") / 1024 ))"
done
