#!/usr/bin/env bash
# The main job on the embedded default: builds BackOffice, runs a demo business day on a fresh
# SQLite database (demo.db), adds one demo user per role, then serves the HTTP API and the
# operations console on http://127.0.0.1:5080/console until Ctrl+C.
# With --no-serve it stops after the business day.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build src/BackOffice.Host -c Release -nologo -clp:ErrorsOnly
backoffice() { dotnet src/BackOffice.Host/bin/Release/net10.0/backoffice.dll "$@"; }
backoffice demo --db demo.db --force
[ "${1:-}" = "--no-serve" ] && exit 0

# Demo users, one per role, all with the password below: for this demo database only.
password=demo-password-1
for user in maker:operations-maker checker:operations-checker accountant:accountant \
            compliance:compliance-officer auditor:auditor admin:administrator frontoffice:front-office; do
  echo "$password" | backoffice users add "${user%%:*}" --role "${user#*:}" --password-stdin --db demo.db >/dev/null
done
url=${BACKOFFICE_URLS:-http://127.0.0.1:5080}
echo
echo "console: $url/console  (users maker, checker, accountant, compliance, auditor, admin; password $password)"
echo "API:     $url/openapi/v1.json  (keys: backoffice api-keys issue frontoffice --db demo.db)"
if command -v xdg-open >/dev/null && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  (sleep 2; xdg-open "$url/console" >/dev/null 2>&1 || true) &
fi
# The key that encrypts the console's session keys in the database, kept beside it, readable by us only.
if [ ! -s demo.console.key ]; then
  (umask 077; head -c 32 /dev/urandom | base64 > demo.console.key)
fi
exec dotnet src/BackOffice.Host/bin/Release/net10.0/backoffice.dll serve --db demo.db --urls "$url" --console-key-file demo.console.key
