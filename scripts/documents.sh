#!/usr/bin/env bash
# Installs what the client documents need from Debian's packages, when missing: the DejaVu fonts
# the PDFs embed (fonts-dejavu-core; `backoffice documents` refuses to run without them), and
# pdftoppm (poppler-utils), with which the tests render a statement to PNG for a person to look at
# (a test tool only: the documents do not need it).
set -euo pipefail

fonts=/usr/share/fonts/truetype/dejavu
if [ -f "$fonts/DejaVuSans.ttf" ] && [ -f "$fonts/DejaVuSans-Bold.ttf" ] && command -v pdftoppm >/dev/null; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "the DejaVu fonts or pdftoppm are missing; install them with: sudo apt-get install fonts-dejavu-core poppler-utils" >&2
  exit 1
fi
echo "installing fonts-dejavu-core and poppler-utils from Debian's packages ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends fonts-dejavu-core poppler-utils >&2
