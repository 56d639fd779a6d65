#!/usr/bin/env bash
# Benchmarks, printed as ratios (never timed assertions in tests).
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/setup.sh --test
# The PDF comparison runs Debian's Chromium; only the benchmark needs it.
if ! command -v chromium >/dev/null; then
  sudo_cmd=(); (( EUID == 0 )) || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends chromium
fi
tests/.venv/bin/python tests/bench/seed.py
tests/.venv/bin/python tests/bench/pdf.py
tests/.venv/bin/python tests/bench/batch.py
# Fleet scale: cold and warm status, a status after one template edit, publish throughput and
# peak memory for a generated workspace of 10,000 tenants × the seed family (release build; PDF
# is not part of it, so the build leaves Typst out).
(cd src-tauri && cargo build --quiet --release -p notice-engine --no-default-features --example fleet)
fleet_dir=$(mktemp -d)
trap 'rm -rf "$fleet_dir"' EXIT
src-tauri/target/release/examples/fleet 10000 "$fleet_dir/ws" 1000
# The release app, as users install it: `npm run test:release` builds the packages, prints their
# sizes and the installed size, and runs the seed smoke test against the unpacked .deb, which
# prints its cold start, keystroke → painted preview and memory (RSS and PSS per process, after
# opening the seed and after 1,000 re-renders) next to the debug figures of `npm test`, then
# opens a workspace of 10,000 tenants in it (cold, then warm from the status cache) and filters it.
NOTICE_RELEASE_FLEET=10000 tests/release/run.sh
