#!/usr/bin/env bash
# Runs the whole stack through the Aspire AppHost: the database, db-init, the three services on 3000-3002 and the
# dashboard (its login URL is printed). Ctrl-C or SIGTERM stops it all.
#   ./run.sh [AppHost arguments, e.g. --environment Production]
#   ./run.sh token --role operator|client|service --audience <resource> [--subject SUB] [--customer ID] [--expires-in S] [--not-before S] [--issuer I]
#   ./run.sh secret [--signer operator|<service>]   a fresh ES256 key pair, for a deployment
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

case "${1:-}" in
  -h|--help|help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  token|secret) ;;
  *) scripts/prerequisites.sh ;;
esac
# Build output goes to stderr so that `./run.sh token ...` prints nothing but the token on stdout.
dotnet build AppHost/AppHost.csproj -c Release -nologo -v quiet -clp:NoSummary 1>&2

case "${1:-}" in
  token|secret) exec dotnet AppHost/bin/Release/net10.0/AppHost.dll "$@" ;;
esac
cat <<'BANNER'
Starting the AppHost (launch profile "http"):
  orchestrator   http://localhost:3000   (docs: /api-docs)
  customers-api  http://localhost:3001   (docs: /api-docs)
  orders-api     http://localhost:3002   (docs: /api-docs)
  database       127.0.0.1:3307, user root, password in AppHost/.data/secrets.json
  dashboard      its login URL is printed below ("Login to the dashboard at ...")
BANNER
exec dotnet run --project AppHost/AppHost.csproj -c Release --no-build --launch-profile http -- "$@"
