#!/usr/bin/env python3
"""End-to-end tests of og serve's change notifications, prompts, completion and diagnostics:
a file edited on disk reaches a subscribed client over stdio and HTTP, in both protocol eras,
and only as far as the client's role reads.

    notify_test.py path/to/og
"""
import http.client
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

import og_http

OG = os.path.abspath(sys.argv.pop(1)) if len(sys.argv) > 1 else "og"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")
MODERN = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
          "io.modelcontextprotocol/clientCapabilities": {}}
INIT = {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}
DOC = "og://doc/payments-deploy.og"


def rpc(i, method, params=None):
    m = {"jsonrpc": "2.0", "id": i, "method": method}
    if params is not None:
        m["params"] = params
    return json.dumps(m)


def edit(path, old, new):
    with open(path) as f:
        text = f.read()
    assert old in text, old
    with open(path + ".tmp", "w") as f:
        f.write(text.replace(old, new))
    os.replace(path + ".tmp", path)  # as editors and git write


class Tree:
    """A temporary copy of the examples."""

    def __init__(self):
        self.dir = os.path.join(tempfile.mkdtemp(prefix="og-notify-"), "docs")
        shutil.copytree(EXAMPLES, self.dir)
        self.doc = os.path.join(self.dir, "payments-deploy.og")

    def close(self):
        shutil.rmtree(os.path.dirname(self.dir), ignore_errors=True)


