#!/usr/bin/env bash
# Re-pins the base images of docker/service.Dockerfile, docker/db-init.Dockerfile and docker-compose.yml to the digests
# their tags name today.
# Needs docker with buildx and access to the registries (the build machines have neither: run it where they are).
set -euo pipefail
cd "$(dirname "$0")/.."
files=(docker/service.Dockerfile docker/db-init.Dockerfile docker-compose.yml)
for image in mcr.microsoft.com/dotnet/sdk:10.0 mcr.microsoft.com/dotnet/aspnet:10.0 mysql:8.4; do
  digest=$(docker buildx imagetools inspect "$image" --format '{{json .Manifest.Digest}}' | tr -d '"')
  sed -i -E "s#(${image//./\\.})@sha256:[0-9a-f]{64}#\1@${digest}#g" "${files[@]}"
  echo "$image@$digest"
done
