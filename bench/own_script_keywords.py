#!/usr/bin/env python3
"""Keywords in a page's own script (issue #14): per language folder of tldr-pages in
../shared/scale (unpacked), `og transpile` of the folder, then how many files get a keyword in
the script their language is written in, keywords per file, and their share in that script.

    python3 bench/own_script_keywords.py build/og DIR/tldr [--languages zh,zh_TW,ja,ko,th,ru,de]

Prints a Markdown table.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

SCRIPTS = {"zh": r"[\u4e00-\u9fff]", "zh_TW": r"[\u4e00-\u9fff]",
           "ja": r"[\u3040-\u30ff\u4e00-\u9fff]", "ko": r"[\uac00-\ud7af]",
           "th": r"[\u0e00-\u0e7f]", "ru": r"[\u0400-\u04ff]", "ar": r"[\u0600-\u06ff]",
           "de": r"[a-zäöüß]"}


def keywords(path):
    with open(path, encoding="utf-8") as f:
        return [k.strip() for line in f if line.startswith(":keywords ")
                for k in line[len(":keywords "):].split(",")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("og")
    parser.add_argument("tldr", help="the unpacked tldr folder (holds pages.xx)")
    parser.add_argument("--languages", default="zh,zh_TW,ja,ko,th,ru,ar")
    args = parser.parse_args()
    print("| language | files | with a keyword in its script | keywords per file | in its script |")
    print("|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as work:
        for lang in args.languages.split(","):
            pages = os.path.join(args.tldr, "pages." + lang)
            if lang not in SCRIPTS or not os.path.isdir(pages):
                sys.exit("own_script_keywords: no pages.%s under %s (or no script for it)"
                         % (lang, args.tldr))
            out = os.path.join(work, lang)
            subprocess.run([args.og, "transpile", pages, "-o", out], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            files = with_own = total = own = 0
            for d, _, names in os.walk(out):
                for name in names:
                    found = keywords(os.path.join(d, name))
                    mine = [k for k in found if re.search(SCRIPTS[lang], k)]
                    files += 1
                    with_own += bool(mine)
                    total += len(found)
                    own += len(mine)
            print("| %s | %d | %d (%.0f%%) | %.1f | %.2f |"
                  % (lang, files, with_own, 100.0 * with_own / max(files, 1),
                     total / max(files, 1), own / max(total, 1)))
            shutil.rmtree(out)


if __name__ == "__main__":
    main()
