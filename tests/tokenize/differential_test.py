#!/usr/bin/env python3
"""Differential test: `og tokens --ids` against the real tiktoken (npm, run by node).

    differential_test.py OG NODE_MODULES SHARED_DIR

For both encodings, every file of ../shared/bench/corpus, every example of the conformance
suites, and a generated adversarial set must give identical token ids. Prints one line per
set and encoding, then "N passed, N failed".
"""
import json
import os
import random
import subprocess
import sys
import tempfile

OG, MODULES, SHARED = (os.path.abspath(a) for a in sys.argv[1:4])
HERE = os.path.dirname(os.path.abspath(__file__))
FENCE = "`" * 32


def conformance_examples(out_dir):
    paths = []
    root = os.path.join(SHARED, "conformance")
    for dirpath, _, names in sorted(os.walk(root)):
        for name in sorted(names):
            if not name.endswith(".txt"):
                continue
            lines = open(os.path.join(dirpath, name), encoding="utf-8").read().split("\n")
            i = 0
            while i < len(lines):
                if lines[i].startswith(FENCE + " example"):
                    j = i + 1
                    body = []
                    while j < len(lines) and lines[j] != FENCE:
                        body.append(lines[j])
                        j += 1
                    text = "\n".join(body).replace("\u2192", "\t") + "\n"
                    path = os.path.join(out_dir, f"{os.path.basename(dirpath)}-{name}-{len(paths)}.md")
                    with open(path, "w", encoding="utf-8", newline="") as f:
                        f.write(text)
                    paths.append(path)
                    i = j
                i += 1
    return paths


def adversarial(out_dir):
    """Inputs aimed at the pre-tokenizer's edges and the BPE merge loop."""
    rnd = random.Random(20261124)
    pieces = [
        "Hello", "world", " ", "  ", "\t", "\n", "\r\n", "\r", "\u00a0", "\u3000", "\u2028", "\u0085",
        "don't", "DON'T", "we've", "I'M", "they'll", "'s", "'S", "it\u017fs", "'\u017f", "''", "'",
        "123", "4567890", "\u0661\u0662\u0663", "\u2167", "\u00bd", "1,234.56",
        "\u65e5\u672c\u8a9e", "\ud55c\uad6d\uc5b4", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "\u0939\u093f\u0928\u094d\u0926\u0940",
        "\u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22", "\u05e2\u05d1\u05e8\u05d9\u05ea", "\u0420\u0443\u0441\u0441\u043a\u0438\u0439",
        "e\u0301", "a\u0308\u0323", "\u0301\u0301", "\u1e9e", "\u01c5", "\u02b0", "\u00aa", "\u3005",
        "\U0001f600", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f1fa\U0001f1f8", "\u2764\ufe0f",
        "\U0001f44d\U0001f3fd", "...", "!!!", "/", "//", "/*", "*/", "<|endoftext|>", "<|fim_prefix|>",
        "CamelCaseWord", "HTTPServer", "iPhone", "\u01c4\u01c5\u01c6", "x=1;", "#!", "```", "$$",
        "\ufeff", "\u200b", "\ufffd", "\x00", "\x7f", "\x0b", "\x0c",
    ]
    texts = []
    for _ in range(600):
        texts.append("".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 40))))
    texts += [
        " " * 5000, "\n" * 3000, " \n" * 2000, "\t \r\n " * 1000, "a" * 20000, "ab" * 9000,
        "9" * 10000, "\U0001f600" * 2000, "x" + " " * 300 + "y", "A" * 500 + "b" * 500,
        "".join(chr(c) for c in range(0x20, 0x2000) if not 0xd800 <= c <= 0xdfff),
        "\u00e9" * 4000, "supercalifragilistic" * 400, "'s" * 3000, "/\n/\r\n" * 500,
    ]
    paths = []
    for i, text in enumerate(texts):
        path = os.path.join(out_dir, f"adversarial-{i}.txt")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        paths.append(path)
    return paths


def tiktoken_ids(encoding, paths):
    out = subprocess.run(["node", os.path.join(HERE, "tiktoken_ids.cjs"), MODULES, encoding, *paths],
                         capture_output=True, text=True, check=True).stdout
    return {r["path"]: r["ids"] for r in map(json.loads, out.splitlines())}


def og_ids(encoding, paths):
    out = subprocess.run([OG, "tokens", "--json", "--ids", "-e", encoding, *paths],
                         capture_output=True, text=True, check=True).stdout
    return {f["path"]: f["ids"] for f in json.loads(out)["files"]}


def main():
    corpus_dir = os.path.join(SHARED, "bench", "corpus")
    corpus = sorted(os.path.join(d, n) for d, _, ns in os.walk(corpus_dir) for n in ns if n.endswith(".md"))
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        sets = {"bench corpus": corpus, "conformance examples": conformance_examples(tmp),
                "adversarial": adversarial(tmp)}
        for encoding in ("cl100k_base", "o200k_base"):
            for name, paths in sets.items():
                expected, actual = tiktoken_ids(encoding, paths), og_ids(encoding, paths)
                bad = [p for p in paths if expected[p] != actual.get(p)]
                tokens = sum(len(v) for v in expected.values())
                print(f"{encoding} {name}: {len(paths) - len(bad)}/{len(paths)} identical ({tokens} tokens)")
                for p in bad[:3]:
                    e, a = expected[p], actual.get(p, [])
                    i = next((k for k in range(min(len(e), len(a))) if e[k] != a[k]), min(len(e), len(a)))
                    print(f"  {p}: first difference at token {i}: tiktoken {e[i:i+5]} og {a[i:i+5]}")
                failed += len(bad)
                passed += len(paths) - len(bad)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
