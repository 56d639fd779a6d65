#!/usr/bin/env bash
# Every test Notice Studio has, in one run: formatting and lints, generated-type drift, Rust unit
# and integration tests, fuzz smoke runs, frontend lint and tests, the exported HTML through the
# Nu HTML checker, and end-to-end tests of the real app in a real (virtual) window.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
export PATH="$HOME/.cargo/bin:$PATH"

# Each step says how long the run has taken so far, so a slow CI run shows where its time went.
started=$SECONDS
step() { printf '\n==> [%dm%02ds] %s\n' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)) "$*"; }
# A one-off build gains nothing from incremental caches, which only cost disk and time.
if [[ -n "${CI:-}" ]]; then export CARGO_INCREMENTAL=0; fi

step "setup"
scripts/setup.sh --test

# One feature set for every Rust step (ts: binding export; custom-protocol: the UI embedded, as
# the end-to-end tests need it), so nothing is compiled twice.
features=ts,custom-protocol

step "Tauri crate and npm packages on one pinned version"
node scripts/check-versions.mjs

step "build the UI (embedded into the app)"
npm run --silent ui:build >/dev/null

step "cargo fmt --check"
(cd src-tauri && cargo fmt --all -- --check)

step "cargo clippy -D warnings"
(cd src-tauri && cargo clippy --workspace --all-targets --features "$features" -- -D warnings)

step "Rust tests (unit, integration, proptest, CLI; also regenerates the TypeScript bindings; prints the checks' precision and recall report)"
(cd src-tauri && cargo test --workspace --features "$features")

step "generated TypeScript types are up to date"
if ! git diff --quiet -- ui/src/lib/bindings || [[ -n "$(git ls-files --others --exclude-standard ui/src/lib/bindings)" ]]; then
  git --no-pager diff --stat -- ui/src/lib/bindings
  echo "ui/src/lib/bindings drifted from the Rust types: commit the regenerated files"
  exit 1
fi

step "Jinja2 differential suite: the engine's text against Python's Jinja2 (corpus + 1,000 generated templates)"
# The engine's side is the jinja_text example, which `cargo test` above has built with the same
# features (a separate `cargo build -p notice-engine` would resolve features anew and recompile).
JINJA_TEXT_BIN=src-tauri/target/debug/examples/jinja_text tests/.venv/bin/python tests/jinja/differential.py --quiet

step "Synapse consent pages against a real Synapse (PyPI matrix-synapse, loopback only)"
NOTICE_BIN=src-tauri/target/debug/notice tests/synapse/run.sh

step "fuzz smoke runs (cargo-fuzz: render + checks, Typst markup, front matter, tenant files)"
# 20 s per target keeps a CI run well inside its half hour; long runs: FUZZ_SECONDS=3600.
FUZZ_SECONDS=${FUZZ_SECONDS:-20} tests/fuzz/run.sh

step "scale checks: render + check of a 1 MB template and of 500 fields (printed, never asserted)"
(cd src-tauri && cargo bench --quiet --workspace --features "$features" --profile dev --bench render -- \
  scale --warm-up-time 1 --measurement-time 3 2>&1 | grep -E "^scale/|time:")

step "frontend lint and tests"
npm run --silent lint:ui
npm run --silent test:ui

step "exported HTML passes the Nu HTML checker"
tests/html/validate.sh

step "end-to-end tests (real app, Xvfb, tauri-driver, WebKitWebDriver)"
tests/e2e/run.sh

step "all tests passed"
