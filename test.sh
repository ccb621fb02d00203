#!/usr/bin/env bash
# Builds the whole solution (the AppHost included) and the orchestrator's Lambda package (Native AOT), renders the
# Kubernetes base (scripts/render-kubernetes.sh), then runs every test, in four projects: UnitTests (pure rules, the
# deployment files), ApiTests (every endpoint, the services hosted in the test process against the database of the
# AppHost's model) and IntegrationTests (the AppHost's processes, for faults, replicas, the Lambda package driven through
# a Runtime API emulator, the trace) side by side; then ConsoleTests (the operator console in headless Chromium) on its
# own, so that a browser does not slow the others down. The AppHost runs through Aspire's testing builder: private
# database, free ports, beside any ./run.sh.
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter "FullyQualifiedName~Customers".
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

scripts/prerequisites.sh --browser
dotnet build Challenge.sln -c Release -nologo -v minimal
scripts/package-lambda.sh
scripts/render-kubernetes.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Challenge.sln -c Release --no-build -nologo -p:BrowserTests=false "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
dotnet test ConsoleTests/ConsoleTests.csproj -c Release --no-build -nologo "$@" 2>&1 | tee -a "$log"
console=${PIPESTATUS[0]}
[ "$status" -ne 0 ] || status=$console
set -e

# One closing line for the whole run, summed over the test projects.
awk '/^(Passed!|Failed!) +-/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Passed:") passed += $(i + 1)
         if ($i == "Failed:") failed += $(i + 1)
         if ($i == "Skipped:") skipped += $(i + 1)
       }
     }
     END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
exit "$status"
