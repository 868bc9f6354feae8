#!/usr/bin/env python3
"""Fault suite of `og serve` and the writing commands (issue #12). Prints a Markdown table.

    fault_suite.py [--og build/og] [--corpus ../shared/bench/corpus] [--duration 20]
                   [--clients 32] [--docs 40]

Phases, each on a fresh temporary tree:
  load     og serve --http under C concurrent clients (search_index, resolve_context,
           resources/read; reader and admin tokens) while a writer edits in place (in two
           writes, the file held open between them), replaces atomically, renames, deletes,
           truncates and re-creates files, moves folders in and out, swaps a ConfigMap-style
           `..data` link, and damages then repairs the frontmatter of an admin-only document.
  sigkill  og commit and og transpile --in-place killed with SIGKILL at random moments.
  ulimit   the load phase's clients against a server started with a small `ulimit -n`.
  slow     clients that open connections and send half a request, holding them, while
           other clients call.
  enospc   og commit and og transpile --in-place on a tmpfs that is full (needs mount(2):
           reported as not run where the machine does not allow it).

Counted: calls; errors (transport errors, HTTP != 200, JSON-RPC errors, isError results);
wrong answers (a node text holding the start of a version without its end — a half-written
file served — or markers of two versions of one file, or of a version never written); role
leaks (a reader answer holding admin-only text); crashes (the server exited); files corrupted
(neither the old nor the new bytes) or lost; peak RSS; time to recover (writer stopped -> every
file read back as its last version). Goal: 0 errors, 0 wrong, 0 leaks, 0 crashes, 0 corrupted.
"""
import argparse
import hashlib
import http.client
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

META = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {}}
TOKENS = {"admin-token": "admin", "reader-token": "reader"}
ROLES = "---\nog: 1\nroles: {admin: [reader], reader: []}\n---\n"
SECRET = ("---\nog: 1\ntitle: Break-glass\nroles: {admin: [reader], reader: []}\nscope: admin\n"
          "---\n# Break-glass procedure {#break-glass}\n\nroot password is zqsecretword\n")
MARK = re.compile(r"zq(beg|end)x(\d+)x(\d+)")


def versioned(file_no, version, filler):
    """A document whose one node starts and ends with its version's markers."""
    return (ROLES + "# Versioned file %d {#v%d}\n\nzqbegx%dx%d %s\n\n%s\n\nzqendx%dx%d\n"
            % (file_no, file_no, file_no, version, "versioned words", filler, file_no, version))


class Counts:
    def __init__(self):
        self.lock = threading.Lock()
        self.calls = self.errors = self.wrong = self.leaks = 0
        self.examples = []

    def add(self, **kw):
        with self.lock:
            for k, v in kw.items():
                setattr(self, k, getattr(self, k) + v)

    def note(self, text):
        with self.lock:
            if len(self.examples) < 5:
                self.examples.append(text[:300])


class Server:
    def __init__(self, og, root, work, extra=(), nofile=None):
        token_file = os.path.join(work, "tokens.json")
        with open(token_file, "w") as f:
            json.dump({"tokens": [{"sha256": hashlib.sha256(t.encode()).hexdigest(), "role": r}
                                  for t, r in TOKENS.items()]}, f)
        port_file = os.path.join(work, "port")
        self.log = open(os.path.join(work, "serve.log"), "w")

        def limits():
            if nofile:
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
        self.process = subprocess.Popen(
            [og, "serve", root, "--http", "127.0.0.1:0", "--tokens", token_file, "--port-file",
             port_file, *extra], stderr=self.log, preexec_fn=limits)
        for _ in range(1200):
            if os.path.exists(port_file) and os.path.getsize(port_file):
                break
            if self.process.poll() is not None:
                raise RuntimeError("og serve exited with %d" % self.process.returncode)
            time.sleep(0.05)
        with open(port_file) as f:
            self.port = int(f.read())
        self.peak_rss_kb = 0

    def sample_rss(self):
        try:
            with open("/proc/%d/status" % self.process.pid) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        self.peak_rss_kb = max(self.peak_rss_kb, int(line.split()[1]))
        except OSError:
            pass

    def crashed(self):
        return self.process.poll() is not None

    def stop(self):
        self.sample_rss()
        crashed = self.crashed()
        if not crashed:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
        return crashed


