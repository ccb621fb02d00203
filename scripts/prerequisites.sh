#!/usr/bin/env bash
# Makes sure this machine can run the stack: the .NET SDK, and a MySQL-compatible server binary (MariaDB 10.11+
# or MySQL 8), which it installs through apt when missing and allowed (root, or sudo without a password).
set -euo pipefail
export PATH="$PATH:/usr/sbin:/usr/local/sbin"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET SDK 10.0.401 (global.json) is required: https://dotnet.microsoft.com/download" >&2
  exit 1
fi

if command -v mariadbd >/dev/null 2>&1 || command -v mysqld >/dev/null 2>&1; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "No MySQL-compatible server found. Install MariaDB 10.11+ or MySQL 8 so that 'mariadbd' or 'mysqld' is on PATH," >&2
  echo "or start the stack against an existing server: ./run.sh --database-server 'Server=...;User ID=...;Password=...'" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "No MySQL-compatible server found. Install one, then run this again:  sudo apt-get install -y mariadb-server" >&2
  exit 1
fi
echo "Installing MariaDB (apt-get install mariadb-server)..." >&2
"${sudo[@]}" apt-get update -q >&2
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends mariadb-server >&2
