#!/usr/bin/env python3
"""Issue #12 end to end: `og serve` on real folders (symlink loops, links leaving the tree,
ConfigMap mounts, folders moved in, half-written files, bursts, ignore files, an empty start),
roles that fail closed through a running server, and the HTTP findings.

    folders_test.py path/to/og
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import og_http  # noqa: E402  (beside this file)

OG = os.path.abspath(sys.argv.pop(1)) if len(sys.argv) > 1 else "og"

SCOPED = ("---\nog: 1\nroles: {admin: [reader], reader: []}\nscope: admin\n---\n"
          "# Break-glass {#break-glass}\n\nroot password is zqhunter2\n")
ROLES = "---\nog: 1\nroles: {admin: [reader], reader: []}\n---\n"
OPEN = ROLES + "# Open notes {#open}\n\npublic zqopen words\n"


def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)


class Server:
    """og serve --http on a temp tree, with an admin and a reader token."""

    def __init__(self, root, *extra):
        self.work = tempfile.mkdtemp()
        self.process, self.url = og_http.start(OG, [root], {"adm": "admin", "rd": "reader"},
                                               self.work, extra)

    def call(self, method, params, token="rd"):
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params,
                           "_meta": {}}).encode()
        request = urllib.request.Request(self.url, data=body, headers={
            "Content-Type": "application/json", "Accept": "application/json, text/event-stream",
            "Authorization": "Bearer " + token, "MCP-Protocol-Version": "2025-06-18"})
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def search(self, query, token="rd"):
        _, reply = self.call("tools/call", {"name": "search_index",
                                            "arguments": {"query": query, "limit": 50}}, token)
        return [e["doc"] + "#" + e["id"] for e in reply["result"]["structuredContent"]["entries"]]

    def wait_for(self, predicate, seconds=20):
        return og_http.wait_for(predicate, seconds)

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        shutil.rmtree(self.work, ignore_errors=True)


class Folders(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.root = os.path.join(self.dir, "docs")
        os.makedirs(self.root)
        self.server = None

    def tearDown(self):
        if self.server:
            self.server.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def serve(self, *extra):
        self.server = Server(self.root, *extra)
        return self.server

    def test_links_loops_and_walk_rules(self):
        write(os.path.join(self.root, "a.md"), OPEN)
        os.symlink("self.md", os.path.join(self.root, "self.md"))
        outside = os.path.join(self.dir, "outside")
        write(os.path.join(outside, "o.md"), "# Outside zqoutside\n")
        os.symlink(os.path.join(outside, "o.md"), os.path.join(self.root, "o.md"))
        os.symlink("a.md", os.path.join(self.root, "alias.md"))
        write(os.path.join(self.root, ".git", "x.md"), "# Git zqgit\n")
        write(os.path.join(self.root, "node_modules", "p", "r.md"), "# Pkg zqpkg\n")
        write(os.path.join(self.root, "README.MD"), "# Upper zqupper\n")
        write(os.path.join(self.root, "notes.markdown"), "# Long ext zqlong\n")
        write(os.path.join(self.root, "page.mdx"), "# Mdx\n")
        write(os.path.join(self.root, ".ogignore"), "drafts/\n")
        write(os.path.join(self.root, "drafts", "d.md"), "# Draft zqdraft\n")
        s = self.serve()
        self.assertEqual(s.search("zqopen"), ["a.md#open"])  # once, not also as alias.md
        for hidden in ["zqoutside", "zqgit", "zqpkg", "zqdraft"]:
            self.assertEqual(s.search(hidden), [], hidden)
        self.assertEqual(s.search("zqupper"), ["README.MD#upper-zqupper"])
        self.assertEqual(s.search("zqlong"), ["notes.markdown#long-ext-zqlong"])
        self.assertIsNone(s.process.poll())
        s.close()
        self.server = self.serve("--follow-links")
        self.assertEqual(self.server.search("zqoutside"), ["o.md#outside-zqoutside"])

    def test_the_log_says_what_was_skipped(self):
        write(os.path.join(self.root, "a.md"), OPEN)
        write(os.path.join(self.root, "page.mdx"), "# Mdx\n")
        os.symlink("loop.md", os.path.join(self.root, "loop.md"))
        r = subprocess.run([OG, "serve", self.root, "--no-watch", "--role", "reader"],
                           input="", capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("page.mdx: MDX", r.stderr)
        self.assertIn("loop.md: symbolic link loop", r.stderr)
        self.assertIn("serving 1 document(s)", r.stderr)

    def test_configmap_mount_serves_each_document_once_and_follows_the_swap(self):
        v1 = os.path.join(self.root, "..2026_01_01_v1")
        write(os.path.join(v1, "doc.md"), ROLES + "# Runbook zqfirst\n")
        os.symlink("..2026_01_01_v1", os.path.join(self.root, "..data"))
        os.symlink("..data/doc.md", os.path.join(self.root, "doc.md"))
        s = self.serve()
        self.assertEqual(s.search("zqfirst"), ["doc.md#runbook-zqfirst"])
        # The kubelet's atomic swap: a new revision, a new link, renamed over ..data.
        v2 = os.path.join(self.root, "..2026_01_02_v2")
        write(os.path.join(v2, "doc.md"), ROLES + "# Runbook zqsecond\n")
        os.symlink("..2026_01_02_v2", os.path.join(self.root, "..data_tmp"))
        os.rename(os.path.join(self.root, "..data_tmp"), os.path.join(self.root, "..data"))
        shutil.rmtree(v1)
        self.assertTrue(s.wait_for(lambda: s.search("zqsecond") == ["doc.md#runbook-zqsecond"]))
        self.assertEqual(s.search("zqfirst"), [])

    def test_empty_start_moved_in_folder_burst_and_half_written_files(self):
        s = self.serve()
        self.assertEqual(s.search("zqburst"), [])
        staging = os.path.join(self.dir, "staging")
        write(os.path.join(staging, "sub", "moved.md"), "# Moved in zqmoved\n")
        os.rename(staging, os.path.join(self.root, "incoming"))
        self.assertTrue(s.wait_for(lambda: s.search("zqmoved") == ["incoming/sub/moved.md#moved-in-zqmoved"]))
        for i in range(300):  # a burst, like a checkout
            write(os.path.join(self.root, "burst", "f%03d.md" % i), "# File %d zqburst\n" % i)
        self.assertTrue(s.wait_for(lambda: len(s.search("zqburst")) == 50))  # the limit
        # A file held open mid-write is not served until it is closed.
        half = open(os.path.join(self.root, "half.md"), "w")
        half.write("# Half zqhalf\n\nfirst part")
        half.flush()
        time.sleep(1.5)
        self.assertEqual(s.search("zqhalf"), [])
        half.write(" zqrest\n")
        half.close()
        self.assertTrue(s.wait_for(lambda: s.search("zqrest") == ["half.md#half-zqhalf"]))

    def test_a_damaged_frontmatter_is_never_reloaded_as_good(self):
        path = os.path.join(self.root, "ops.og")
        write(path, OPEN)
        s = self.serve()
        self.assertEqual(s.search("zqopen"), ["ops.og#open"])
        # The author adds a secret and a scope, with a stray quote in the title.
        write(path + ".tmp", SCOPED.replace("og: 1\n", "og: 1\ntitle: \"Break-glass\n"))
        os.rename(path + ".tmp", path)
        time.sleep(1.5)
        self.assertEqual(s.search("zqhunter2", "rd"), [])
        self.assertEqual(s.search("zqhunter2", "adm"), [])  # not served at all: last good kept
        self.assertEqual(s.search("zqopen"), ["ops.og#open"])
        write(path, SCOPED)  # fixed: admin only
        self.assertTrue(s.wait_for(lambda: s.search("zqhunter2", "adm") == ["ops.og#break-glass"]))
        self.assertEqual(s.search("zqhunter2", "rd"), [])
        # A BOM keeps the scope.
        write(path, "\ufeff" + SCOPED)
        time.sleep(1.5)
        self.assertEqual(s.search("zqhunter2", "rd"), [])

    def test_unknown_roles_are_refused_at_start(self):
        write(os.path.join(self.root, "a.md"), OPEN)
        r = subprocess.run([OG, "serve", self.root, "--no-watch", "--role", "opertor"],
                           input="", capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertIn("role `opertor` is declared by no document (declared: admin, reader)", r.stderr)
        r = subprocess.run([OG, "serve", self.root, "--no-watch"], input="", capture_output=True,
                           text=True, timeout=60)
        self.assertIn("stdio without --role serves every node", r.stderr)

    def test_resources_read_is_paged_and_uris_are_encoded(self):
        body = "".join("## Section %d\n\n%s\n\n" % (i, "word " * 200) for i in range(400))
        write(os.path.join(self.root, "og für.md"), ROLES + "# Big\n\n" + body)
        s = self.serve("--max-tokens", "2000")
        status, listed = s.call("resources/list", {})
        uris = [r["uri"] for r in listed["result"]["resources"]]
        self.assertIn("og://doc/og%20f%C3%BCr.md", uris)
        status, read = s.call("resources/read", {"uri": "og://doc/og%20f%C3%BCr.md"})
        self.assertEqual(status, 200, read)
        text = read["result"]["contents"][0]["text"]
        self.assertIn("this read stops at 2000 tokens", text)
        rest = text[text.rindex("the rest is at ") + 15:].split(" ")[0]
        status, page = s.call("resources/read", {"uri": rest})
        self.assertEqual(status, 200, page)
        self.assertNotEqual(page["result"]["contents"][0]["text"], text)
        status, node = s.call("resources/read", {"uri": "og://doc/og%20f%C3%BCr.md#section-3"})
        self.assertIn("## Section 3", node["result"]["contents"][0]["text"])


class HttpFindings(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp()
        write(os.path.join(cls.dir, "docs", "a.md"), OPEN)
        cls.server = Server(os.path.join(cls.dir, "docs"), "--max-request-bytes", "1000")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def raw(self, body, token="rd"):
        request = urllib.request.Request(self.server.url, data=body, headers={
            "Content-Type": "application/json", "Accept": "application/json, text/event-stream",
            "Authorization": "Bearer " + token})
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def test_parse_error_is_400(self):
        status, body = self.raw(b"{nope")
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body)["error"]["code"], -32700)

    def test_too_large_is_413_with_a_json_rpc_error(self):
        status, body = self.raw(b'{"jsonrpc":"2.0","id":1,"method":"ping","x":"' + b"a" * 5000 + b'"}')
        self.assertEqual(status, 413)
        self.assertIn("larger than 1000 bytes", json.loads(body)["error"]["message"])

    def test_unknown_token_is_401_with_a_reason(self):
        status, body = self.raw(b'{"jsonrpc":"2.0","id":1,"method":"ping"}', token="nope")
        self.assertEqual(status, 401)
        self.assertIn("unknown bearer token", json.loads(body)["error"]["message"])


if __name__ == "__main__":
    unittest.main()
