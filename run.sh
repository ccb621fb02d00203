#!/usr/bin/env bash
# Runs the whole stack on this machine (database, db-init, every service); Ctrl-C stops it all.
#   ./run.sh [--fresh] [--environment NAME] [--database-server CONNECTION_STRING]
#   ./run.sh token --role operator|service --audience <resource> [--expires-in S] [--not-before S] [--issuer I]
#   ./run.sh secret        a fresh signing key and static service tokens, for a deployment
#   ./run.sh --help
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

case "${1:-}" in
  token|secret|help|-h|--help) ;;
  *) scripts/prerequisites.sh ;;
esac
# Build output goes to stderr so that `./run.sh token ...` prints nothing but the token on stdout.
dotnet build DevHost/DevHost.csproj -c Release -nologo -v quiet -clp:NoSummary 1>&2
exec dotnet DevHost/bin/Release/net10.0/DevHost.dll "$@"
