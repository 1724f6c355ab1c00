#!/usr/bin/env bash
# Installs what the test suite needs beyond Java 17 and Maven: Debian's chromium and
# chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver), which the browser tests of
# report.html and 'admap serve' drive headless through Selenium, and tmux, in which the
# terminal tests of the progress bars run. Nothing is downloaded by the tests themselves.
#
# Does nothing when all are installed. Otherwise installs them with apt-get
# (non-interactive; as root, or through sudo). Where there is no apt-get, or no way to
# become root, it says so and exits 0: the browser tests then skip with a message.
# An apt-get that fails is an error (CI must not pass with its browser tests skipped).
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-deps: chromium, chromium-driver and tmux are installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-deps: no apt-get here: install ${missing[*]} yourself (the tests that need them skip)" >&2
  exit 0
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "install-test-deps: not root and no sudo: install ${missing[*]} as root (the tests that need them skip)" >&2
    exit 0
  fi
fi

echo "install-test-deps: installing ${missing[*]} (Debian packages)"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q "${missing[@]}"
tmux -V
/usr/bin/chromium --version 2>/dev/null | grep -v '^\[' || true
/usr/bin/chromedriver --version
