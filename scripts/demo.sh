#!/usr/bin/env bash
# The main job on the bundled examples: install, build, then read a document the way an agent
# does — its index, one node's dense summary, then that node's full text — and the two
# primitives: a search, and a resolve that pulls in prerequisites within a token budget.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/fetch-vocab.sh build/vocab
# OG_WERROR off: a build/ that scripts/test.sh configured keeps it on in its cache.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DOG_WERROR=OFF -DOG_BUILD_TESTS=OFF \
  -DOG_BUILD_BENCH=OFF >/dev/null
cmake --build build --target og_cli

doc=examples/payments-deploy.og
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
step build/og check examples
step build/og show "$doc"
step build/og show "$doc#rollback" --depth dense
step build/og show "$doc#rollback" --depth full
step build/og search examples how do I roll back a release --limit 3
step build/og resolve examples rollback --role operator --max-tokens 200
step build/og stats "$doc"