def call(port, method, params, token, timeout=30):
    """One stateless request; returns (ok, result or None, error text)."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method,
                       "params": dict(params, _meta=META)})
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream",
               "Authorization": "Bearer " + token, "MCP-Protocol-Version": "2026-07-28",
               "Mcp-Method": method}
    if method == "tools/call":
        headers["Mcp-Name"] = params["name"]
    elif method == "resources/read":
        headers["Mcp-Name"] = params["uri"]
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        c.request("POST", "/mcp", body, headers)
        r = c.getresponse()
        data = r.read()
        c.close()
    except (OSError, http.client.HTTPException) as e:
        return False, None, "transport: %s" % e
    if r.status != 200:
        return False, None, "HTTP %d %s" % (r.status, data[:200])
    reply = json.loads(data)
    if "error" in reply:
        return False, None, "JSON-RPC %s" % reply["error"]
    result = reply["result"]
    if result.get("isError"):
        return False, None, "tool error %s" % json.dumps(result)[:200]
    return True, result, ""


def check_text(text, written, counts, what):
    """Wrong answers: half a version, two versions of one file, or a version never written."""
    seen = {}
    for kind, f, v in MARK.findall(text):
        seen.setdefault(int(f), {}).setdefault(int(v), set()).add(kind)
    for f, versions in seen.items():
        bad = len(versions) > 1 or any(kinds != {"beg", "end"} for kinds in versions.values())
        bad = bad or any((f, v) not in written for v in versions)
        if bad:
            counts.add(wrong=1)
            counts.note("%s: %s" % (what, text[:200]))


def client_loop(port, stop, counts, written, seed, ids):
    rng = random.Random(seed)
    while not stop.is_set():
        token = rng.choice(list(TOKENS))
        kind = rng.random()
        if kind < 0.45:
            query = rng.choice(["versioned words", "root password zqsecretword",
                                "how do I roll back", "break glass procedure"])
            method, params = "tools/call", {"name": "search_index",
                                            "arguments": {"query": query, "limit": 5}}
        elif kind < 0.85:
            method, params = "tools/call", {"name": "resolve_context",
                                            "arguments": {"ids": [rng.choice(ids)],
                                                          "max_tokens": 4000}}
        else:
            method, params = "resources/read", {"uri": "og://doc/" + rng.choice(
                ["secret.og", "stable/doc-0.md"])}
        ok, result, error = call(port, method, params, token)
        counts.add(calls=1)
        if not ok:
            # A resource or node that is being renamed or deleted may be missing: that is the
            # truthful answer for that instant, not an error of the server.
            if "not found" in error or "unknown" in error or "-32002" in error:
                continue
            counts.add(errors=1)
            counts.note(error)
            continue
        text = json.dumps(result)
        if token == "reader-token" and "zqsecretword" in text:
            counts.add(leaks=1)
            counts.note("leak: " + text[:200])
        if "resolve_context" in json.dumps(params):
            for node in result.get("structuredContent", {}).get("nodes", []):
                check_text(node.get("text", ""), written, counts, "resolve")


def writer_loop(root, stop, written, lock, rng, files, ops):
    """Edits files in every way an editor, git or the kubelet does."""
    version = {f: 0 for f in range(files)}

    def next_text(f):
        version[f] += 1
        with lock:
            written.add((f, version[f]))
        return versioned(f, version[f], "filler " * rng.randint(10, 400))

    def path(f):
        return os.path.join(root, "live", "f%d.md" % f)
    while not stop.is_set():
        f = rng.randrange(files)
        op = rng.choice(["inplace", "atomic", "rename", "delete", "truncate", "dirmove",
                         "configmap", "secret"])
        ops[op] = ops.get(op, 0) + 1
        try:
            if op == "inplace":  # two writes with the file held open: a half file exists
                text = next_text(f)
                with open(path(f), "w") as out:
                    out.write(text[:len(text) // 2])
                    out.flush()
                    time.sleep(rng.random() * 0.3)
                    out.write(text[len(text) // 2:])
            elif op == "atomic":
                tmp = path(f) + ".tmp~"
                with open(tmp, "w") as out:
                    out.write(next_text(f))
                os.rename(tmp, path(f))
            elif op == "rename" and os.path.exists(path(f)):
                os.rename(path(f), path(f) + ".moved.md")
                time.sleep(0.05)
                os.rename(path(f) + ".moved.md", path(f))
            elif op == "delete" and os.path.exists(path(f)):
                os.unlink(path(f))
                time.sleep(0.05)
                with open(path(f), "w") as out:
                    out.write(next_text(f))
            elif op == "truncate" and os.path.exists(path(f)):
                with open(path(f), "r+") as out:
                    out.truncate(0)
                    out.flush()
                    time.sleep(0.05)
                    out.write(next_text(f))
            elif op == "dirmove":
                moving = os.path.join(root, "movable")
                outside = os.path.join(os.path.dirname(root), "parked")
                if os.path.exists(moving):
                    os.rename(moving, outside)
                elif os.path.exists(outside):
                    os.rename(outside, moving)
            elif op == "configmap":
                rev = os.path.join(root, "..rev_%d" % rng.randrange(1 << 30))
                os.makedirs(rev)
                with open(os.path.join(rev, "mapped.md"), "w") as out:
                    out.write(ROLES + "# Mapped {#mapped}\n\nmapped words %d\n" % rng.randrange(99))
                os.symlink(os.path.basename(rev), os.path.join(root, "..data_tmp"))
                old = os.path.realpath(os.path.join(root, "..data"))
                os.rename(os.path.join(root, "..data_tmp"), os.path.join(root, "..data"))
                shutil.rmtree(old, ignore_errors=True)
            elif op == "secret":  # a stray quote, then repaired: never served to the reader
                secret = os.path.join(root, "secret.og")
                with open(secret + ".tmp~", "w") as out:
                    out.write(SECRET.replace("title: Break-glass", 'title: "Break-glass'))
                os.rename(secret + ".tmp~", secret)
                time.sleep(rng.random() * 0.3)
                with open(secret + ".tmp~", "w") as out:
                    out.write(SECRET)
                os.rename(secret + ".tmp~", secret)
        except OSError:
            pass
        time.sleep(rng.random() * 0.02)
    return version


def make_tree(base, corpus, docs, files):
    root = os.path.join(base, "tree")
    os.makedirs(os.path.join(root, "live"))
    os.makedirs(os.path.join(root, "stable"))
    os.makedirs(os.path.join(root, "movable"))
    names = sorted(os.path.join(d, n) for d, _, ns in os.walk(corpus) for n in ns if n.endswith(".md"))
    for i, name in enumerate(names[:docs]):
        shutil.copy(name, os.path.join(root, "stable", "doc-%d.md" % i))
        if i < 5:
            shutil.copy(name, os.path.join(root, "movable", "m-%d.md" % i))
    with open(os.path.join(root, "secret.og"), "w") as out:
        out.write(SECRET)
    for f in range(files):
        with open(os.path.join(root, "live", "f%d.md" % f), "w") as out:
            out.write(versioned(f, 0, "filler"))
    rev = os.path.join(root, "..rev_first")
    os.makedirs(rev)
    with open(os.path.join(rev, "mapped.md"), "w") as out:
        out.write(ROLES + "# Mapped {#mapped}\n\nmapped words\n")
    os.symlink("..rev_first", os.path.join(root, "..data"))
    os.symlink("..data/mapped.md", os.path.join(root, "mapped.md"))
    return root


def run_load(args, name, extra=(), nofile=None, slow=0):
    base = tempfile.mkdtemp(prefix="og-fault-")
    files = 12
    root = make_tree(base, args.corpus, args.docs, files)
    server = Server(args.og, root, base, extra, nofile)
    counts, stop, lock = Counts(), threading.Event(), threading.Lock()
    written = {(f, 0) for f in range(files)}
    ids = ["v%d" % f for f in range(files)] + ["break-glass", "mapped"]
    slow_sockets = []
    for _ in range(slow):  # half a request each, held open
        s = socket.create_connection(("127.0.0.1", server.port))
        s.sendall(b"POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        slow_sockets.append(s)
    clients = [threading.Thread(target=client_loop,
                                args=(server.port, stop, counts, written, i, ids))
               for i in range(args.clients)]
    ops = {}
    rng = random.Random(1)
    result = {}
    writer = threading.Thread(target=lambda: result.update(
        version=writer_loop(root, stop, written, lock, rng, files, ops)))
    for t in clients + [writer]:
        t.start()
    deadline = time.time() + args.duration
    while time.time() < deadline and not server.crashed():
        server.sample_rss()
        time.sleep(0.2)
    stop.set()
    for t in clients + [writer]:
        t.join()
    for s in slow_sockets:
        s.close()
    # Recovery: every live file answers as its last version.
    stopped = time.time()
    recovered = None
    while time.time() - stopped < 30 and not server.crashed():
        good = 0
        for f in range(files):
            ok, res, _ = call(server.port, "tools/call",
                              {"name": "resolve_context", "arguments": {"ids": ["v%d" % f]}},
                              "admin-token")
            v = result["version"][f]
            good += ok and ("zqendx%dx%d" % (f, v)) in json.dumps(res)
        if good == files:
            recovered = time.time() - stopped
            break
        time.sleep(0.1)
    crashed = server.stop()
    if os.environ.get("OG_FAULT_KEEP"):
        print("kept " + base, file=sys.stderr)
    else:
        shutil.rmtree(base, ignore_errors=True)
    return {"phase": name, "calls": counts.calls, "errors": counts.errors, "wrong": counts.wrong,
            "leaks": counts.leaks, "crashes": int(crashed), "corrupted": 0, "lost": 0,
            "rss": server.peak_rss_kb // 1024,
            "recover": "%.2f s" % recovered if recovered is not None else "not recovered",
            "examples": counts.examples, "ops": ops}


def run_sigkill(args, rounds=40):
    """og commit / og transpile --in-place killed mid-write: each file old or new, never torn."""
    base = tempfile.mkdtemp(prefix="og-kill-")
    names = sorted(os.path.join(d, n) for d, _, ns in os.walk(args.corpus) for n in ns
                   if n.endswith(".md"))[:10]
    rng = random.Random(2)
    corrupted = lost = calls = errors = 0
    outcome = {"old": 0, "new": 0}
    for r in range(rounds):
        work = os.path.join(base, "r%d" % r)
        os.makedirs(work)
        files = []
        for i, name in enumerate(names):
            dst = os.path.join(work, "d%d.md" % i)
            shutil.copy(name, dst)
            files.append(dst)
        command = ["transpile", "--in-place", *files] if r % 2 == 0 else ["commit", *files]
        expected = {}
        ref = os.path.join(base, "ref%d" % r)
        shutil.copytree(work, ref)
        subprocess.run([args.og] + [c.replace(work, ref) for c in command], capture_output=True)
        for f in files:
            with open(f, "rb") as a, open(f.replace(work, ref), "rb") as b:
                expected[f] = (a.read(), b.read())
        p = subprocess.Popen([args.og, *command], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(rng.random() * 0.15)
        p.send_signal(signal.SIGKILL)
        p.wait()
        calls += 1
        for f in files:
            if not os.path.exists(f):
                lost += 1
                continue
            with open(f, "rb") as h:
                now = h.read()
            if now not in expected[f]:
                corrupted += 1
            else:
                outcome["old" if now == expected[f][0] else "new"] += 1
        # og check must still read every file (and temp files left by the kill are not docs).
        check = subprocess.run([args.og, "check", work], capture_output=True, text=True)
        errors += "error[" in check.stdout
    shutil.rmtree(base, ignore_errors=True)
    return {"phase": "sigkill (commit, transpile --in-place)", "calls": calls, "errors": errors,
            "wrong": 0, "leaks": 0, "crashes": 0, "corrupted": corrupted, "lost": lost, "rss": 0,
            "recover": "-", "examples": [], "ops": {"files left old": outcome["old"],
                                                    "files written new": outcome["new"]}}


def run_enospc(args):
    base = tempfile.mkdtemp(prefix="og-enospc-")
    mount = os.path.join(base, "small")
    os.makedirs(mount)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount],
                      capture_output=True).returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        return None
    try:
        names = sorted(os.path.join(d, n) for d, _, ns in os.walk(args.corpus) for n in ns
                       if n.endswith(".md"))[:5]
        files = []
        for i, name in enumerate(names):
            dst = os.path.join(mount, "d%d.md" % i)
            shutil.copy(name, dst)
            files.append(dst)
        before = {f: open(f, "rb").read() for f in files}
        with open(os.path.join(mount, "fill"), "wb") as fill:  # fill the rest of the tmpfs
            try:
                while True:
                    fill.write(b"\0" * 65536)
                    fill.flush()
            except OSError:
                pass
        calls = errors_reported = 0
        for command in (["transpile", "--in-place"], ["commit"]):
            r = subprocess.run([args.og, *command, *files], capture_output=True, text=True)
            calls += 1
            errors_reported += r.returncode != 0 and "No space left" in r.stderr
        corrupted = sum(open(f, "rb").read() != before[f] for f in files)
        lost = sum(not os.path.exists(f) for f in files)
        leftovers = [n for n in os.listdir(mount) if "og-tmp" in n]
        return {"phase": "enospc (tmpfs full)", "calls": calls,
                "errors": calls - errors_reported, "wrong": 0, "leaks": 0, "crashes": 0,
                "corrupted": corrupted, "lost": lost + len(leftovers), "rss": 0, "recover": "-",
                "examples": [] if errors_reported == calls else ["ENOSPC not reported clearly"],
                "ops": {}}
    finally:
        subprocess.run(["umount", mount], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--og", default=os.path.join(here, "..", "build", "og"))
    p.add_argument("--corpus", default=os.path.join(here, "..", "..", "shared", "bench", "corpus"))
    p.add_argument("--duration", type=float, default=20, help="seconds of load per phase")
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--docs", type=int, default=40, help="bench documents served beside the live ones")
    p.add_argument("--phases", default="load,sigkill,ulimit,slow,enospc")
    p.add_argument("--correctness-only", action="store_true",
                   help="exit 1 only for wrong answers, leaks, crashes and lost or corrupted "
                        "files, not for call errors (the short run under ctest)")
    args = p.parse_args()
    # The detector itself must see what it is for, or a 0 below would mean nothing.
    probe, torn = Counts(), {(1, 1), (1, 2)}
    check_text("zqbegx1x1 half", torn, probe, "probe")
    check_text("zqbegx1x1 zqendx1x2", torn, probe, "probe")
    check_text("zqbegx1x9 zqendx1x9", torn, probe, "probe")
    check_text("zqbegx1x1 whole zqendx1x1", torn, probe, "probe")
    assert probe.wrong == 3, "the wrong-answer detector is broken"
    phases = args.phases.split(",")
    rows = []
    if "load" in phases:
        rows.append(run_load(args, "load + writer"))
    if "sigkill" in phases:
        rows.append(run_sigkill(args))
    if "ulimit" in phases:
        rows.append(run_load(args, "load + writer, ulimit -n 256", nofile=256))
    if "slow" in phases:
        rows.append(run_load(args, "load + writer, 24 slow clients", slow=24,
                             extra=("--timeout", "5")))
    if "enospc" in phases:
        row = run_enospc(args)
        if row is None:
            print("enospc: not run (mounting a tmpfs is not permitted here)", file=sys.stderr)
        else:
            rows.append(row)
    print("| phase | calls | errors | wrong answers | role leaks | crashes | files corrupted | "
          "files lost | peak RSS MB | time to recover |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print("| %(phase)s | %(calls)d | %(errors)d | %(wrong)d | %(leaks)d | %(crashes)d | "
              "%(corrupted)d | %(lost)d | %(rss)d | %(recover)s |" % r)
    for r in rows:
        if r["ops"]:
            print("\n%s: %s" % (r["phase"], json.dumps(r["ops"], sort_keys=True)))
        for e in r["examples"]:
            print("  %s: %s" % (r["phase"], e), file=sys.stderr)
    bad = any((r["errors"] and not args.correctness_only) or r["wrong"] or r["leaks"] or r["crashes"] or r["corrupted"] or r["lost"]
              or r["recover"] == "not recovered" for r in rows)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
