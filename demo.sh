#!/usr/bin/env bash
# The main job on the embedded default: builds BackOffice and runs a demo business day on a
# fresh SQLite database (demo.db), printing balances and the audit head.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build src/BackOffice.Host -c Release -nologo -clp:ErrorsOnly
dotnet src/BackOffice.Host/bin/Release/net10.0/backoffice.dll demo --db demo.db --force
