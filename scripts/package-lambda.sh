#!/usr/bin/env bash
# Publishes the orchestrator with Native AOT for AWS Lambda's provided.al2023 runtime (x86_64) and zips it:
# artifacts/orchestrator-lambda.zip holds the executable `bootstrap` at its root, beside appsettings.json.
# Needs clang and zlib1g-dev (scripts/prerequisites.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

publish=artifacts/lambda/publish
package=artifacts/lambda/package
rm -rf "$publish" "$package" artifacts/orchestrator-lambda.zip
dotnet publish OrchestratorLambda/OrchestratorLambda.csproj -c Release -r linux-x64 -o "$publish" -nologo -v quiet
mkdir -p "$package"
cp "$publish/OrchestratorLambda" "$package/bootstrap"
cp "$publish/appsettings.json" "$package/"
chmod 755 "$package/bootstrap"
# Python's zipfile keeps the executable bit, which Lambda needs on bootstrap; no zip binary required.
(cd "$package" && python3 -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for name in sys.argv[2:]:
        z.write(name)' ../../orchestrator-lambda.zip bootstrap appsettings.json)
echo "artifacts/orchestrator-lambda.zip: $(du -h artifacts/orchestrator-lambda.zip | cut -f1) (bootstrap $(du -h "$package/bootstrap" | cut -f1))" >&2
