#!/usr/bin/env python3
"""What an agent pays to name a node: exact tokens of `doc#id` against the node's handle.

    bench/handle_tokens.py build/og ../shared/bench/corpus

Lists every node of the folder with `og search --json`, writes each name to its own file and
counts them with `og tokens` (exact cl100k_base), then prints a table for docs/benchmarks.md.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile


def main():
    og, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    listing = subprocess.run([og, "search", ".", "--json", "-k", "0"], cwd=root,
                             capture_output=True, text=True, check=True)
    entries = json.loads(listing.stdout)["entries"]
    kinds = {"doc#id": lambda e: e["doc"].removeprefix("./") + "#" + e["id"],
             "id": lambda e: e["id"], "handle": lambda e: e["handle"]}
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for kind, name_of in kinds.items():
            for i, e in enumerate(entries):
                if not name_of(e):
                    continue
                path = os.path.join(tmp, f"{kind.replace('#', '_')}-{i}")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(name_of(e))
                files.setdefault(kind, []).append(path)
        print(f"{len(entries)} nodes, {len(entries) - len(files['handle'])} without a handle\n")
        print("| name | median tokens | mean | max |\n|---|---:|---:|---:|")
        for kind, paths in files.items():
            out = subprocess.run([og, "tokens", *paths], capture_output=True, text=True, check=True)
            counts = [int(line.split("\t")[0]) for line in out.stdout.splitlines()[:-1]]
            print(f"| `{kind}` | {statistics.median(counts):g} | {statistics.mean(counts):.1f} | {max(counts)} |")


if __name__ == "__main__":
    main()
