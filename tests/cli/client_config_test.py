#!/usr/bin/env python3
"""`og mcp-config` and `og token`: each client's configuration parses as its client reads it
(JSON, TOML, a shell command line), and the server it describes answers the official MCP
inspector — started from `/`, as desktop clients start servers — over stdio and HTTP.

    client_config_test.py path/to/og path/to/mcp-inspector (2.x)
"""
import hashlib
import json
import os
import shlex
import subprocess
import sys
import tempfile
import tomllib
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "serve"))
import og_http  # noqa: E402

OG = os.path.abspath(sys.argv.pop(1))
INSPECTOR = os.path.abspath(sys.argv.pop(1))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")
TOOLS = ["search_index", "resolve_context", "changes_since", "run_assertion", "diagnostics"]


def og(*args, stdin=None):
    r = subprocess.run([OG, *args], input=stdin, capture_output=True, text=True, timeout=60)
    return r.returncode, r.stdout, r.stderr


def inspect(*args):
    r = subprocess.run([INSPECTOR, "--cli", *args, "--method", "tools/list", "--format", "json", "-q"],
                       cwd="/", capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, NPM_CONFIG_LOGLEVEL="error"))
    assert r.returncode == 0, r.stderr[-2000:]
    return [t["name"] for t in json.loads(r.stdout)["result"]["tools"]]


def stdio_server(client, text):
    """The (command, args) a client would start, read as that client reads its config."""
    if client == "claude-code":
        words = shlex.split(text)
        assert words[:5] == ["claude", "mcp", "add", "--transport", "stdio"], words
        assert words[5] == "docs" and words[6] == "--"
        return words[7], words[8:]
    if client == "codex":
        server = tomllib.loads(text)["mcp_servers"]["docs"]
    elif client == "vscode":
        server = json.loads(text)["servers"]["docs"]
        assert server["type"] == "stdio"
    else:
        server = json.loads(text)["mcpServers"]["docs"]
    return server["command"], server["args"]


def http_server(client, text):
    """The URL and the Authorization header template a client would use."""
    if client == "claude-code":
        words = shlex.split(text, posix=False)
        assert words[:5] == ["claude", "mcp", "add", "--transport", "http"], words
        return words[6], words[8].strip('"').split(": ", 1)[1]
    if client == "codex":
        server = tomllib.loads(text)["mcp_servers"]["docs"]
        return server["url"], "Bearer ${env:%s}" % server["bearer_token_env_var"]
    if client == "vscode":
        config = json.loads(text)
        server = config["servers"]["docs"]
        assert config["inputs"][0]["password"] is True
        return server["url"], server["headers"]["Authorization"]
    server = json.loads(text)["mcpServers"]["docs"]
    return server["url"], server["headers"]["Authorization"]


class Configs(unittest.TestCase):
    def test_stdio_configs_start_a_server_from_the_root_directory(self):
        for client in ["claude-code", "claude-desktop", "cursor", "vscode", "codex"]:
            with self.subTest(client=client):
                rc, text, err = og("mcp-config", client, os.path.relpath(EXAMPLES), "--role",
                                   "operator", "--name", "docs")
                self.assertEqual(rc, 0, err)
                command, args = stdio_server(client, text)
                self.assertTrue(os.path.isabs(command) and os.path.isabs(args[1]), (command, args))
                with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
                    json.dump({"mcpServers": {"docs": {"type": "stdio", "command": command,
                                                       "args": args}}}, f)
                self.assertEqual(inspect("--config", f.name, "--server", "docs"), TOOLS)
                os.unlink(f.name)

    def test_http_configs_reach_the_server_with_a_token_made_by_og_token(self):
        work = tempfile.mkdtemp(prefix="og-config-")
        tokens = os.path.join(work, "minted.json")
        rc, token, err = og("token", "new", "--role", "operator", "--tokens", tokens)
        self.assertEqual(rc, 0, err)
        token = token.strip()
        port_file = os.path.join(work, "port")
        server = subprocess.Popen([OG, "serve", EXAMPLES, "--http", "127.0.0.1:0", "--tokens", tokens,
                                   "--port-file", port_file, "--no-watch"], stderr=subprocess.DEVNULL)
        try:
            og_http.wait_for_port(server, port_file)
            with open(port_file) as f:
                url = "http://127.0.0.1:%s/mcp" % f.read().strip()
            for client in ["claude-code", "cursor", "vscode", "codex"]:
                with self.subTest(client=client):
                    rc, text, err = og("mcp-config", client, "--http", url, "--name", "docs")
                    self.assertEqual(rc, 0, err)
                    got_url, header = http_server(client, text)
                    self.assertEqual(got_url, url)
                    self.assertTrue(header.startswith("Bearer $"), header)
                    self.assertEqual(inspect(url, "--header", "Authorization: Bearer " + token), TOOLS)
            rc, _, err = og("mcp-config", "claude-desktop", "--http", url)
            self.assertEqual(rc, 2)
            self.assertIn("Connectors", err)
        finally:
            server.terminate()
            server.wait(timeout=10)

    def test_token_hash_is_the_token_without_its_newline(self):
        rc, out, _ = og("token", "hash", "--role", "reader", stdin="s3cret\n")
        self.assertEqual(json.loads(out), {"sha256": hashlib.sha256(b"s3cret").hexdigest(), "role": "reader"})
        rc, out, _ = og("token", "hash", "s3cret")
        self.assertEqual(json.loads(out)["role"], None)
        rc, _, err = og("token", "hash", "two words")
        self.assertEqual(rc, 2)

    def test_bad_requests_get_clear_errors(self):
        self.assertEqual(og("mcp-config", "zed", EXAMPLES)[0], 2)
        rc, _, err = og("mcp-config", "cursor", "/no/such/dir")
        self.assertEqual(rc, 2)
        self.assertIn("no such file", err)
        rc, _, err = og("mcp-config", "cursor")
        self.assertIn("give the files", err)


if __name__ == "__main__":
    unittest.main()
