#!/usr/bin/env bash
# What `make lint-js` needs: Node.js and npm (Debian's when the machine has none), then ESLint
# and Prettier exactly as package-lock.json pins them (npm ci: a clean node_modules/ each time
# the lockfile changes). With CI=true anything missing is installed, or the run fails.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  echo "installing Debian's nodejs and npm"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq nodejs npm >/dev/null
fi
# ESLint 10 runs on Node.js 20.19 and later.
node -e '
  const [major, minor] = process.versions.node.split(".").map(Number);
  process.exit(major > 20 || (major === 20 && minor >= 19) ? 0 : 1);
' || { echo "ESLint needs Node.js >= 20.19, this machine has $(node --version)" >&2; exit 1; }

npm ci --no-audit --no-fund --loglevel=error
touch node_modules/.installed
