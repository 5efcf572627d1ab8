#!/usr/bin/env bash
# Installs the browser the console's tests drive: Debian's chromium, when missing. The tests
# find it at /usr/bin/chromium (or at BACKOFFICE_CHROMIUM) and drive it with Playwright; no
# browser is downloaded.
set -euo pipefail

if [ -x "${BACKOFFICE_CHROMIUM:-/usr/bin/chromium}" ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "chromium is missing; install it with: sudo apt-get install chromium fonts-dejavu-core" >&2
  exit 1
fi
echo "installing chromium from Debian's packages ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
