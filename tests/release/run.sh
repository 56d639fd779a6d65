#!/usr/bin/env bash
# The app as users install it (`npm run test:release`; CI runs it after `npm test`): builds the
# release packages (`npm run bundle`), checks the .deb with lintian and both packages' contents,
# unpacks the .deb into a temporary root (`dpkg -x`, no root rights needed) and runs the seed
# smoke test, the document-app tests and the file-type test against the installed binary under
# Xvfb, then removes the root. Prints the package and installed sizes, and the release app's
# figures (the smoke test's cold start, keystroke and memory lines). With NOTICE_RELEASE_FLEET=N
# (`npm run bench` sets 10,000) it also runs the fleet e2e with N tenants against the installed
# app and prints its open and filter times.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"

started=$SECONDS
step() { printf '\n==> [%dm%02ds] %s\n' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)) "$*"; }

step "setup"
scripts/setup.sh --test

step "release packages (npm run bundle)"
npm run --silent bundle

version=$(sed -n 's/^version = "\(.*\)"/\1/p' src-tauri/Cargo.toml | head -1)
deb=$(ls src-tauri/target/release/bundle/deb/*_"$version"_amd64.deb)
rpm=$(ls src-tauri/target/release/bundle/rpm/*-"$version"-1.x86_64.rpm)

step "lintian: no error on the .deb"
# Warnings and notes are printed; errors fail the run.
lintian --fail-on error --no-tag-display-limit "$deb"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root"

step "package contents (.deb unpacked, .rpm listed)"
tests/release/contents.sh "$root" "$deb" "$rpm"

step "the installed app under Xvfb: seed smoke test, document app, file type"
NOTICE_STUDIO_APP="$root/usr/bin/notice-studio" NOTICE_CLI="$root/usr/bin/notice" \
  NOTICE_INSTALL_ROOT="$root" \
  tests/e2e/run.sh tests/e2e/app.test.mjs tests/e2e/document-app.test.mjs tests/release/file-type.test.mjs

if [[ -n "${NOTICE_RELEASE_FLEET:-}" ]]; then
  step "the installed app with a workspace of $NOTICE_RELEASE_FLEET tenants (fleet e2e)"
  NOTICE_STUDIO_APP="$root/usr/bin/notice-studio" NOTICE_CLI="$root/usr/bin/notice" \
    NOTICE_INSTALL_ROOT="$root" NOTICE_FLEET_TENANTS="$NOTICE_RELEASE_FLEET" \
    tests/e2e/run.sh tests/e2e/fleet.test.mjs
fi

step "release tests passed"
