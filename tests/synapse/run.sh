#!/usr/bin/env bash
# The bundled consent page, exported by the `notice` CLI, served by a real Synapse: registration,
# the consent page in each state, acceptance recorded in Synapse's database, and a major version
# bump that asks users again. Loopback only; builds nothing (NOTICE_BIN names the CLI).
#
#   NOTICE_BIN=src-tauri/target/debug/notice tests/synapse/run.sh
#
# matrix-synapse and jinja2 are installed from PyPI into tests/.venv-synapse on the first run and
# reused after (delete the folder to reinstall).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
notice=${NOTICE_BIN:-$repo/src-tauri/target/debug/notice}
venv=$repo/tests/.venv-synapse

if [[ ! -x $notice ]]; then
  echo "synapse consent: no notice CLI at $notice (build it: cargo build -p notice-cli, or set NOTICE_BIN)" >&2
  exit 2
fi
if ! "$venv/bin/python" -c 'import synapse, jinja2' 2>/dev/null; then
  echo "synapse consent: installing matrix-synapse and jinja2 into $venv (once)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check matrix-synapse jinja2
fi
exec "$venv/bin/python" "$here/consent_test.py" --notice "$notice" --repo "$repo"
