#!/usr/bin/env bash
# Installs, builds and runs every test: the warnings-as-errors build, then the whole suite again
# under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/fetch-vocab.sh build/vocab
# The reference tokenizer for the differential test (tests/tokenize/differential_test.py).
[ -d build/npm/node_modules/tiktoken ] ||
  npm install --silent --no-audit --no-fund --prefix build/npm tiktoken@1.0.22
# The official MCP inspector, both lines, for the end-to-end tests of og serve.
[ -x build/npm-inspector1/node_modules/.bin/mcp-inspector ] ||
  npm install --silent --no-audit --no-fund --prefix build/npm-inspector1 @modelcontextprotocol/inspector@1.0.3
[ -x build/npm-inspector2/node_modules/.bin/mcp-inspector ] ||
  npm install --silent --no-audit --no-fund --prefix build/npm-inspector2 @modelcontextprotocol/inspector@2.12.0
# The official MCP conformance suite (0.1.13 is the last release that runs on Node 20).
[ -x build/npm-conformance/node_modules/.bin/conformance ] ||
  npm install --silent --no-audit --no-fund --prefix build/npm-conformance @modelcontextprotocol/conformance@0.1.13
jobs=$(nproc)
shared=(-DOG_VOCAB_DIR="$PWD/build/vocab" -DOG_NODE_MODULES="$PWD/build/npm/node_modules"
  -DOG_INSPECTOR1="$PWD/build/npm-inspector1/node_modules/.bin/mcp-inspector"
  -DOG_INSPECTOR2="$PWD/build/npm-inspector2/node_modules/.bin/mcp-inspector"
  -DOG_CONFORMANCE="$PWD/build/npm-conformance/node_modules/.bin/conformance")

# Everything explicit: a build/ that scripts/demo.sh configured has tests and benches off.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOG_WERROR=ON -DOG_BUILD_TESTS=ON \
  -DOG_BUILD_BENCH=ON "${shared[@]}"
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure --no-tests=error -j "$jobs"

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DOG_WERROR=ON -DOG_SANITIZE=ON \
  -DOG_BUILD_TESTS=ON -DOG_BUILD_BENCH=OFF \
  "${shared[@]}"
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure --no-tests=error -j "$jobs"
