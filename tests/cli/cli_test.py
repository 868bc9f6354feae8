#!/usr/bin/env python3
"""End-to-end tests of the real `og` binary: output, JSON schemas and exit codes.

    cli_test.py path/to/og
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

OG = os.path.abspath(sys.argv.pop(1)) if len(sys.argv) > 1 else "og"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")


def og(*args, stdin=None, cwd=None):
    return subprocess.run([OG, *args], input=stdin, capture_output=True, text=True, cwd=cwd)


class InTempDir(unittest.TestCase):
    """Each test gets its own folder; write() puts a file in it."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="og-cli-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return path


class Cli(InTempDir):

    def test_help_everywhere(self):
        top = og("--help")
        self.assertEqual(top.returncode, 0)
        for sub in ["check", "fmt", "roundtrip", "render", "graph", "stats", "show", "tokens", "search", "resolve",
                    "assert", "commit", "changes"]:
            self.assertIn(sub, top.stdout)
            r = og(sub, "--help")
            self.assertEqual(r.returncode, 0, sub)
            self.assertIn("Usage", r.stdout, sub)

    def test_usage_errors_exit_2(self):
        self.assertEqual(og().returncode, 2)
        self.assertEqual(og("frobnicate").returncode, 2)
        self.assertEqual(og("check").returncode, 2)
        self.assertEqual(og("show", "x.og", "--depth", "huge").returncode, 2)

    def test_check_examples_clean(self):
        r = og("check", EXAMPLES)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("0 errors", r.stderr)

    def test_check_reports_with_caret_and_exit_1(self):
        path = self.write("bad.og", "# A {#a confidence=2}\n:requires #nope\n")
        r = og("check", path)
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"{path}:1:9: error[OG0022]: confidence must be a number from 0 to 1, not `2`\n"
                      "    1 | # A {#a confidence=2}\n"
                      "      |         ^~~~~~~~~~~\n", r.stdout)
        self.assertIn(f"{path}:2:11: error[OG0050]", r.stdout)

    def test_check_batch_continues_past_unreadable_files(self):
        good = self.write("good.md", "# Fine\n")
        r = og("check", os.path.join(self.dir, "missing.og"), good)
        self.assertEqual(r.returncode, 2)
        self.assertIn("missing.og: no such file or directory", r.stderr)
        self.assertIn("1 file, 0 errors", r.stderr)

    def test_check_json_schema(self):
        path = self.write("w.og", "# A\n:note x\n")
        r = og("check", "--json", path)
        self.assertEqual(r.returncode, 0)
        report = json.loads(r.stdout)
        self.assertEqual(report["schema"], "og.check/1")
        self.assertEqual(report["warnings"], 1)
        d = report["files"][0]["diagnostics"][0]
        self.assertEqual((d["code"], d["severity"], d["line"], d["column"]), ("OG0030", "warning", 2, 1))
        self.assertEqual(og("check", "--strict", path).returncode, 1)

    def test_check_cross_file_edges_load_from_disk(self):
        self.write("ops/b.og", "# B {#b}\n")
        a = self.write("a.og", "# A\n:requires ops/b.og#b\n:see-also ops/b.og#c\n")
        r = og("check", a)
        self.assertEqual(r.returncode, 1)
        self.assertIn("which has no node `#c`", r.stdout)
        self.assertEqual(r.stdout.count("error["), 1)

    def test_fmt_check_write_and_atomicity(self):
        path = self.write("f.og", "# A {.steps   #a}\n:see-also #a\n:dense  D\ntext  stays  \n")
        r = og("fmt", "--check", path)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, path + "\n")
        printed = og("fmt", path)
        self.assertEqual(printed.stdout, "# A {#a .steps}\n:dense D\n:see-also #a\ntext  stays  \n")
        self.assertEqual(og("fmt", "--write", path).returncode, 0)
        with open(path, encoding="utf-8") as f:
            self.assertEqual(f.read(), printed.stdout)
        self.assertEqual(og("fmt", "--check", path).returncode, 0)
        self.assertEqual(sorted(os.listdir(self.dir)), ["f.og"])
        self.assertEqual(og("fmt", "--check", "--write", path).returncode, 2)
        report = json.loads(og("fmt", "--check", "--json", path).stdout)
        self.assertEqual(report, {"schema": "og.fmt/1", "files": [{"path": path, "changed": False}], "changed": 0})

    def test_roundtrip(self):
        r = og("roundtrip", "--json", EXAMPLES)
        self.assertEqual(r.returncode, 0)
        report = json.loads(r.stdout)
        self.assertEqual(report["files"], 2)
        self.assertEqual(report["differences"], [])

    def test_render_stdin_and_dialects(self):
        r = og("render", "--html", stdin="# Hi {#hi}\n\n~~gone~~ www.example.com\n")
        self.assertEqual(r.returncode, 0)
        self.assertIn("<h1>Hi</h1>", r.stdout)
        self.assertIn("<del>gone</del>", r.stdout)
        self.assertIn('id="hi"', r.stdout)
        strict = og("render", "--html", "--commonmark", stdin="~~gone~~\n")
        self.assertEqual(strict.stdout, "<p>~~gone~~</p>\n")
        out = os.path.join(self.dir, "out.html")
        self.assertEqual(og("render", "-o", out, stdin="x\n").returncode, 0)
        with open(out) as f:
            self.assertEqual(f.read(), "<p>x</p>\n")

    def test_graph_formats(self):
        path = os.path.join(EXAMPLES, "payments-deploy.og")
        graph = json.loads(og("graph", "--json", path).stdout)
        self.assertEqual(graph["schema"], "og.graph/1")
        ids = [n["id"] for n in graph["nodes"]]
        self.assertIn("rollback", ids)
        rollback = graph["nodes"][ids.index("rollback")]
        with open(path, "rb") as f:
            source = f.read()
        heading = source[rollback["heading"]["start"]:rollback["heading"]["end"]].decode()
        self.assertTrue(heading.startswith("## Roll back a deployment {#rollback"))
        self.assertIn({"kind": "requires", "target": "#cluster-access"}, rollback["edges"])
        self.assertTrue(og("graph", "--dot", path).stdout.startswith("digraph"))
        self.assertIn("#rollback .steps", og("graph", path).stdout)

    def test_stats_json(self):
        r = og("stats", "--json", EXAMPLES)
        report = json.loads(r.stdout)
        self.assertEqual(report["schema"], "og.stats/1")
        self.assertEqual(report["total"]["files"], 2)
        sizes = [os.path.getsize(os.path.join(EXAMPLES, p)) for p in ["ops/canary.og", "payments-deploy.og"]]
        self.assertEqual(report["total"]["bytes"], sum(sizes))

    def test_tokens(self):
        r = og("tokens", "-", stdin="Hello world")
        self.assertEqual((r.returncode, r.stdout), (0, "2\n"))
        self.assertEqual(og("tokens", "--ids", "-", stdin="Hello world").stdout, "9906 1917\n")
        self.assertEqual(og("tokens", "--ids", "-e", "o200k_base", "-", stdin="Hello world").stdout, "13225 2375\n")
        report = json.loads(og("tokens", "--json", EXAMPLES).stdout)
        self.assertEqual(report["schema"], "og.tokens/1")
        self.assertEqual(report["total"], sum(f["tokens"] for f in report["files"]))
        missing = og("tokens", "--vocab", self.dir, "-", stdin="x")
        self.assertEqual(missing.returncode, 2)
        self.assertIn("fetch-vocab.sh", missing.stderr)
        self.assertEqual(og("tokens", "-e", "p50k_base", "-", stdin="x").returncode, 2)

    def test_stats_tokens_per_depth(self):
        path = os.path.join(EXAMPLES, "payments-deploy.og")
        report = json.loads(og("stats", "--json", path).stdout)
        nodes = {n["id"]: n for n in report["files"][0]["nodes"]}
        rollback = nodes["rollback"]["tokens"]
        dense = og("show", path + "#rollback", "--depth", "dense").stdout.rstrip("\n")
        full = og("show", path + "#rollback").stdout
        self.assertEqual(rollback["dense"], int(og("tokens", "-", stdin=dense).stdout))
        self.assertEqual(rollback["full"], int(og("tokens", "-", stdin=full).stdout))
        self.assertLess(rollback["index"], rollback["dense"])
        self.assertEqual(report["total"]["tokens"], int(og("tokens", path).stdout))

    def test_search_contract(self):
        r = og("search", EXAMPLES, "roll back a deployment", "--json", "--limit", "2")
        self.assertEqual(r.returncode, 0, r.stderr)
        report = json.loads(r.stdout)
        self.assertEqual(report["schema"], "og.search/1")
        self.assertLessEqual(len(report["entries"]), 2)
        top = report["entries"][0]
        self.assertEqual((top["id"], top["doc"]), ("rollback", os.path.join(EXAMPLES, "payments-deploy.og")))
        for key in ["title", "type", "score"]:
            self.assertIn(key, top)
        self.assertGreater(top["tokens"]["full"], top["tokens"]["dense"])
        listing = json.loads(og("search", EXAMPLES, "--json", "--limit", "0").stdout)["entries"]
        self.assertEqual(len(listing), 9)  # the whole index, document order; __changelog is not content
        self.assertEqual(og("search", EXAMPLES, "zzzqqq").returncode, 1)

    def test_search_role_hides_nodes(self):
        admin = json.loads(og("search", EXAMPLES, "page on-call", "--json", "--role", "admin").stdout)
        reader = json.loads(og("search", EXAMPLES, "page on-call", "--json", "--role", "reader").stdout)
        self.assertIn("page-oncall", [e["id"] for e in admin["entries"]])
        self.assertNotIn("page-oncall", og("search", EXAMPLES, "--json", "--limit", "0", "--role", "reader").stdout)
        self.assertNotIn("page-oncall", json.dumps(reader))

    def test_resolve_contract(self):
        r = og("resolve", EXAMPLES, "rollback", "--depth", "full", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        report = json.loads(r.stdout)
        self.assertEqual([n["id"] for n in report["nodes"]], ["cluster-access", "rollback"])
        self.assertEqual(report["nodes"][0]["why"], "required by rollback")
        self.assertEqual(report["tokens"], sum(n["tokens"] for n in report["nodes"]))
        self.assertEqual(report["nodes"][1]["tokens"], int(og("tokens", "-", stdin=report["nodes"][1]["text"]).stdout))
        known = json.loads(og("resolve", EXAMPLES, "rollback", "--json", "--known", "cluster-access").stdout)
        self.assertEqual(known["omitted"], [{"id": "cluster-access", "doc": os.path.join(EXAMPLES, "payments-deploy.og"),
                                             "reason": "known"}])
        budget = json.loads(og("resolve", EXAMPLES, "rollback", "--json", "--max-tokens", "150").stdout)
        self.assertLessEqual(budget["tokens"], 150)
        self.assertEqual(budget["degraded"], ["cluster-access"])
        dense = json.loads(og("resolve", EXAMPLES, "deploy", "--json", "--depth", "dense").stdout)
        self.assertIn("deploy-freeze", [n["id"] for n in dense["nodes"]])  # warnings always come along
        missing = og("resolve", EXAMPLES, "nope", "--json")
        self.assertEqual(missing.returncode, 1)
        hidden = og("resolve", EXAMPLES, "page-oncall", "verify-rollout", "--json", "--role", "operator")
        self.assertNotIn("page-oncall", json.loads(hidden.stdout)["nodes"].__repr__())
        self.assertNotIn("#page-oncall", json.loads(hidden.stdout)["nodes"][0]["text"])

    def test_assert(self):
        node = os.path.join(EXAMPLES, "payments-deploy.og") + "#verify-rollout"
        good = self.write("good.json", '{"rollout": {"status": "complete"}, "replicas": {"ready": 3, "desired": 3}}')
        bad = self.write("bad.json", '{"rollout": {"status": "complete"}, "replicas": {"ready": 2, "desired": 3}}')
        r = og("assert", node, "--state", good)
        self.assertEqual((r.returncode, r.stdout), (0, "pass\n"))
        retry = json.loads(og("assert", node, "--state", bad, "--json").stdout)
        self.assertEqual(retry["schema"], "og.assert/1")
        self.assertEqual((retry["status"], retry["retry_after"]), ("retry", "30s"))
        self.assertEqual(retry["failed"], [{"check": "state.replicas.ready >= state.replicas.desired", "actual": "2 >= 3"}])
        spent = og("assert", node, "--state", bad, "--attempt", "4", "--json")
        self.assertEqual(spent.returncode, 1)
        self.assertEqual(json.loads(spent.stdout)["escalate_to"], "page-oncall")
        operator = json.loads(og("assert", node, "--state", bad, "--attempt", "4", "--json", "--role", "operator").stdout)
        self.assertEqual(operator["status"], "fail")
        self.assertNotIn("page-oncall", json.dumps(operator))
        self.assertEqual(og("assert", node, "--state", self.write("x.json", "nope")).returncode, 2)
        broken = self.write("broken.og", "# V {.assert}\n:check state.a ==\n")
        r = og("check", broken)
        self.assertEqual(r.returncode, 1)
        self.assertIn("2:18: error[OG0031]: `:check` does not parse: expected a value", r.stdout)

    def test_commit_and_changes(self):
        path = self.write("runbook.md", "# Runbook\n\n## Check\n\nLook.\n\n## Fix\n\nRestart.\n\n## Notify\n\nPost.\n")
        before = open(path, encoding="utf-8").read()
        r = og("commit", path, "-m", "first", "--date", "2026-11-01")
        self.assertEqual((r.returncode, r.stdout), (0, path + ": v1 · +runbook +check +fix +notify\n"))
        after = open(path, encoding="utf-8").read()
        self.assertIn(before, after)  # content untouched, only framed
        self.assertEqual(og("commit", path).stdout, path + ": nothing changed since v1\n")
        with open(path, "w", encoding="utf-8") as f:
            f.write(after.replace("Look.", "Look twice.").replace("Restart.", "Restart slowly."))
        check = og("check", path)
        self.assertEqual(check.returncode, 0)  # warnings only
        self.assertEqual(check.stdout.count("warning[OG0035]"), 2)
        dry = json.loads(og("commit", path, "--dry-run", "--json", "--date", "2026-11-02").stdout)
        self.assertEqual(dry["files"][0]["changes"], ["~check", "~fix"])
        self.assertFalse(dry["files"][0]["written"])
        self.assertEqual(og("commit", path, "--date", "2026-11-02", "-m", "edits").returncode, 0)
        changes = json.loads(og("changes", path, "--since", "1", "--json").stdout)
        self.assertEqual(changes["schema"], "og.changes/1")
        self.assertEqual([n["id"] for n in changes["nodes"]], ["check", "fix"])
        self.assertEqual(changes["entries"][0]["changes"], ["~check", "~fix"])
        self.assertEqual(changes["version"], 2)
        self.assertEqual(og("changes", path, "--since", "7").returncode, 2)
        self.assertEqual(og("commit", path, "--date", "tomorrow").returncode, 2)
        skill = self.write("SKILL.md", "---\nname: x\nversion: 1.0.2\n---\n# X\n")
        r = og("commit", skill)
        self.assertEqual(r.returncode, 2)
        self.assertIn("1.0.2", r.stderr)

    def test_show_index_dense_full(self):
        path = os.path.join(EXAMPLES, "payments-deploy.og")
        index = og("show", path)
        self.assertIn("  rollback · steps · Roll back a deployment\n", index.stdout)  # keywords: the matcher's
        self.assertIn("    deploy-freeze · warning · No deploys during the Friday freeze", index.stdout)
        dense = og("show", path + "#rollback", "--depth", "dense")
        self.assertEqual(dense.stdout, "Undo the last rollout with `kubectl rollout undo deploy/payments`, then verify it.\n")
        full = og("show", path + "#rollback")
        self.assertTrue(full.stdout.startswith("## Roll back a deployment"))
        self.assertIn("3. Post the incident link", full.stdout)
        own = og("show", path + "#deploy").stdout
        subtree = og("show", path + "#deploy", "--depth", "subtree").stdout
        self.assertNotIn("Verify the rollout", own)
        self.assertIn("Verify the rollout", subtree)
        self.assertEqual(subtree.split("\n")[0], own.split("\n")[0])  # the same heading line
        self.assertNotIn(":dense", own)  # the full view leaves search aids out; the raw subtree has them
        missing = og("show", path + "#nope")
        self.assertEqual(missing.returncode, 2)
        self.assertIn("has no node `#nope`", missing.stderr)


class NewUserSurprises(InTempDir):
    """Each test is one surprise a new user met (issue #17), with its repro."""

    def runbooks(self):
        self.write("runbooks/api.md", "# API runbook\n\n## Restart the API {.steps}\n\n1. Restart api pods.\n\n"
                   "## Rfcs process\n\nHow rfcs are reviewed.\n")
        os.makedirs(os.path.join(self.dir, "rfcs"))
        return os.path.join(self.dir, "runbooks")

    def test_a_word_that_names_a_folder_is_said_and_dashes_make_it_query(self):
        self.runbooks()
        silent = og("search", "runbooks", "rfcs", cwd=self.dir)
        self.assertIn("`rfcs` exists here, so it is read as a path", silent.stderr)
        self.assertIn("og search runbooks -- rfcs", silent.stderr)
        for args in (["runbooks", "--", "rfcs"], ["-q", "rfcs", "runbooks"], ["runbooks", "--query", "rfcs"]):
            r = og("search", *args, cwd=self.dir)
            self.assertEqual(r.returncode, 0, (args, r.stderr))
            self.assertIn("#rfcs-process", r.stdout, args)
            self.assertNotIn("read as a path", r.stderr)
        ids = og("resolve", "runbooks", "--", "restart-the-api", cwd=self.dir)
        self.assertEqual(ids.returncode, 0, ids.stderr)
        self.assertIn("1. Restart api pods.", ids.stdout)
        missing = og("search", "nowhere", "--", "x", cwd=self.dir)
        self.assertEqual(missing.returncode, 2)
        self.assertIn("nowhere: no such file or directory", missing.stderr)

    def test_type_takes_one_value_and_unknown_types_are_refused(self):
        root = self.runbooks()
        r = og("search", root, "--type", "steps", "restart", "api", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        report = json.loads(r.stdout)
        self.assertEqual(report["query"], "restart api")
        self.assertEqual([e["id"] for e in report["entries"]], ["restart-the-api"])
        both = json.loads(og("search", root, "--type", "steps,faq", "--type", "warning", "restart", "--json").stdout)
        self.assertEqual([e["id"] for e in both["entries"]], ["restart-the-api"])
        typo = og("search", root, "--type", "stpes", "restart")
        self.assertEqual(typo.returncode, 2)
        self.assertIn("--type `stpes` is not a content type; did you mean `steps`?", typo.stderr)
        self.assertIn("known: steps, code, warning", typo.stderr)
        extension = self.write("x/play.md", "# P {.x-playbook}\nRun it.\n")
        self.assertEqual(og("search", extension, "--type", "x-playbook", "run").returncode, 0)
        known = og("resolve", root, "--known", "restart-the-api", "restart-the-api", "--json")
        self.assertEqual(json.loads(known.stdout)["omitted"][0]["id"], "restart-the-api")

    def test_an_id_in_several_documents_is_ambiguous_with_its_candidates(self):
        self.write("docs/a.md", "# A\n\n## Summary\n\nAlpha.\n")
        self.write("docs/b.md", "# B\n\n## Summary\n\nBeta.\n")
        docs = os.path.join(self.dir, "docs")
        r = og("resolve", docs, "summary")
        self.assertEqual(r.returncode, 1)
        a, b = os.path.join(docs, "a.md"), os.path.join(docs, "b.md")
        self.assertIn(f"`summary` is in several documents: {a}#summary, {b}#summary (write doc#id)", r.stderr)
        self.assertNotIn("no node", r.stderr)
        report = json.loads(og("resolve", docs, "summary", "--json").stdout)
        self.assertEqual(report["unknown"], ["summary"])
        self.assertEqual(report["ambiguous"], {"summary": [a, b]})

    def test_documents_are_named_as_given_or_relative_to_the_root(self):
        self.write("serve/payments.og", "# Payments\n\n## Restart API {#restart-api}\n\nRestart it.\n")
        for ref in ["payments.og#restart-api", "serve/payments.og#restart-api", "./serve/payments.og#restart-api"]:
            r = og("resolve", "serve", ref, cwd=self.dir)
            self.assertEqual(r.returncode, 0, (ref, r.stderr))
            self.assertIn("Restart it.", r.stdout)
        self.assertEqual(og("search", "serve", "restart", "--doc", "payments.og", cwd=self.dir).returncode, 0)
        self.assertEqual(og("resolve", "serve", "ments.og#restart-api", cwd=self.dir).returncode, 1)

    def test_no_match_is_said(self):
        root = self.runbooks()
        r = og("search", root, "压缩")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertIn("no matches for `压缩`", r.stderr)

    def test_show_suggests_ids_lists_folders_and_hides_generated_blocks(self):
        path = self.write("docs/a.og", "# Guide\n\n## Summary\n\nText.\n\n## Index {#__index}\n- guide · Guide\n- summary · Summary\n")
        self.write("docs/b.md", "# Other\n")
        near = og("show", path + "#Summary")
        self.assertEqual(near.returncode, 2)
        self.assertIn("has no node `#Summary`; did you mean `#summary`?", near.stderr)
        listing = og("show", path)
        self.assertNotIn("__index", listing.stdout)
        self.assertIn("summary · Summary", listing.stdout)
        folder = og("show", os.path.join(self.dir, "docs"))
        self.assertEqual(folder.returncode, 0, folder.stderr)
        self.assertEqual(folder.stdout.splitlines(), [f"{path}  2 nodes  Guide", f"{os.path.join(self.dir, 'docs', 'b.md')}  1 node  Other"])
        report = json.loads(og("show", os.path.join(self.dir, "docs"), "--json").stdout)
        self.assertEqual(report["schema"], "og.documents/1")
        self.assertEqual([d["nodes"] for d in report["documents"]], [2, 1])

    def test_check_says_what_an_unreadable_path_is_in_text_and_json(self):
        fifo = os.path.join(self.dir, "pipe.md")
        os.mkfifo(fifo)
        loop = os.path.join(self.dir, "loop.md")
        os.symlink(loop, loop)
        r = og("check", fifo, loop)
        self.assertEqual(r.returncode, 2)
        self.assertIn("pipe.md: a FIFO (named pipe), not a regular file", r.stderr)
        self.assertIn("loop.md: symbolic link loop", r.stderr)
        report = json.loads(og("check", "--json", fifo, loop).stdout)
        self.assertEqual(report["unreadable"], [{"path": fifo, "error": "a FIFO (named pipe), not a regular file"},
                                                {"path": loop, "error": "symbolic link loop"}])

    def test_transpile_json_without_output_carries_the_text(self):
        path = self.write("a.md", "# Guide\n\nSome text here.\n")
        r = og("transpile", "--json", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        entry = json.loads(r.stdout)["files"][0]
        self.assertIsNone(entry["output"])
        self.assertIn("{#guide", entry["text"])
        self.assertEqual(entry["text"], og("transpile", path).stdout)
        out = os.path.join(self.dir, "a.og")
        written = json.loads(og("transpile", "--json", path, "-o", out).stdout)["files"][0]
        self.assertEqual(written["output"], out)
        self.assertNotIn("text", written)

    def test_transpile_per_file_gives_each_file_what_it_gets_alone(self):
        a = self.write("docs/a.md", "# Deploy\n\nRoll the canary with helm, then watch the canary pods.\n"
                                    "\n## Verify\n\nCheck the canary pods and the helm release.\n")
        self.write("docs/b.md", "# Canary\n\nThe canary pods take traffic first. Helm rolls them.\n")
        alone = og("transpile", a).stdout
        out = os.path.join(self.dir, "out")
        r = og("transpile", "--per-file", os.path.join(self.dir, "docs"), "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "a.og"), encoding="utf-8") as f:
            self.assertEqual(f.read(), alone)
        self.assertIn("--per-file", og("transpile", "--help").stdout)

    def test_check_counts_links_and_warns_on_a_broken_one(self):
        self.write("docs/a.md", "# A\n\nSee [b](b.md), [gone](gone.md) and [[b]].\n")
        self.write("docs/b.md", "# B\n")
        r = og("check", os.path.join(self.dir, "docs"))
        self.assertEqual(r.returncode, 0, r.stderr)  # a warning is no finding without --strict
        self.assertIn("a.md:3:17: warning[OG0054]", r.stdout)
        self.assertIn("3 links to other documents, 2 found", r.stderr)
        report = json.loads(og("check", "--json", os.path.join(self.dir, "docs")).stdout)
        self.assertEqual(report["links"], {"to_documents": 3, "resolved": 2})

    def test_llm_counts_add_up(self):
        import http.server
        import threading

        class Unavailable(http.server.BaseHTTPRequestHandler):
            requests = 0

            def do_POST(self):
                Unavailable.requests += 1
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(503)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Unavailable)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            text = "".join(f"## Part {i}\n\nThe part number {i} explains one thing at length.\n\n" for i in range(5))
            path = self.write("doc.md", "# Doc\n\n" + text)
            r = og("transpile", "--json", path, "--llm", f"http://127.0.0.1:{server.server_port}/v1",
                   "--llm-model", "m", "--llm-retries", "1", "--no-llm-cache")
        finally:
            server.shutdown()
            server.server_close()
        llm = json.loads(r.stdout)["llm"]
        self.assertEqual(llm["nodes"], llm["cache_hits"] + llm["answered"] + llm["failed"] + llm["skipped"])
        self.assertEqual((llm["failed"], llm["answered"]), (3, 0))  # three in a row, then not asked
        self.assertGreater(llm["skipped"], 0)
        self.assertEqual(llm["requests"], 3 * 2)  # each failed node: a try and a retry
        self.assertEqual(llm["requests"], Unavailable.requests)

    def test_assert_shows_every_failed_operand(self):
        path = self.write("v.og", "# Verify {#verify .assert}\n:check state.ready >= 3 and state.status == \"done\" and state.ok\n")
        state = self.write("s.json", '{"ready": 1, "status": "running", "ok": true}')
        report = json.loads(og("assert", path + "#verify", "--state", state, "--json").stdout)
        self.assertEqual(report["failed"][0]["actual"], '1 >= 3; "running" == "done"')
        # `:check` may repeat (spec §6): every line must hold, and each failed one is listed.
        both = self.write("w.og", "# Verify {#verify .assert}\n:check state.ready >= 3\n:check state.ok\n"
                          ":check state.status == \"done\"\n")
        report = json.loads(og("assert", both + "#verify", "--state", state, "--json").stdout)
        self.assertEqual([f["check"] for f in report["failed"]], ["state.ready >= 3", 'state.status == "done"'])

    def test_stats_aligns_long_ids_and_counts_in_words(self):
        path = self.write("s.md", "# One\n\n## Can the feature be disabled once it has been enabled in production\n\nYes.\n")
        lines = og("stats", path, "--no-tokens").stdout.splitlines()
        self.assertTrue(lines[0].endswith(", 2 nodes"))
        header, rows = lines[1], lines[2:4]
        for row in rows:  # numbers are right-aligned: every row ends where the header does
            self.assertEqual(len(row), len(header), lines)
        self.assertIn("total: 1 file,", lines[-1])

    def test_a_fact_only_in_dense_reaches_the_full_pass(self):
        path = self.write("limits.og", "# API\n\n## Rate limit {#limit}\n:dense The limit is 40 requests a second.\n"
                          ":keywords rate\n\n## Quotas {#quotas}\n:dense Quotas reset daily.\nQuotas are per project.\n")
        bodyless = json.loads(og("resolve", path, "limit", "--json").stdout)["nodes"][0]["text"]
        self.assertIn(":dense The limit is 40 requests a second.", bodyless)
        self.assertNotIn(":keywords", bodyless)
        with_body = json.loads(og("resolve", path, "quotas", "--json").stdout)["nodes"][0]["text"]
        self.assertNotIn(":dense", with_body)  # the Dense pass delivered it already
        self.assertIn("Quotas are per project.", with_body)

    def test_words_are_stemmed_in_the_documents_language(self):
        self.write("docs/ru/catalog.md", "# Товары\n\nОписание каталога и его полей.\n")
        self.write("docs/en/guide.md", "# Guide\n\nNothing in Russian here.\n")
        r = og("search", os.path.join(self.dir, "docs"), "каталог")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ru/catalog.md#товары", r.stdout)

    def test_short_handles_stand_for_long_ids(self):
        long_id = "can-the-feature-be-disabled-once-it-has-been-enabled"
        self.write("docs/kep/README.md", "# KEP\n\n## Can the feature be disabled once it has been enabled?\n\nYes, by the gate.\n")
        docs = os.path.join(self.dir, "docs")
        entry = [e for e in json.loads(og("search", docs, "disabled", "--json").stdout)["entries"] if e["id"] == long_id][0]
        self.assertRegex(entry["handle"], r"^~[0-9]{9}$")
        r = og("resolve", docs, entry["handle"], "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        node = json.loads(r.stdout)["nodes"][0]
        self.assertEqual((node["id"], node["handle"]), (long_id, entry["handle"]))
        again = json.loads(og("search", docs, "disabled", "--json").stdout)["entries"]
        self.assertIn(entry["handle"], [e["handle"] for e in again])  # stable across runs
        self.assertLess(int(og("tokens", "-", stdin=entry["handle"]).stdout),
                        int(og("tokens", "-", stdin=entry["doc"] + "#" + long_id).stdout) / 3)

    def test_a_document_with_one_error_is_not_served_and_that_is_said(self):
        self.write("docs/good.md", "# Restart\n\nRestart the api.\n")
        bad = self.write("docs/bad.og", "# Restart too {#r}\n:see-also #gone\nRestart the api again.\n")
        r = og("search", os.path.join(self.dir, "docs"), "--", "restart", "api")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("good.md#restart", r.stdout)
        self.assertNotIn("bad.og", r.stdout)
        self.assertIn(f"og: {bad}: not read: it has errors (og check {bad})", r.stderr)
        self.assertIn("OG0050", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
