#!/usr/bin/env python3
"""End-to-end tests of `og serve`: JSON-RPC transcripts over stdio and HTTP, roles by token.

    serve_test.py path/to/og
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest
import urllib.error
import urllib.request

import og_http

OG = os.path.abspath(sys.argv.pop(1)) if len(sys.argv) > 1 else "og"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")


def rpc(i, method, params=None):
    m = {"jsonrpc": "2.0", "id": i, "method": method}
    if params is not None:
        m["params"] = params
    return json.dumps(m)


def stdio(lines, *args):
    r = subprocess.run([OG, "serve", EXAMPLES, "--no-watch", *args], input="\n".join(lines) + "\n",
                       capture_output=True, text=True, timeout=60)
    return [json.loads(l) for l in r.stdout.splitlines()]


class Stdio(unittest.TestCase):
    def test_bad_input_gets_errors_and_the_server_keeps_serving(self):
        out = stdio(["{nope", "[]", '{"jsonrpc":"2.0","id":1}', rpc(2, "no/such"),
                     rpc(3, "tools/call", {"name": "nope"}),
                     rpc(4, "tools/call", {"name": "resolve_context", "arguments": {"ids": [7]}}),
                     rpc(5, "tools/call", {"name": "search_index", "arguments": {"limit": 0}}),
                     '{"jsonrpc":"2.0","id":6,"method":"tools/list","params":{"x":"' + "a" * 2000000 + '"}}',
                     rpc(7, "ping")])
        codes = [o.get("error", {}).get("code") for o in out]
        self.assertEqual(codes, [-32700, -32600, -32600, -32601, -32602, None, None, -32600, None])
        self.assertIn("params.name", out[4]["error"]["message"])
        self.assertTrue(out[5]["result"]["isError"])
        self.assertIn("arguments.ids[0]", out[5]["result"]["content"][0]["text"])
        self.assertIn("arguments.limit", out[6]["result"]["content"][0]["text"])
        self.assertEqual(out[8]["result"], {})

    def test_handshake_tools_and_resources(self):
        out = stdio([rpc(0, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                           "clientInfo": {"name": "t", "version": "0"}}),
                     '{"jsonrpc":"2.0","method":"notifications/initialized"}',
                     rpc(1, "tools/list"),
                     rpc(2, "tools/call", {"name": "resolve_context", "arguments": {"ids": ["rollback"]}}),
                     rpc(3, "resources/read", {"uri": "og://doc/payments-deploy.og#rollback"}),
                     rpc(4, "resources/list", {"cursor": "bogus"})])
        self.assertEqual(out[0]["result"]["protocolVersion"], "2025-06-18")
        self.assertIn("Index", out[0]["result"]["instructions"])
        names = [t["name"] for t in out[1]["result"]["tools"]]
        self.assertEqual(names, ["search_index", "resolve_context", "changes_since", "run_assertion",
                                 "diagnostics"])
        for t in out[1]["result"]["tools"]:
            self.assertIn("outputSchema", t)
        self.assertIn("kubectl", out[2]["result"]["structuredContent"]["nodes"][-1]["text"])
        self.assertIn("Roll back", out[3]["result"]["contents"][0]["text"])
        self.assertEqual(out[4]["error"]["code"], -32602)

    def test_modern_era_is_stateless(self):
        meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities": {}}
        out = stdio([rpc(1, "server/discover", {"_meta": meta}),
                     rpc(2, "tools/list", {"_meta": meta}),
                     rpc(3, "tools/list", {"_meta": dict(meta, **{"io.modelcontextprotocol/protocolVersion": "2030-01-01"})})])
        self.assertIn("2026-07-28", out[0]["result"]["supportedVersions"])
        self.assertEqual(out[1]["result"]["resultType"], "complete")
        self.assertIn("ttlMs", out[1]["result"])
        self.assertEqual(out[2]["error"]["code"], -32022)

    def test_role_is_bound_to_the_connection(self):
        out = stdio([rpc(1, "tools/call", {"name": "search_index", "arguments": {"query": "page on-call"}}),
                     rpc(2, "tools/call", {"name": "resolve_context", "arguments": {"ids": ["page-oncall"]}})],
                    "--role", "operator")
        self.assertEqual(out[0]["result"]["structuredContent"]["entries"], [])
        self.assertNotIn("incident page", json.dumps(out))
        self.assertEqual(out[1]["result"]["structuredContent"]["unknown"], ["page-oncall"])


class Http(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc, cls.url = og_http.start(OG, [EXAMPLES], {"admin-token": "admin", "reader-token": "reader"},
                                          tempfile.mkdtemp(prefix="og-serve-"))

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()  # SIGTERM: a graceful stop, exit 0
        assert cls.proc.wait(timeout=10) == 0

    def post(self, body, token=None, headers=None):
        h = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
        if token:
            h["Authorization"] = "Bearer " + token
        h.update(headers or {})
        req = urllib.request.Request(self.url, data=body.encode(), headers=h, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, dict(r.headers), r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read().decode()

    def test_tokens_roles_and_sessions(self):
        self.assertEqual(self.post(rpc(1, "tools/list"))[0], 401)
        self.assertEqual(self.post(rpc(1, "tools/list"), "wrong")[0], 401)
        self.assertEqual(self.post(rpc(1, "tools/list"), "admin-token", {"Origin": "http://evil.example"})[0], 403)
        status, headers, body = self.post(rpc(0, "initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                                                "clientInfo": {"name": "t", "version": "0"}}), "admin-token")
        self.assertEqual(status, 200)
        session = headers.get("Mcp-Session-Id")
        self.assertTrue(session)
        self.assertEqual(self.post('{"jsonrpc":"2.0","method":"notifications/initialized"}', "admin-token",
                                   {"Mcp-Session-Id": session})[0], 202)
        self.assertEqual(self.post(rpc(1, "ping"), "admin-token", {"Mcp-Session-Id": "nope"})[0], 404)
        listing = {"name": "search_index", "arguments": {"limit": 200}}
        admin = self.post(rpc(2, "tools/call", listing), "admin-token", {"Mcp-Session-Id": session})[2]
        reader = self.post(rpc(2, "tools/call", listing), "reader-token")[2]
        self.assertIn("page-oncall", admin)
        for hidden in ["page-oncall", "rollback", "Page the on-call", "incident page"]:
            self.assertNotIn(hidden, reader)
        status, _, body = self.post(rpc(3, "no/such"), "admin-token")
        self.assertEqual((status, json.loads(body)["error"]["code"]), (200, -32601))  # legacy: 200

    def test_modern_headers(self):
        meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities": {}}
        ok = self.post(rpc(1, "tools/list", {"_meta": meta}), "reader-token",
                       {"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/list"})
        self.assertEqual(ok[0], 200)
        bad = self.post(rpc(1, "tools/list", {"_meta": meta}), "reader-token",
                        {"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call"})
        self.assertEqual((bad[0], json.loads(bad[2])["error"]["code"]), (400, -32020))
        missing = self.post(rpc(1, "no/such", {"_meta": meta}), "reader-token",
                            {"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "no/such"})
        self.assertEqual(missing[0], 404)


if __name__ == "__main__":
    unittest.main()
