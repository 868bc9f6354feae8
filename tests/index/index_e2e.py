"""The persistent index end to end (issue #13): og index's update, status and verify; an update
killed with SIGKILL leaves the last revision readable; og serve followers see one revision per
answer while og index writes; replication with xapian-replicate on loopback; roles enforced on
every path through the index. Usage: index_e2e.py OG SHARED_DIR"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "serve"))
import og_http  # noqa: E402

OG = SHARED = None


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)  # as editors and git write: whole or not at all


def og(*args, check=None):
    run = subprocess.run([OG, *args], capture_output=True, text=True)
    if check is not None:
        assert run.returncode == check, (args, run.returncode, run.stdout, run.stderr)
    return run


def og_json(command, *args, check=0):
    return json.loads(og(command, "--json", *args, check=check).stdout)


def bench_tree(dest, copies=1):
    corpus = os.path.join(SHARED, "bench", "corpus")
    for c in range(copies):
        shutil.copytree(corpus, os.path.join(dest, "copy%d" % c))


def files_under(folder):
    return sorted(os.path.join(d, f) for d, _, names in os.walk(folder) for f in names)


def ranking(tree, query, *extra):
    """(id, score, title) of og search's hits: document names differ between an index (named as
    og serve names them) and the files (named as given), what is found and how it ranks not."""
    out = og_json("search", tree, "-k", "20", *extra, "--", query)
    return [(e["id"], round(e["score"], 9), e["title"], e["doc"].split("/")[-1])
            for e in out["entries"]]


class Server:
    def __init__(self, paths, *extra, roles=False):
        self.work = tempfile.mkdtemp()
        tokens = {"adm": "admin", "rd": "reader"} if roles else {"adm": None, "rd": None}
        self.process, self.url = og_http.start(OG, paths, tokens, self.work, extra)

    def call(self, name, arguments, token="rd"):
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                           "params": {"name": name, "arguments": arguments}}).encode()
        request = urllib.request.Request(self.url, data=body, headers={
            "Content-Type": "application/json", "Accept": "application/json, text/event-stream",
            "Authorization": "Bearer " + token, "MCP-Protocol-Version": "2025-06-18"})
        with urllib.request.urlopen(request, timeout=30) as r:
            assert r.status == 200
            reply = json.loads(r.read())
        assert "error" not in reply and not reply["result"].get("isError"), reply
        return reply["result"]["structuredContent"]

    def search(self, query, token="rd"):
        out = self.call("search_index", {"query": query, "limit": 50}, token)
        return [(e["doc"], e["id"], e["title"], round(e["score"], 9)) for e in out["entries"]]

    def wait_for(self, predicate, seconds=30):
        return og_http.wait_for(predicate, seconds)

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.work, ignore_errors=True)


class IndexTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.tree = os.path.join(self.dir, "tree")
        self.index = os.path.join(self.dir, "index")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_update_status_verify(self):
        bench_tree(self.tree)
        first = og_json("index", self.tree, "--index", self.index)
        self.assertEqual((first["documents"], first["read"], first["removed"]), (100, 100, 0))
        again = og_json("index", self.tree, "--index", self.index)
        self.assertEqual((again["read"], again["tokenized"], again["written"]), (0, 0, 0),
                         "an unchanged tree reads nothing")
        self.assertEqual(again["revision"], first["revision"])
        self.assertTrue(og_json("index", "--status", self.tree, "--index", self.index)
                        ["tree"]["current"])
        some = files_under(os.path.join(self.tree, "copy0"))
        with open(some[0], "a") as f:
            f.write("\nA new paragraph about zebrafish husbandry.\n")
        os.remove(some[1])
        status = og_json("index", "--status", self.tree, "--index", self.index, check=1)
        self.assertEqual((status["tree"]["changed"], status["tree"]["removed"]), (1, 1))
        update = og_json("index", self.tree, "--index", self.index)
        self.assertEqual((update["read"], update["written"], update["removed"]), (1, 1, 1))
        self.assertEqual(og_json("index", "--verify", "--index", self.index)["problems"], [])
        for query in ["zebrafish husbandry", "How do I configure the retry policy?", "install"]:
            self.assertEqual(ranking(self.tree, query, "--index", self.index),
                             ranking(self.tree, query, "--no-index"), query)

    def test_sigkill_leaves_the_last_revision(self):
        bench_tree(self.tree, copies=3)
        og("index", self.tree, "--index", self.index, check=0)
        before = ranking(self.tree, "deployment rollback", "--index", self.index)
        for delay in [0.05, 0.2, 0.5, 1.0, 2.0]:
            for name in files_under(os.path.join(self.tree, "copy1"))[:60]:
                with open(name, "a") as f:
                    f.write("\nAppended while indexing %s.\n" % delay)
            update = subprocess.Popen([OG, "index", self.tree, "--index", self.index],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            update.send_signal(signal.SIGKILL)
            update.wait()
            verify = og_json("index", "--verify", "--index", self.index, check=None)
            self.assertEqual(verify["problems"], [], "killed after %s s" % delay)
            reader = og_json("index", "--status", "--index", self.index)
            self.assertGreater(reader["files"], 0)
        og("index", self.tree, "--index", self.index, check=0)
        self.assertEqual(og_json("index", "--verify", "--index", self.index)["problems"], [])
        self.assertEqual(ranking(self.tree, "deployment rollback", "--index", self.index),
                         ranking(self.tree, "deployment rollback", "--no-index"))
        self.assertTrue(before)

    def test_followers_see_one_revision_per_answer(self):
        def version(v):
            for i in range(40):
                write(os.path.join(self.tree, "d%02d.md" % i),
                      "# Page %d v%d\n\nmarker words of version v%d here.\n" % (i, v, v))
        version(0)
        og("index", self.tree, "--index", self.index, check=0)
        follower = Server([], "--index", self.index)
        answers, problems, done = [], [], threading.Event()

        def ask():  # queries all along, while og index writes and the follower moves on
            while not done.is_set():
                try:
                    hits = follower.search("marker")
                    answers.append({title.split()[-1] for _, _, title, _ in hits})
                    if len(hits) != 40:
                        problems.append("%d hits" % len(hits))
                except Exception as e:  # noqa: BLE001 - any failure is the finding
                    problems.append(repr(e))
        asker = threading.Thread(target=ask)
        asker.start()
        try:
            for v in range(1, 8):
                version(v)
                og("index", self.tree, "--index", self.index, check=0)
                self.assertTrue(follower.wait_for(lambda: answers and answers[-1] == {"v%d" % v}),
                                "the follower reached v%d" % v)
        finally:
            done.set()
            asker.join()
            follower.close()
        self.assertEqual(problems, [])
        self.assertGreater(len(answers), 20)
        mixed = [a for a in answers if len(a) != 1]
        self.assertEqual(mixed, [], "an answer mixed two revisions")
        self.assertGreaterEqual(len({min(a) for a in answers}), 7, "it saw every revision")

    def test_replication_on_loopback(self):
        bench_tree(self.tree)
        primary = os.path.join(self.dir, "primary", "corpus")
        replica = os.path.join(self.dir, "replica")
        # The writer keeps changesets, so the second replication sends only what changed.
        os.environ["XAPIAN_MAX_CHANGESETS"] = "8"
        self.addCleanup(os.environ.pop, "XAPIAN_MAX_CHANGESETS")
        og("index", self.tree, "--index", primary, check=0)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(["xapian-replicate-server", "-I", "127.0.0.1", "-p", str(port),
                                   os.path.dirname(primary)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def replicate():
            for _ in range(50):  # the server may still be starting
                run = subprocess.run(["xapian-replicate", "-h", "127.0.0.1", "-p", str(port),
                                      "-m", "corpus", "-o", "-r", "0", "-q", replica],
                                     capture_output=True, text=True)
                if run.returncode == 0:
                    return
                time.sleep(0.2)
            self.fail("xapian-replicate: " + run.stderr)
        try:
            replicate()
            ours, theirs = Server([], "--index", primary), Server([], "--index", replica)
            try:
                query = "How do I configure the retry policy?"
                self.assertTrue(ours.search(query))
                self.assertEqual(theirs.search(query), ours.search(query))
                with open(files_under(os.path.join(self.tree, "copy0"))[3], "a") as f:
                    f.write("\n## Quokka census\n\nThe quokka census runs each spring.\n")
                og("index", self.tree, "--index", primary, check=0)
                replicate()
                self.assertTrue(theirs.wait_for(lambda: theirs.search("quokka census")))
                self.assertTrue(ours.wait_for(lambda: ours.search("quokka census")))
                for q in ["quokka census", query]:
                    self.assertEqual(theirs.search(q), ours.search(q))
            finally:
                ours.close()
                theirs.close()
        finally:
            server.kill()
            server.wait()

    def test_roles_on_every_path(self):
        write(os.path.join(self.tree, "vault.og"),
              "---\nog: 1\nroles: {admin: [reader], reader: []}\n---\n"
              "# Open {#open}\n\npublic words here\n\n"
              "# Vault {#vault scope=admin}\n\nroot password is zqhunter2\n")
        og("index", self.tree, "--index", self.index, check=0)
        for paths, extra in [([self.tree], ("--no-index",)), ([self.tree], ("--index", self.index)),
                             ([], ("--index", self.index))]:
            server = Server(paths, *extra, roles=True)
            try:
                self.assertEqual(server.search("zqhunter2 password vault"), [], extra)
                self.assertTrue(server.search("zqhunter2 password vault", token="adm"))
                resolved = server.call("resolve_context", {"ids": ["vault", "open"]})
                self.assertNotIn("zqhunter", json.dumps(resolved))
                listing = server.call("search_index", {"query": "", "limit": 200})
                self.assertEqual([e["id"] for e in listing["entries"]], ["open"])
            finally:
                server.close()
        self.assertTrue(og_json("search", self.tree, "--index", self.index, "--role", "reader",
                                "--", "zqhunter2", check=1)["entries"] == [])


if __name__ == "__main__":
    OG = os.path.abspath(sys.argv.pop(1))
    SHARED = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
