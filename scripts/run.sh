#!/usr/bin/env bash
# The main job: install, build, then run the reference host with the plugin on examples/pyrite.yaml.
# Every event is printed as a CloudEvents JSON line; Ctrl+C stops.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
exec build/bin/pyrite-host --config examples/pyrite.yaml --print-events "$@"
