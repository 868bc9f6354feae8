#!/usr/bin/env python3
"""Runs bench_tokenize and tiktoken_bench.cjs on the same corpus, one after the other in one run,
and prints the comparison table of docs/benchmarks.md.

    bench/compare_tiktoken.py BUILD_DIR [CORPUS_DIR] [REPEAT]
"""
import json
import os
import subprocess
import sys

build = os.path.abspath(sys.argv[1])
corpus = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "../shared/bench/corpus")
repeat = sys.argv[3] if len(sys.argv) > 3 else "10"
here = os.path.dirname(os.path.abspath(__file__))

def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return {r["encoding"]: r for r in map(json.loads, out.splitlines())}

og = run([os.path.join(build, "bench", "bench_tokenize"), "--corpus", corpus, "--vocab",
          os.path.join(build, "vocab"), "--repeat", repeat])
tk = run(["node", os.path.join(here, "tiktoken_bench.cjs"), os.path.join(build, "npm", "node_modules"), corpus, repeat])
print("| encoding | impl | tokens | MB/s | Mtokens/s | og / tiktoken | load ms | vocabulary RSS MiB |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for enc in ("cl100k_base", "o200k_base"):
    for r in (og[enc], tk[enc]):
        mbps = r["bytes"] / 2**20 / r["seconds"]
        speed = tk[enc]["seconds"] / og[enc]["seconds"] if r is og[enc] else 1.0
        rss = f'{r["vocabulary_rss_mib"]:.1f}' if "vocabulary_rss_mib" in r else "–"
        print(f'| {enc} | {r["impl"]} | {r["tokens"]} | {mbps:.1f} | {r["tokens"] / r["seconds"] / 1e6:.2f} | '
              f'{speed:.2f}× | {r["load_ms"]:.1f} | {rss} |')
    if og[enc]["tokens"] != tk[enc]["tokens"]:
        print(f"token counts differ for {enc}", file=sys.stderr)
        sys.exit(1)
