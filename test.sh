#!/usr/bin/env bash
# Runs every test suite, PostgreSQL included. On a fresh Debian machine it installs what the
# tests need from Debian's packages (PostgreSQL 15; QuickFIX with g++ for the FIX interoperability
# test; hledger and beancount for the differential tests of our exports; Chromium for the
# console's browser tests; the DejaVu fonts the client documents embed and poppler-utils' pdftoppm,
# which renders a statement to PNG) and starts PostgreSQL
# on a loopback port.
# The last line it prints is the total: "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

results=artifacts/test-results
pg_dir=${TMPDIR:-/tmp}/backoffice-test-pg
pg_port=${BACKOFFICE_TEST_PG_PORT:-55432}
rm -rf "$results"
mkdir -p "$results"

scripts/quickfix.sh
scripts/peers.sh
scripts/chromium.sh
scripts/documents.sh

if [ -z "${BACKOFFICE_TEST_PG:-}" ]; then
  BACKOFFICE_TEST_PG=$(scripts/postgres.sh start "$pg_dir" "$pg_port")
  export BACKOFFICE_TEST_PG
  trap 'scripts/postgres.sh stop "$pg_dir"' EXIT
fi

dotnet build BackOffice.slnx -c Release -warnaserror -nologo -clp:ErrorsOnly

status=0
format_failed=0
# Formatting and analyzer style are part of the build's contract (.editorconfig).
if ! dotnet format BackOffice.slnx --verify-no-changes --no-restore >&2; then
  echo "dotnet format: the tree is not formatted; run 'dotnet format BackOffice.slnx'" >&2
  format_failed=1; status=1
fi
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done

passed=0; failed=$format_failed; skipped=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  trx="$results/$name.trx"
  if [ ! -f "$trx" ]; then
    echo "$name: no test results (the test host did not finish)" >&2
    failed=$((failed + 1)); status=1; continue
  fi
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
