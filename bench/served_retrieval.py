#!/usr/bin/env python3
"""Retrieval as an MCP client gets it (issue #16): the bench corpus served by `og serve --http`
as one tree, optionally with distractor files beside it, every question asked of the whole tree
through the `search_index` and `resolve_context` tools.

    python3 bench/served_retrieval.py build/og ../shared/bench [--distractors DIR --count N]
                                      [--k 3] [--ratio 0.5] [--work build/served-retrieval]

Per question: search_index(question, limit k), the entries scoring at least `ratio` of the
top kept, resolve_context(those, depth full). Delivered tokens: each kept entry's index line
(`tokens.index`) plus the resolved nodes' exact tokens; full injection: the question's document
(`og tokens`). Covered: every evidence string in the resolved texts, whitespace collapsed (as
bench_retrieval). Distractors: N files of DIR evenly spaced in path order, copied into the tree.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scale  # noqa: E402  (its Server: og serve --http on a free port)


def collapse(text):
    return " ".join(text.split())


def copy_tree(bench, distractors, count, tree):
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(os.path.join(bench, "corpus"), os.path.join(tree, "bench"))
    if not distractors:
        return 0
    files = sorted(os.path.relpath(os.path.join(d, f), distractors)
                   for d, _, names in os.walk(distractors) for f in names
                   if f.endswith((".md", ".markdown", ".og")))
    if count and count < len(files):
        files = [files[i * len(files) // count] for i in range(count)]
    for rel in files:
        target = os.path.join(tree, "distractors", rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(distractors, rel), target)
    return len(files)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("og")
    parser.add_argument("bench", help="a folder in the ../shared/bench format")
    parser.add_argument("--distractors")
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--ratio", type=float, default=0.5)
    parser.add_argument("--no-group", action="store_true", help="group_by_document: false")
    parser.add_argument("--work", default=os.path.join("build", "served-retrieval"))
    args = parser.parse_args()
    tree = os.path.join(args.work, "tree")
    os.makedirs(args.work, exist_ok=True)
    n = copy_tree(args.bench, args.distractors, args.count, tree)
    questions = [json.loads(l) for l in open(os.path.join(args.bench, "questions.jsonl")) if l.strip()]
    full = {}
    for q in questions:
        if q["doc"] not in full:
            out = subprocess.run([args.og, "tokens", os.path.join(args.bench, q["doc"])],
                                 check=True, capture_output=True, text=True).stdout
            full[q["doc"]] = int(re.findall(r"\d+", out)[0])
    server = scale.Server(args.og, tree, os.path.join(args.work, "index"), args.work)
    try:
        totals = {}
        for q in questions:
            search = {"query": q["question"], "limit": args.k}
            if args.no_group:
                search["group_by_document"] = False
            entries = server.call("search_index", search)["entries"]
            kept = [e for e in entries if e["score"] >= args.ratio * entries[0]["score"]]
            tokens = sum(e["tokens"]["index"] for e in kept)
            text = ""
            if kept:
                nodes = server.call("resolve_context", {
                    "ids": [e["doc"] + "#" + e["id"] for e in kept], "depth": "full"})["nodes"]
                tokens += sum(node["tokens"] for node in nodes)
                text = "".join(node["text"] for node in nodes)
            covered = all(collapse(e) in collapse(text) for e in q["evidence"])
            first = bool(entries) and entries[0]["doc"] == "bench/" + q["doc"][len("corpus/"):]
            for key in ("all", q["class"]):
                t = totals.setdefault(key, [0, 0, 0, 0, 0])
                t[0] += 1
                t[1] += covered
                t[2] += tokens
                t[3] += full[q["doc"]]
                t[4] += first
    finally:
        server.close()
    print("og serve --http over %s: %d bench documents + %d distractors, search_index k=%d, "
          "ratio %.2f%s, then resolve_context (full)\n" % (
              tree, len(full), n, args.k, args.ratio, ", ungrouped" if args.no_group else ""))
    print("| questions | n | coverage | tokens | reduction | right document first |")
    print("|---|---:|---:|---:|---:|---:|")
    for key in sorted(totals, key=lambda k: (k != "all", k)):
        c, covered, tokens, full_tokens, first = totals[key]
        print("| %s | %d | %.3f | %.0f | %.3f | %.3f |" % (
            key, c, covered / c, tokens / c, 1 - tokens / full_tokens, first / c))


if __name__ == "__main__":
    main()
