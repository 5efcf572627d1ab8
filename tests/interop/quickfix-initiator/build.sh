#!/bin/sh
# Builds the QuickFIX initiator used by the FIX interoperability tests.
# Usage: build.sh OUTPUT   (needs g++ and Debian's libquickfix-dev)
set -eu
here=$(dirname "$0")
g++ -std=c++14 -O1 -Wno-deprecated -Wno-deprecated-declarations -o "$1" "$here/initiator.cpp" -lquickfix -lpthread
