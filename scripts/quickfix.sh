#!/usr/bin/env bash
# Installs QuickFIX (the C++ FIX engine, Debian's libquickfix-dev) and g++ when missing: the FIX
# interoperability tests build a QuickFIX initiator from tests/interop/quickfix-initiator.
set -euo pipefail

if [ -f /usr/include/quickfix/SocketInitiator.h ] && command -v g++ >/dev/null; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "QuickFIX is missing; install it with: sudo apt-get install libquickfix-dev g++" >&2
  exit 1
fi
echo "installing libquickfix-dev and g++ from Debian's packages ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
apt-get -o DPkg::Lock::Timeout=600 install -y -qq libquickfix-dev g++ >&2