class StdioClient:
    def __init__(self, tree, *args):
        self.proc = subprocess.Popen([OG, "serve", tree.dir, *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.lines = queue.Queue()  # a reader thread: select() cannot see Python's buffer
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))

    def send(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def read(self, timeout=10):
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            return None

    def call(self, i, method, params=None):
        self.send(rpc(i, method, params))
        while True:
            message = self.read()
            if message is None or message.get("id") == i:
                return message

    def messages_for(self, seconds):
        out, end = [], time.time() + seconds
        while time.time() < end:
            m = self.read(max(0.05, end - time.time()))
            if m is not None:
                out.append(m)
        return out

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


class Stdio(unittest.TestCase):
    def setUp(self):
        self.tree = Tree()

    def tearDown(self):
        self.tree.close()

    def test_legacy_subscription_names_what_changed_and_only_that(self):
        client = StdioClient(self.tree)
        self.assertTrue(client.call(0, "initialize", INIT)["result"]["capabilities"]["resources"]["subscribe"])
        client.call(9, "resources/read", {"uri": DOC})  # waits for the first load: edits below are seen
        self.assertEqual(client.call(1, "resources/subscribe", {"uri": DOC + "#rollback"})["result"], {})
        client.call(2, "resources/subscribe", {"uri": DOC + "#cluster-access"})
        client.call(3, "resources/subscribe", {"uri": "og://doc/not-yet.og"})
        edit(self.tree.doc, "Post the incident link", "Post the incident ticket")
        got = client.messages_for(4)
        updated = [m["params"]["uri"] for m in got if m.get("method") == "notifications/resources/updated"]
        self.assertEqual(updated, [DOC + "#rollback"])
        with open(os.path.join(self.tree.dir, "not-yet.og"), "w") as f:
            f.write("# New\n\nText.\n")
        got = client.messages_for(4)
        methods = sorted(m.get("method") for m in got)
        self.assertEqual(methods, ["notifications/resources/list_changed",
                                   "notifications/resources/updated"])
        client.call(4, "resources/unsubscribe", {"uri": DOC + "#rollback"})
        edit(self.tree.doc, "Post the incident ticket", "Post the incident link")
        self.assertEqual(client.messages_for(2), [])
        client.close()

    def test_a_role_hears_nothing_of_what_it_cannot_read(self):
        client = StdioClient(self.tree, "--role", "reader")
        client.call(0, "initialize", INIT)
        client.call(9, "resources/read", {"uri": DOC})  # waits for the first load: the edit is seen
        client.call(1, "resources/subscribe", {"uri": DOC + "#page-oncall"})  # hidden: accepted alike
        client.call(2, "resources/subscribe", {"uri": DOC})
        edit(self.tree.doc, "stay on the bridge", "stay on the call")
        self.assertEqual(client.messages_for(2.5), [])  # nothing the reader reads changed
        client.close()

    def test_modern_listen_acknowledges_streams_and_ends_on_cancel(self):
        client = StdioClient(self.tree)
        # A read waits for the first load: the edit below is then one the server sees happen.
        client.call(6, "resources/read", {"_meta": MODERN, "uri": DOC})
        client.send(rpc(7, "subscriptions/listen", {"_meta": MODERN, "notifications": {
            "resourceSubscriptions": [DOC + "#rollback"], "toolsListChanged": True}}))
        ack = client.read()
        self.assertEqual(ack["method"], "notifications/subscriptions/acknowledged")
        self.assertEqual(ack["params"]["notifications"], {"resourceSubscriptions": [DOC + "#rollback"]})
        self.assertEqual(ack["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"], 7)
        edit(self.tree.doc, "Post the incident link", "Post the incident ticket")
        got = client.messages_for(4)
        self.assertEqual([(m["method"], m["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"])
                          for m in got], [("notifications/resources/updated", 7)])
        client.send(json.dumps({"jsonrpc": "2.0", "method": "notifications/cancelled",
                                "params": {"requestId": 7}}))
        final = client.read()
        self.assertEqual((final["id"], final["result"]["resultType"]), (7, "complete"))
        client.close()

    def test_prompts_completion_and_diagnostics(self):
        client = StdioClient(self.tree, "--role", "operator")
        client.call(0, "initialize", INIT)
        prompts = client.call(1, "prompts/list")["result"]["prompts"]
        self.assertEqual([p["name"] for p in prompts], ["read_documents", "follow_document"])
        got = client.call(2, "prompts/get", {"name": "follow_document",
                                             "arguments": {"doc": "payments-deploy.og"}})
        text = got["result"]["messages"][0]["content"]["text"]
        self.assertIn("rollback", text)
        self.assertIn("full", text)  # the index carries token costs
        self.assertNotIn("page-oncall", text)  # admin scope
        bad = client.call(3, "prompts/get", {"name": "follow_document", "arguments": {"doc": "nope.og"}})
        self.assertEqual(bad["error"]["code"], -32602)
        self.assertIn("arguments.doc", bad["error"]["message"])
        done = client.call(4, "completion/complete", {
            "ref": {"type": "ref/resource", "uri": "og://doc/{path}#{id}"},
            "argument": {"name": "id", "value": "roll"},
            "context": {"arguments": {"path": "payments-deploy.og"}}})["result"]["completion"]
        self.assertEqual(done["values"], ["rollback", "verify-rollout"])  # prefix first
        hidden = client.call(5, "completion/complete", {
            "ref": {"type": "ref/prompt", "name": "follow_document"},
            "argument": {"name": "node", "value": "page"},
            "context": {"arguments": {"doc": "payments-deploy.og"}}})["result"]["completion"]
        self.assertEqual(hidden["values"], [])
        search = client.call(6, "tools/call", {"name": "search_index", "arguments": {"query": "rollback"}})
        self.assertRegex(search["result"]["content"][0]["text"], r"dense \d+ · full \d+ tokens")
        edit(self.tree.doc, "ops/canary.og#canary", "ops/canary.og#nowhere")
        for attempt in range(100):  # until hot reload has the edit (slower under sanitizers)
            diag = client.call(7 + attempt, "tools/call", {"name": "diagnostics", "arguments": {}})["result"]
            if "OG0050" in diag["content"][0]["text"]:
                break
            time.sleep(0.1)
        self.assertIn("OG0050", diag["content"][0]["text"])
        codes = [d["code"] for f in diag["structuredContent"]["files"] for d in f["diagnostics"]]
        self.assertIn("OG0050", codes)
        self.assertNotIn("OG0016", codes)  # about #page-oncall, which operator cannot read
        client.close()


class Progress(unittest.TestCase):
    """diagnostics walks every served document: it reports progress and stops when cancelled."""

    @classmethod
    def setUpClass(cls):
        cls.tree = Tree()
        for i in range(2000):
            with open(os.path.join(cls.tree.dir, "note-%04d.md" % i), "w") as f:
                f.write("# Note %d\n\nSee [the next](note-%04d.md).\n" % (i, i + 1))

    @classmethod
    def tearDownClass(cls):
        cls.tree.close()

    def test_a_call_made_while_the_documents_are_read_waits_for_them(self):
        # initialize is answered at once; a search sent before the first load is done waits
        # for it (with progress, when asked) and answers from every document, never from none.
        client = StdioClient(self.tree, "--no-watch", "--no-index")
        client.send(rpc(1, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                          "clientInfo": {"name": "t", "version": "1"}}))
        client.send(rpc(2, "tools/call", {"name": "search_index",
                                          "arguments": {"query": "Note 1999", "limit": 1},
                                          "_meta": {"progressToken": "w"}}))
        order = []
        while True:
            m = client.read(120)
            self.assertIsNotNone(m)
            if "id" in m:
                order.append(m["id"])
                if m["id"] == 2:
                    break
            else:
                self.assertEqual(m["params"]["progressToken"], "w")
                self.assertIn("still reading the documents", m["params"]["message"])
        self.assertEqual(order, [1, 2])
        entries = m["result"]["structuredContent"]["entries"]
        self.assertEqual(entries[0]["doc"], "note-1999.md")
        client.close()

    def test_stdio_progress_then_the_result(self):
        client = StdioClient(self.tree, "--no-watch")
        client.send(rpc(1, "tools/call", {"name": "diagnostics", "arguments": {},
                                          "_meta": {"progressToken": "p1"}}))
        progress = []
        while True:
            m = client.read(60)
            if m.get("id") == 1:
                break
            self.assertEqual((m["method"], m["params"]["progressToken"]), ("notifications/progress", "p1"))
            progress.append(m["params"]["progress"])
        self.assertGreater(len(progress), 10)
        self.assertEqual(progress, sorted(progress))
        self.assertEqual(m["result"]["structuredContent"]["more"], 0)
        client.close()

    def test_stdio_cancelled_call_gets_no_reply_and_the_next_is_answered(self):
        # The reader notes a cancellation as it reads it, before the worker takes the lines that
        # follow; sending it first makes the test independent of timing.
        client = StdioClient(self.tree, "--no-watch")
        client.send(json.dumps({"jsonrpc": "2.0", "method": "notifications/cancelled",
                                "params": {"requestId": 2, "reason": "user"}}) + "\n" +
                    rpc(2, "tools/call", {"name": "diagnostics", "arguments": {}}) + "\n" + rpc(3, "ping"))
        self.assertEqual(client.read(60), {"jsonrpc": "2.0", "id": 3, "result": {}})
        client.close()

    def test_http_progress_is_a_response_stream(self):
        work = tempfile.mkdtemp(prefix="og-progress-")
        proc, url = og_http.start(OG, [self.tree.dir], {"t": None}, work, ["--no-watch"])
        try:
            connection = http.client.HTTPConnection(urllib.parse.urlparse(url).netloc, timeout=60)
            connection.request("POST", "/mcp", body=rpc(4, "tools/call", {
                "name": "diagnostics", "arguments": {}, "_meta": {"progressToken": 7}}),
                headers={"Content-Type": "application/json", "Authorization": "Bearer t",
                         "Accept": "application/json, text/event-stream"})
            response = connection.getresponse()
            self.assertEqual(response.getheader("Content-Type"), "text/event-stream")
            events = [json.loads(line[6:]) for line in response.read().decode().splitlines()
                      if line.startswith("data: ")]
            self.assertEqual(events[-1]["id"], 4)
            self.assertTrue(all(e["method"] == "notifications/progress" for e in events[:-1]))
            self.assertGreater(len(events), 10)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            shutil.rmtree(work, ignore_errors=True)


