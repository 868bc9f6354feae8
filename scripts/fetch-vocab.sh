#!/usr/bin/env bash
# Unpacks the tokenizer vocabularies (cl100k_base, o200k_base) from the npm `tiktoken` package
# into DIR (default build/vocab). Set-up time only: og never downloads at run time.
set -euo pipefail
dir=${1:-build/vocab}
version=1.0.22
[ -f "$dir/cl100k_base.json" ] && [ -f "$dir/o200k_base.json" ] && exit 0
command -v npm >/dev/null || { echo "fetch-vocab: npm is needed (apt-get install npm)" >&2; exit 2; }
mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "tiktoken@$version" >/dev/null && tar xzf "tiktoken-$version.tgz")
cp "$work/package/encoders/cl100k_base.json" "$work/package/encoders/o200k_base.json" "$dir/"
echo "fetch-vocab: tiktoken $version encoders in $dir" >&2
