#!/usr/bin/env bash
# End-to-end tests of the real app in a real window: builds the app (debug, UI embedded; or tests
# the binary NOTICE_STUDIO_APP names, as tests/release does), starts
# Xvfb and a D-Bus session, and runs the node:test suites, which start tauri-driver (and through
# it WebKitWebDriver and the app) themselves. Arguments: test files to run (default: all).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"

if [[ -n "${NOTICE_STUDIO_APP:-}" ]]; then
  # A given binary (the installed package, the release build): nothing to build.
  echo "==> testing $NOTICE_STUDIO_APP"
else
  echo "==> building the app (UI embedded; the same features as the Rust tests, so nothing rebuilds)"
  npm run --silent ui:build >/dev/null
  # `--tests` resolves features as `cargo test` does (dev-dependencies included); a plain build
  # would resolve them differently and compile every dependency, Typst too, a second time.
  (cd src-tauri && cargo build --quiet --workspace --features ts,custom-protocol --bins --tests)
fi

# A display of our own, even on a desktop: tests never open windows on the user's screen.
for n in $(seq 90 120); do
  [[ -e /tmp/.X$n-lock || -e /tmp/.X11-unix/X$n ]] || { display=$n; break; }
done
Xvfb ":$display" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
for _ in $(seq 50); do [[ -e /tmp/.X11-unix/X$display ]] && break; sleep 0.1; done
export DISPLAY=":$display"
# Known tauri-driver/WebKitGTK pitfalls under Xvfb: blank windows and accessibility-bus stalls.
export WEBKIT_DISABLE_COMPOSITING_MODE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 NO_AT_BRIDGE=1
export GDK_BACKEND=x11 LIBGL_ALWAYS_SOFTWARE=1

# The session also gets its own unlocked gnome-keyring (a throwaway keyring in a temporary
# folder), so the sign-off tests store a reviewer key in a real Secret Service, never the user's.
# It exits with the session's bus.
keyring_home=$(mktemp -d)
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$keyring_home"' EXIT
export KEYRING_HOME=$keyring_home
dbus-run-session -- sh -c '
  printf e2e | XDG_DATA_HOME="$KEYRING_HOME" gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec node --test --test-concurrency=1 --test-reporter=spec "$@"' sh "${@:-tests/e2e/}"
