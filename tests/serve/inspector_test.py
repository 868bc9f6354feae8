#!/usr/bin/env python3
"""`og serve` driven by the official MCP inspector CLI, as an agent's client would drive it.

    inspector_test.py path/to/og path/to/mcp-inspector {1|2}

Inspector 1.x speaks only the handshake era; 2.x is run with `--protocol-era legacy` and
`modern`. Both are run over stdio and over Streamable HTTP with a bearer token. Every tool is
called and resources are listed and read; the connection's role is `operator`, so the
admin-only node must never appear.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import og_http

INSPECTOR_VERSION = sys.argv.pop(3)
INSPECTOR = os.path.abspath(sys.argv.pop(2))
OG = os.path.abspath(sys.argv.pop(1))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")
TOKEN = "operator-token"
# Inspector 1.x probes "../package.json" relative to its cwd and breaks when one exists
# (../shared/mcp-facts.md §8): run every client from a fresh directory under the temp dir.
WORKDIR = tempfile.mkdtemp(prefix="og-inspector-")
FAILING_STATE = '{"rollout":{"status":"stalled"},"replicas":{"ready":1,"desired":3}}'


class Client:
    """One inspector invocation per call: it connects, lists tools, calls, disconnects."""

    def __init__(self, transport, era, url=None):
        self.transport, self.era, self.url = transport, era, url

    def target(self):
        if self.transport == "stdio":
            return [OG, "serve", EXAMPLES, "--no-watch", "--role", "operator"]
        return [self.url, "--header", "Authorization: Bearer " + TOKEN]

    def run(self, *args, target=None):
        command = [INSPECTOR, "--cli", *(target or self.target())]
        if INSPECTOR_VERSION == "2":
            command += ["--protocol-era", self.era, "--format", "json", "-q"]
        r = subprocess.run(command + list(args), cwd=WORKDIR, capture_output=True, text=True,
                           timeout=120, env=dict(os.environ, NPM_CONFIG_LOGLEVEL="error"))
        result = None
        if r.returncode == 0:
            out = json.loads(r.stdout)
            result = out["result"] if INSPECTOR_VERSION == "2" else out
        return r.returncode, result, r.stderr

    def ok(self, *args):
        rc, result, stderr = self.run(*args)
        assert rc == 0, "inspector exited %d: %s" % (rc, stderr[-2000:])
        return result

    def call(self, tool, *args):
        result = self.ok("--method", "tools/call", "--tool-name", tool, "--tool-arg", *args)
        assert not result.get("isError"), result
        # Only the stateless era carries per-result metadata: proof of which era was spoken.
        modern = "io.modelcontextprotocol/serverInfo" in result.get("_meta", {})
        assert modern == (self.era == "modern"), result.get("_meta")
        assert result["content"][0]["type"] == "text" and result["content"][0]["text"]
        return result["structuredContent"]


class Session(unittest.TestCase):
    """The same conversation over every transport and era."""

    def converse(self, client):
        tools = client.ok("--method", "tools/list")["tools"]
        self.assertEqual([t["name"] for t in tools],
                         ["search_index", "resolve_context", "changes_since", "run_assertion",
                          "diagnostics"])
        for tool in tools:
            self.assertEqual(tool["inputSchema"]["type"], "object")
            self.assertEqual(tool["outputSchema"]["type"], "object")

        found = client.call("search_index", "query=roll back the deployment", "limit=3")
        self.assertEqual(found["entries"][0]["id"], "rollback")
        self.assertEqual(found["entries"][0]["doc"], "payments-deploy.og")

        resolved = client.call("resolve_context", 'ids=["rollback"]')
        ids = [n["id"] for n in resolved["nodes"]]
        self.assertLess(ids.index("cluster-access"), ids.index("rollback"))  # prerequisite first
        self.assertEqual(resolved["tokens"], sum(n["tokens"] for n in resolved["nodes"]))
        self.assertEqual(resolved["unknown"], [])
        # The handle search_index gives stands for the node in the next call.
        by_handle = client.call("resolve_context", 'ids=["%s"]' % found["entries"][0]["handle"])
        self.assertEqual([n["id"] for n in by_handle["nodes"]], ids)

        changes = client.call("changes_since", "doc=payments-deploy.og", "since=6")
        self.assertEqual([e["version"] for e in changes["entries"]], [7])
        self.assertEqual(sorted(n["id"] for n in changes["nodes"]), ["rollback", "verify-rollout"])

        passed = client.call("run_assertion", "id=verify-rollout",
                             'state={"rollout":{"status":"complete"},"replicas":{"ready":3,"desired":3}}')
        self.assertEqual(passed["status"], "pass")
        retry = client.call("run_assertion", "id=verify-rollout", "state=" + FAILING_STATE, "attempt=1")
        self.assertEqual((retry["status"], len(retry["failed"])), ("retry", 2))
        # Retries spent; the escalation target is admin-only, so it is withheld from operator.
        spent = client.call("run_assertion", "id=verify-rollout", "state=" + FAILING_STATE, "attempt=4")
        self.assertEqual(spent["status"], "fail")
        self.assertNotIn("escalate_to", spent)

        listed = client.ok("--method", "resources/list")["resources"]
        uris = [r["uri"] for r in listed]
        self.assertIn("og://doc/payments-deploy.og", uris)
        self.assertIn("og://doc/ops/canary.og#canary", uris)
        self.assertFalse([u for u in uris if "page-oncall" in u])
        read = client.ok("--method", "resources/read", "--uri", "og://doc/payments-deploy.og#rollback")
        self.assertIn("rollout undo", read["contents"][0]["text"])
        whole = client.ok("--method", "resources/read", "--uri", "og://doc/payments-deploy.og")
        self.assertNotIn("incident page", whole["contents"][0]["text"])  # admin-only text

        templates = client.ok("--method", "resources/templates/list")["resourceTemplates"]
        self.assertEqual([t["uriTemplate"] for t in templates],
                         ["og://doc/{path}", "og://doc/{path}#{id}"])
        prompts = client.ok("--method", "prompts/list")["prompts"]
        self.assertEqual([p["name"] for p in prompts], ["read_documents", "follow_document"])
        follow = client.ok("--method", "prompts/get", "--prompt-name", "follow_document",
                           "--prompt-args", "doc=payments-deploy.og", "node=rollback")
        text = follow["messages"][0]["content"]["text"]
        self.assertIn("starting at #rollback", text)
        self.assertNotIn("page-oncall", text)  # admin-only, not in the operator's index
        teach = client.ok("--method", "prompts/get", "--prompt-name", "read_documents",
                          "--prompt-args", "budget=1500")
        self.assertIn("max_tokens=1500", teach["messages"][0]["content"]["text"])
        diagnosed = client.call("diagnostics", "limit=50")
        self.assertEqual(diagnosed["more"], 0)

        # Bad arguments are a tool error the client reports, not a broken connection.
        rc, _, stderr = client.run("--method", "tools/call", "--tool-name", "search_index",
                                   "--tool-arg", "limit=0")
        if INSPECTOR_VERSION == "2":
            self.assertEqual(rc, 5, stderr)
            self.assertIn("tool_is_error", stderr)
        else:
            self.assertEqual(rc, 0, stderr)  # 1.x prints the isError result and exits 0

    def test_stdio(self):
        for era in self.eras():
            with self.subTest(era=era):
                self.converse(Client("stdio", era))

    def test_http(self):
        for era in self.eras():
            with self.subTest(era=era):
                client = Client("http", era, self.url)
                self.converse(client)
                rc, _, _ = client.run("--method", "tools/list", target=[self.url])
                self.assertEqual(rc, 3 if INSPECTOR_VERSION == "2" else 1)  # no token: 401

    @staticmethod
    def eras():
        return ["legacy", "modern"] if INSPECTOR_VERSION == "2" else ["legacy"]

    @classmethod
    def setUpClass(cls):
        cls.server, cls.url = og_http.start(OG, [EXAMPLES], {TOKEN: "operator"}, WORKDIR, ["--no-watch"])

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        assert cls.server.wait(timeout=10) == 0


if __name__ == "__main__":
    unittest.main()
