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
