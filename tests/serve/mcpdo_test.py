#!/usr/bin/env python3
"""og serve through the official inspector's session CLI (`mcpdo`, @modelcontextprotocol/inspector
2.x): subscriptions (edit a file, the notification arrives), completion, prompts and templates,
over stdio and HTTP, in both protocol eras, as role `operator`.

    mcpdo_test.py path/to/og path/to/mcpdo
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import og_http

OG = os.path.abspath(sys.argv.pop(1))
MCPDO = os.path.abspath(sys.argv.pop(1))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLLBACK = "og://doc/payments-deploy.og#rollback"


def objects(text):
    """The JSON values mcpdo --format json printed one after another."""
    decoder, out, i = json.JSONDecoder(), [], 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        value, i = decoder.raw_decode(text, i)
        out.append(value)
    return out


class Mcpdo:
    """One named connection of mcpdo's daemon, with its state in a private HOME."""

    def __init__(self, home, target, era):
        self.env = dict(os.environ, HOME=home, MCP_CATALOG_PATH=os.path.join(home, "mcp.json"),
                        NPM_CONFIG_LOGLEVEL="error")
        self.home = home
        self.run("connect", "--connection", "docs", "--era", era, *target)

    def run(self, *args):
        r = subprocess.run([MCPDO, "--format", "json", *args], capture_output=True, text=True,
                           timeout=120, env=self.env, cwd=self.home)
        assert r.returncode == 0, "mcpdo %s: %d %s" % (args[0], r.returncode, r.stderr[-2000:])
        return objects(r.stdout)

    def call(self, *args):
        return self.run("--connection", "docs", *args)

    def subscribe(self, uri):
        out = open(os.path.join(self.home, "stream.json"), "w+")
        process = subprocess.Popen([MCPDO, "--format", "json", "--connection", "docs",
                                    "resources/subscribe", uri], stdout=out,
                                   stderr=subprocess.DEVNULL, env=self.env, cwd=self.home)
        return process, out

    def close(self):
        """Disconnects and stops the daemon (it would outlive the test)."""
        try:
            self.run("disconnect", "docs")
        finally:
            self.run("daemon", "stop")


class Session(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="og-mcpdo-")
        self.docs = os.path.join(self.work, "docs")
        shutil.copytree(os.path.join(ROOT, "examples"), self.docs)
        self.server = None

    def tearDown(self):
        if self.server:
            self.server.terminate()
            self.server.wait(timeout=10)
        shutil.rmtree(self.work, ignore_errors=True)

    def edit_rollback(self):
        """Changes a line of #rollback's text (back and forth), as an editor saves a file."""
        path = os.path.join(self.docs, "payments-deploy.og")
        with open(path) as f:
            text = f.read()
        link, ticket = "Post the incident link", "Post the incident ticket"
        text = text.replace(link, ticket) if link in text else text.replace(ticket, link)
        with open(path + ".tmp", "w") as f:
            f.write(text)
        os.replace(path + ".tmp", path)

    def converse(self, client):
        done = client.call("prompts/complete", "--complete-ref-type", "ref/prompt", "--complete-ref",
                           "follow_document", "--complete-arg-name", "doc", "--complete-arg-value", "pay")
        self.assertEqual(done[0]["values"], ["payments-deploy.og"])
        paths = client.call("prompts/complete", "--complete-ref-type", "ref/resource", "--complete-ref",
                            "og://doc/{path}", "--complete-arg-name", "path")
        self.assertIn("ops/canary.og", paths[0]["values"])
        process, out = client.subscribe(ROLLBACK)
        try:
            for _ in range(200):  # until the stream says it is subscribed
                out.seek(0)
                if "subscribed" in out.read():
                    break
                time.sleep(0.05)
            self.edit_rollback()
            events = []
            for _ in range(200):
                out.seek(0)
                events = objects(out.read())
                if any(e.get("type") == "resources/updated" for e in events):
                    break
                time.sleep(0.05)
            self.assertEqual([e["type"] for e in events], ["subscribed", "resources/updated"])
            self.assertEqual(events[1]["uri"], ROLLBACK)
        finally:
            process.terminate()
            process.wait(timeout=10)
            out.close()

    def test_stdio(self):
        for era in ["legacy", "modern"]:
            with self.subTest(era=era):
                client = Mcpdo(tempfile.mkdtemp(dir=self.work), ["--", OG, "serve", self.docs,
                                                                 "--role", "operator"], era)
                try:
                    self.converse(client)
                finally:
                    client.close()

    def test_http(self):
        self.server, url = og_http.start(OG, [self.docs], {"operator-token": "operator"}, self.work)
        for era in ["legacy", "modern"]:
            with self.subTest(era=era):
                client = Mcpdo(tempfile.mkdtemp(dir=self.work),
                               [url, "--header", "Authorization: Bearer operator-token"], era)
                try:
                    self.converse(client)
                finally:
                    client.close()


if __name__ == "__main__":
    unittest.main()
