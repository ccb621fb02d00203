#!/usr/bin/env bash
# Makes sure this machine can run the stack and build the Lambda package: the .NET SDK, a MySQL-compatible server
# binary (MariaDB 10.11+ or MySQL 8), Native AOT's native toolchain (clang, zlib1g-dev), curl (which fetches the
# Kubernetes renderer: scripts/render-kubernetes.sh), python3 (which zips the Lambda package and unzips the renderer)
# and the time zones (tzdata: a test runs the services in another zone); with --browser (test.sh), Chromium and a font for
# the console's browser tests. What is missing is installed through apt when allowed (root, or sudo without a password).
set -euo pipefail
export PATH="$PATH:/usr/sbin:/usr/local/sbin"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET SDK 10.0.401 (global.json) is required: https://dotnet.microsoft.com/download" >&2
  exit 1
fi

packages=()
command -v mariadbd >/dev/null 2>&1 || command -v mysqld >/dev/null 2>&1 || packages+=(mariadb-server)
command -v clang >/dev/null 2>&1 || packages+=(clang)
[ -f /usr/include/zlib.h ] || packages+=(zlib1g-dev)
command -v curl >/dev/null 2>&1 || packages+=(curl ca-certificates)
command -v python3 >/dev/null 2>&1 || packages+=(python3)
[ -e /usr/share/zoneinfo/Etc/GMT+5 ] || packages+=(tzdata)
if [ "${1:-}" = "--browser" ]; then
  command -v chromium >/dev/null 2>&1 || packages+=(chromium)
  [ -d /usr/share/fonts/truetype/liberation ] || packages+=(fonts-liberation)
fi
[ ${#packages[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing: ${packages[*]}. Install MariaDB 10.11+ or MySQL 8 (so that 'mariadbd' or 'mysqld' is on PATH), clang," >&2
  echo "zlib's headers, curl and python3; or run the stack against existing databases: set ConnectionStrings__customersdb and ConnectionStrings__ordersdb" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "Missing: ${packages[*]}. Install them, then run this again:  sudo apt-get install -y ${packages[*]}" >&2
  exit 1
fi
echo "Installing ${packages[*]} (apt-get)..." >&2
"${sudo[@]}" apt-get update -q >&2
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}" >&2
