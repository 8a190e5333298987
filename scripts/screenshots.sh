#!/usr/bin/env bash
# The graph page's pictures in docs/images, made from a real run of this build (pyrite-host on a
# copy of the example KBs, Debian's Chromium): bash scripts/screenshots.sh [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/bin/pyrite-host ] || bash scripts/build.sh
exec node tools/graph-screenshots.mjs --host build/bin/pyrite-host --plugins build/plugins \
    --modules "$PWD/build/browser-deps/node_modules" --chromium /usr/bin/chromium "$@"
