#!/usr/bin/env bash
# Installs the independent tools the tests check our output with: hledger (Debian's hledger) and
# beancount (Debian's python3-beancount, used through /usr/bin/python3) for the accounting
# exports, and xmllint (Debian's libxml2-utils) for the ISO 20022 messages, when missing.
set -euo pipefail

if command -v hledger >/dev/null && command -v xmllint >/dev/null && /usr/bin/python3 -c 'import beancount' 2>/dev/null; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "hledger, beancount or xmllint is missing; install them with: sudo apt-get install hledger python3-beancount libxml2-utils" >&2
  exit 1
fi
echo "installing hledger, python3-beancount and libxml2-utils from Debian's packages ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
apt-get -o DPkg::Lock::Timeout=600 install -y -qq hledger python3-beancount libxml2-utils >&2
