#!/usr/bin/env bash
# Release packages with the Tauri bundler: a .deb and an .rpm of the release app, with the
# `notice` CLI, the bundled templates, a desktop entry, hicolor icons and the tenant file type
# (see bundle in src-tauri/tauri.conf.json). An AppImage is not made: its tools are downloaded
# from GitHub at build time, which is outside the package registries this project relies on.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
scripts/setup.sh
# Refuses Tauri crate and npm versions that differ, as `tauri build` would.
node scripts/check-versions.mjs
npm run --silent ui:build
# Its beforeBundleCommand (scripts/release-binaries.sh) builds the app and the CLI in one release
# build and strips them; `npx tauri build` works too, with one more build of the app on its own.
npx tauri bundle --ci --bundles deb,rpm
out=src-tauri/target/release/bundle
echo
for f in "$out"/deb/*.deb "$out"/rpm/*.rpm; do
  printf '%s  %s KB\n' "$f" "$(( $(stat -c %s "$f") / 1024 ))"
done