class Http(unittest.TestCase):
    def setUp(self):
        self.tree = Tree()
        self.work = tempfile.mkdtemp(prefix="og-notify-http-")
        self.proc, url = og_http.start(OG, [self.tree.dir], {"admin-token": None, "reader-token": "reader"},
                                       self.work)
        self.host = urllib.parse.urlparse(url).netloc

    def tearDown(self):
        self.proc.terminate()
        self.assertEqual(self.proc.wait(timeout=10), 0)  # open streams do not hold the stop up
        self.tree.close()
        shutil.rmtree(self.work, ignore_errors=True)

    def request(self, method, body=None, token="admin-token", headers=None):
        connection = http.client.HTTPConnection(self.host, timeout=10)
        h = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream",
             "Authorization": "Bearer " + token}
        h.update(headers or {})
        connection.request(method, "/mcp", body=body, headers=h)
        return connection.getresponse()

    @staticmethod
    def events(response, count):
        """The first `count` SSE data events of a stream, skipping keep-alive comments."""
        out = []
        while len(out) < count:
            line = response.fp.readline().decode()
            if not line:
                break
            if line.startswith("data: "):
                out.append(json.loads(line[6:]))
        return out

    def test_legacy_session_stream_carries_its_subscriptions(self):
        init = self.request("POST", rpc(0, "initialize", INIT))
        session = init.getheader("Mcp-Session-Id")
        init.read()
        headers = {"Mcp-Session-Id": session, "MCP-Protocol-Version": "2025-11-25"}
        sub = self.request("POST", rpc(1, "resources/subscribe", {"uri": DOC + "#rollback"}), headers=headers)
        self.assertEqual(json.loads(sub.read())["result"], {})
        self.assertEqual(self.request("GET", headers=headers, token="reader-token").status, 404)  # not its session
        stream = self.request("GET", headers=headers)
        self.assertEqual(stream.status, 200)
        self.assertEqual(stream.getheader("Content-Type"), "text/event-stream")
        self.assertEqual(self.request("GET", headers=headers).status, 409)  # one stream per session
        edit(self.tree.doc, "Post the incident link", "Post the incident ticket")
        [event] = self.events(stream, 1)
        self.assertEqual(event, {"jsonrpc": "2.0", "method": "notifications/resources/updated",
                                 "params": {"uri": DOC + "#rollback"}})

    def test_modern_listen_is_a_response_stream(self):
        body = rpc(3, "subscriptions/listen", {"_meta": MODERN, "notifications": {
            "resourcesListChanged": True, "resourceSubscriptions": [DOC]}})
        stream = self.request("POST", body, token="reader-token",
                              headers={"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "subscriptions/listen"})
        self.assertEqual(stream.getheader("Content-Type"), "text/event-stream")
        [ack] = self.events(stream, 1)
        self.assertEqual(ack["method"], "notifications/subscriptions/acknowledged")
        edit(self.tree.doc, "stay on the bridge", "stay on the call")  # admin only
        edit(self.tree.doc, "Post the incident link", "Post the incident ticket")  # operator only
        with open(os.path.join(self.tree.doc), "a") as f:
            f.write("\n## Contacts {#contacts}\n\nThe payments team.\n")
        [event, listed] = self.events(stream, 2)
        self.assertEqual((event["method"], event["params"]["uri"]), ("notifications/resources/updated", DOC))
        self.assertEqual(listed["method"], "notifications/resources/list_changed")
        self.assertEqual(listed["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"], 3)
        modern_get = self.request("GET", headers={"MCP-Protocol-Version": "2026-07-28"})
        self.assertEqual(modern_get.status, 405)


class StreamLimit(unittest.TestCase):
    def test_streams_take_at_most_half_the_connections(self):
        tree, work = Tree(), tempfile.mkdtemp(prefix="og-streams-")
        proc, url = og_http.start(OG, [tree.dir], {"t": None}, work, ["--max-connections", "2"])
        try:
            host = urllib.parse.urlparse(url).netloc
            headers = {"Content-Type": "application/json", "Authorization": "Bearer t",
                       "Accept": "application/json, text/event-stream",
                       "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "subscriptions/listen"}
            body = rpc(1, "subscriptions/listen", {"_meta": MODERN, "notifications": {"resourcesListChanged": True}})
            first = http.client.HTTPConnection(host, timeout=10)
            first.request("POST", "/mcp", body=body, headers=headers)
            self.assertEqual(first.getresponse().getheader("Content-Type"), "text/event-stream")
            second = http.client.HTTPConnection(host, timeout=10)
            second.request("POST", "/mcp", body=body, headers=headers)
            self.assertEqual(second.getresponse().status, 503)
            first.close()
            second.close()
        finally:
            proc.terminate()
            self.assertEqual(proc.wait(timeout=10), 0)
            tree.close()
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
