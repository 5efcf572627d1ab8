#!/usr/bin/env bash
# Installs the independent accounting tools the differential tests compare our exports with:
# hledger (Debian's hledger) and beancount (Debian's python3-beancount, used through
# /usr/bin/python3), when missing.
set -euo pipefail

if command -v hledger >/dev/null && /usr/bin/python3 -c 'import beancount' 2>/dev/null; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "hledger or beancount is missing; install them with: sudo apt-get install hledger python3-beancount" >&2
  exit 1
fi
echo "installing hledger and python3-beancount from Debian's packages ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
apt-get -o DPkg::Lock::Timeout=600 install -y -qq hledger python3-beancount >&2
