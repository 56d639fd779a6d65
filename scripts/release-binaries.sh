#!/usr/bin/env bash
# The release binaries a package ships, made ready for the bundler (tauri.conf.json's
# beforeBundleCommand, so `npm run bundle` and `npx tauri build` both run it): the app and the
# `notice` CLI in one build, stripped, and the Debian changelog compressed as policy wants it.
set -euo pipefail
cd "$(dirname "$0")/.."
# One build for both binaries: built apart (as `tauri build` and a `-p notice-cli` build would),
# each resolves its dependencies' features differently and Typst and the engine compile twice.
(cd src-tauri && cargo build --release --quiet --workspace --bins --features custom-protocol)
# Packaged binaries carry no symbols or debug info (as Debian's dh_strip leaves them).
strip --strip-unneeded src-tauri/target/release/notice-studio src-tauri/target/release/notice
# The bundler's own `changelog` setting names the folder after the product ("Notice Studio"),
# not the package, where lintian and dpkg look for it.
mkdir -p src-tauri/target/release/packaging
gzip -9nc src-tauri/packaging/changelog >src-tauri/target/release/packaging/changelog.gz
