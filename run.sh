#!/usr/bin/env bash
# Runs the whole stack through the Aspire AppHost: the database, db-init, the services on 3000-3003, the operator
# console on 3004 and the dashboard (its login URL is printed). Ctrl-C or SIGTERM stops it all.
#   ./run.sh [--environment NAME] [--fresh] [--replicas N]   NAME: Development (default; anonymous calls allowed) or
#       Production; --fresh starts from an empty database (the sample data only); --replicas N runs N instances of each
#       service behind the same ports. Outside Development the console signs people in with OpenID Connect: give it
#       OpenIdConnect:Authority=URL OpenIdConnect:ClientId=ID OpenIdConnect:ClientSecret=SECRET (README, "Operator console")
#   ./run.sh token --role operator|client|service --audience <resource> [--subject SUB] [--customer ID] [--expires-in S] [--not-before S] [--issuer I]
#   ./run.sh secret [--signer operator|<service>]   a fresh ES256 key pair, for a deployment
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

case "${1:-}" in
  -h|--help|help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  token|secret)
    # Only the small token tool is built; its output goes to stderr, so that stdout holds nothing but the token.
    dotnet build TokenTool/TokenTool.csproj -c Release -nologo -v quiet -clp:NoSummary 1>&2
    exec dotnet TokenTool/bin/Release/net10.0/TokenTool.dll "$@" ;;
esac
arguments=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fresh)
      # The database's files (AppHost.cs: MySqlDataVolume): the local server's folder, or the container's volume.
      rm -rf AppHost/.data/challenge-mysql-data
      if command -v docker >/dev/null 2>&1; then docker volume rm -f challenge-mysql-data >/dev/null 2>&1 || true; fi ;;
    --replicas)
      if [[ "${2:-}" =~ ^[1-8]$ ]]; then arguments+=("Replicas=$2"); shift; else echo "--replicas takes 1 to 8" >&2; exit 2; fi ;;
    *) arguments+=("$1") ;;
  esac
  shift
done
scripts/prerequisites.sh
dotnet build AppHost/AppHost.csproj -c Release -nologo -v quiet -clp:NoSummary
cat <<'BANNER'
Starting the AppHost (launch profile "http"):
  orchestrator   http://localhost:3000   (docs: /api-docs)
  customers-api  http://localhost:3001   (docs: /api-docs)
  orders-api     http://localhost:3002   (docs: /api-docs)
  order-events   http://localhost:3003   (the webhook dispatcher: /health)
  console        http://localhost:3004   (the operator console: open it in a browser)
  database       127.0.0.1:3307, user root, password: dotnet user-secrets list --project AppHost
  dashboard      its login URL is printed below ("Login to the dashboard at ...")
BANNER
exec dotnet run --project AppHost/AppHost.csproj -c Release --no-build --launch-profile http -- "${arguments[@]}"
