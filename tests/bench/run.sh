#!/usr/bin/env bash
# Benchmarks, printed as ratios (never timed assertions in tests).
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/setup.sh --test
tests/.venv/bin/python tests/bench/seed.py
