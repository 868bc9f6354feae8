#!/usr/bin/env python3
"""What og makes of doc-site Markdown, per site (issue #14): one table for docs/benchmarks.md.

    bench/dialects.py build/og ../shared/dialects

For each site folder: `og transpile DIR -o OUT`, then per file `og strip` of the output against
the source (byte for byte), `og check` of the plain folder, and from the transpiled text: files
without a node, dense summaries that open with dialect syntax, warning-kind admonitions and
alerts that sit in a node typed `.warning`, links to other documents (`[[wikilinks]]`, relative
`.md` links: as a regular expression counts them in the source, as `og check` reads them, and
how many of those name a document of the site), and the size growth.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

SUFFIXES = (".md", ".markdown", ".mdx")
DIALECT_DENSE = re.compile(
    r"^\s*(!!!|\?\?\?|:::|=== |\{\{|\{%|\{:|\{\s*[#.]|<!--|\[![A-Za-z]+\]|"
    r"(note|tip|info|warning|danger|abstract|example|question|quote|success|failure|bug|caution|"
    r"important|attention) (\"|annotate|inline))")
WARNING_OPENER = re.compile(
    r"^\s*(?:(?:!!!|\?\?\?\+?)\s+(warning|danger|caution|attention|important|failure|bug|error)\b"
    r"|:::\s*(warning|danger|caution|important)\b"
    r"|>\s*\[!(warning|caution|important)\]"
    r"|\{:[^}]*\.(warning|danger|caution)\s*\})", re.IGNORECASE)
HEADING = re.compile(r"^#{1,6}\s")
MARKER = re.compile(r"^\{#[^}]*\}\s*$")
TYPE_IN_LIST = re.compile(r"\{[^}]*\.warning\b[^}]*\}\s*#*\s*$")
DOC_LINK = re.compile(r"\[\[[^\]]+\]\]|\]\((?!https?:|mailto:|#)[^)\s]+\.(?:md|markdown|og)(?:#[^)]*)?\)")


def documents(root):
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            if name.lower().endswith(SUFFIXES):
                yield os.path.join(folder, name)


def warning_coverage(text):
    """(warning-kind openers, those inside a node typed .warning) in a transpiled text."""
    typed, openers, inside = False, 0, 0
    fence = False
    for line in text.splitlines():
        if line.startswith("```") or line.startswith("~~~"):
            fence = not fence
        if fence:
            continue
        if HEADING.match(line) or MARKER.match(line):
            typed = bool(TYPE_IN_LIST.search(line)) or ".warning" in line.split("}")[0]
            continue
        if WARNING_OPENER.match(line):
            openers += 1
            inside += typed
    return openers, inside


def site_row(og, site, tmp):
    out = os.path.join(tmp, os.path.basename(site))
    run = subprocess.run([og, "transpile", site, "-o", out, "--json"], capture_output=True,
                         text=True)
    report = json.loads(run.stdout) if run.stdout.strip().startswith("{") else {}
    refused = len(report.get("failed", []))
    outputs = {os.path.realpath(f["path"]): f["output"] for f in report.get("files", [])
               if f.get("output")}
    check = subprocess.run([og, "check", site, "--json"], capture_output=True, text=True)
    checked = json.loads(check.stdout)
    errors = sum(1 for f in checked.get("files", [])
                 for d in f.get("diagnostics", []) if d.get("severity") == "error")
    row = dict(files=0, refused=refused, strip_diff=0, no_node=0, dense=0, dialect_dense=0,
               warnings=0, warnings_typed=0, links=0, bytes_in=0, bytes_out=0, errors=errors,
               links_read=checked.get("links", {}).get("to_documents", 0),
               links_found=checked.get("links", {}).get("resolved", 0))
    for path in documents(site):
        row["files"] += 1
        source = open(path, "rb").read()
        row["bytes_in"] += len(source)
        row["links"] += len(DOC_LINK.findall(source.decode("utf-8", "replace")))
        target = outputs.get(os.path.realpath(path))
        if not target or not os.path.exists(target):
            continue
        written = open(target, "rb").read()
        row["bytes_out"] += len(written)
        stripped = subprocess.run([og, "strip", target], capture_output=True).stdout
        row["strip_diff"] += stripped != source
        shown = subprocess.run([og, "show", target, "--json"], capture_output=True, text=True)
        try:
            nodes = json.loads(shown.stdout).get("entries", [])
        except json.JSONDecodeError:
            nodes = []
        row["no_node"] += not [n for n in nodes if not n.get("id", "").startswith("__")]
        text = written.decode("utf-8", "replace")
        # The summaries a reader gets: `:dense` lines and the first sentences derived where
        # transpile wrote none (docs/spec.md, views).
        for n in nodes:
            if n.get("dense") and not n.get("id", "").startswith("__"):
                row["dense"] += 1
                row["dialect_dense"] += bool(DIALECT_DENSE.match(n["dense"]))
        openers, inside = warning_coverage(text)
        row["warnings"] += openers
        row["warnings_typed"] += inside
    return row


def main():
    og, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    print("| site | files | refused | strip ≠ source | og check errors | files without a node "
          "| dense opening with dialect syntax | warning admonitions typed `.warning` "
          "| links to documents: in the text / read / found | size growth |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for site in sorted(os.listdir(root)):
            path = os.path.join(root, site)
            if not os.path.isdir(path):
                continue
            r = site_row(og, path, tmp)
            typed = f"{r['warnings_typed']} / {r['warnings']}" if r["warnings"] else "—"
            growth = r["bytes_out"] / r["bytes_in"] - 1 if r["bytes_in"] else 0
            print(f"| {site} | {r['files']} | {r['refused']} | {r['strip_diff']} | {r['errors']} "
                  f"| {r['no_node']} | {r['dialect_dense']} / {r['dense']} | {typed} "
                  f"| {r['links']} / {r['links_read']} / {r['links_found']} | {growth:+.0%} |",
                  flush=True)


if __name__ == "__main__":
    main()
