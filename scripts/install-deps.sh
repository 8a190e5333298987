#!/usr/bin/env bash
# Installs what pyrite-eventbus needs to build, run and test, from Debian 12's packages (the build
# and the browser test also take pinned packages from the npm registry, through npm ci).
# Safe to run again: it calls apt-get only when something is missing. The postgresql package is
# for the tests, which start throw-away servers of their own; nothing runs it as a service.
set -euo pipefail

packages=(
    build-essential cmake ninja-build git
    qt6-base-dev qt6-base-private-dev qt6-websockets-dev qt6-httpserver-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    libqt6sql6-sqlite libqt6sql6-psql
    libyaml-cpp-dev libssl-dev libsqlite3-dev
    python3 python3-dev python3-pip python3-venv python3-jsonschema python3-typer python3-yaml pybind11-dev
    postgresql
    clang libclang-rt-14-dev
    chromium
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
# npm fetches Cytoscape.js for the graph page at build time, and playwright-core for the browser
# test. Any Node.js with npm does (a machine may have one from elsewhere; Debian's otherwise).
if ! command -v npm >/dev/null 2>&1; then
    missing+=(nodejs npm)
fi
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages are installed"
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
