#!/usr/bin/env python3
"""Scale benchmark of the persistent index (issue #13) over ../shared/scale/corpus-40k.tar.xz,
unpacked at run time: 1k, 10k, 40k documents, and 120k (the archive three times under
different folders). Per size: og index's full build (s, MB/s, size on disk), og serve's time to
ready from that index and its RSS then, search_index / resolve_context p50/p99 over HTTP and
in-process (bench_index_latency, built beside og with the benchmarks), one
edited file -> visible, 1,000 edited files -> visible, peak RSS over all of it.

    python3 bench/scale.py build/og ../shared/scale/corpus-40k.tar.xz [--sizes 1000,10000,40000,120000]
                           [--work build/scale-bench]

Prints a Markdown table. Files are hard links into one unpacked copy (nothing is committed).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request

QUERIES = ["git commit", "how do I list files", "kubernetes pod scheduling", "ethereum gas limit",
           "rust trait objects", "compress a directory", "network interface", "docker container",
           "What is an RFC process?", "signature verification", "enhancement proposal graduation",
           "package manager install", "memory safety", "copy files over ssh", "token standard"]


def unpack(archive, work):
    source = os.path.join(work, "unpacked")
    if not os.path.isdir(source):
        os.makedirs(source + ".part", exist_ok=True)
        with tarfile.open(archive) as tar:
            tar.extractall(source + ".part")
        os.rename(source + ".part", source)
    files = sorted(os.path.relpath(os.path.join(d, f), source)
                   for d, _, names in os.walk(source) for f in names
                   if f.endswith((".md", ".markdown", ".og")))
    return source, files


def make_tree(source, files, size, work):
    tree = os.path.join(work, "tree-%d" % size)
    if os.path.isdir(tree):
        return tree
    copies = (size + len(files) - 1) // len(files)
    if copies == 1:  # an even spread over the sources, as the archive's mix
        chosen = [(0, files[i * len(files) // size]) for i in range(size)]
    else:
        chosen = [(c, f) for c in range(copies) for f in files][:size]
    for copy, rel in chosen:
        dest = os.path.join(tree + ".part", "copy%d" % copy, rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        os.link(os.path.join(source, rel), dest)
    os.rename(tree + ".part", tree)
    return tree


def tree_bytes(tree):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, names in os.walk(tree) for f in names)


def status_kb(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class Server:
    def __init__(self, og, tree, index, work):
        """index None: og serve --no-index (the in-memory library, for comparison)."""
        port_file = os.path.join(work, "port")
        if os.path.exists(port_file):
            os.remove(port_file)
        start = time.monotonic()
        where = ["--index", index] if index else ["--no-index"]
        self.process = subprocess.Popen([og, "serve", tree, "--http", "127.0.0.1:0", *where,
                                         "--port-file", port_file],
                                        stderr=subprocess.DEVNULL)
        while not (os.path.exists(port_file) and os.path.getsize(port_file)):
            if self.process.poll() is not None:
                sys.exit("og serve exited with %d" % self.process.returncode)
            time.sleep(0.005)
        with open(port_file) as f:
            self.url = "http://127.0.0.1:%s/mcp" % f.read().strip()
        self.call("search_index", {"query": "warm", "limit": 1})  # answered: ready
        self.ready_s = time.monotonic() - start
        self.ready_rss_mb = status_kb(self.process.pid, "VmRSS") / 1024

    def call(self, name, arguments):
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                           "params": {"name": name, "arguments": arguments}}).encode()
        request = urllib.request.Request(self.url, data=body, headers={
            "Content-Type": "application/json", "Accept": "application/json, text/event-stream",
            "MCP-Protocol-Version": "2025-06-18"})
        with urllib.request.urlopen(request, timeout=120) as r:
            return json.loads(r.read())["result"]["structuredContent"]

    def timed(self, name, arguments):
        start = time.perf_counter()
        out = self.call(name, arguments)
        return (time.perf_counter() - start) * 1000, out

    def wait_visible(self, word, limit_s=300):
        start = time.monotonic()
        while time.monotonic() - start < limit_s:
            if self.call("search_index", {"query": word, "limit": 1})["entries"]:
                return time.monotonic() - start
            time.sleep(0.02)
        return float("nan")

    def peak_mb(self):
        return status_kb(self.process.pid, "VmHWM") / 1024

    def close(self):
        self.process.terminate()
        self.process.wait()


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def edit(path, word):
    with open(path) as f:
        text = f.read()
    os.remove(path)  # the tree holds hard links: write a file of its own
    with open(path + ".tmp", "w") as f:
        f.write(text + "\n\n%s appears here.\n" % word)
    os.replace(path + ".tmp", path)


def search_latencies(server):
    ms, handles = [], []
    for _ in range(10):
        for q in QUERIES:
            t, out = server.timed("search_index", {"query": q, "limit": 10})
            ms.append(t)
            handles += [e["handle"] for e in out["entries"][:3] if e["handle"]]
    return ms, handles


def memory_search(og, tree, work):
    """search p50 / p99 of og serve --no-index on the same tree with the same client."""
    server = Server(og, tree, None, work)
    ms, _ = search_latencies(server)
    server.close()
    return "%.2f / %.2f" % (percentile(ms, 50), percentile(ms, 99))


def inprocess_latencies(og, tree, index):
    """search / resolve p50 / p99 in the library itself (bench_index_latency, built beside og)."""
    tool = os.path.join(os.path.dirname(og), "bench", "bench_index_latency")
    if not os.access(tool, os.X_OK):
        sys.exit("%s is missing: build with -DOG_BUILD_BENCH=ON" % tool)
    run = subprocess.run([tool, "--index", index, tree], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit("bench_index_latency: " + run.stderr)
    r = json.loads(run.stdout)
    return "%.2f / %.2f" % (r["search_p50_ms"], r["search_p99_ms"]), \
        "%.2f / %.2f" % (r["resolve_p50_ms"], r["resolve_p99_ms"])


def measure(og, tree, work, size, memory):
    index = os.path.join(work, "index-%d" % size)
    shutil.rmtree(index, ignore_errors=True)
    mb = tree_bytes(tree) / 1e6
    start = time.monotonic()
    build = subprocess.run([og, "index", tree, "--index", index, "--json"], capture_output=True,
                           text=True)
    build_s = time.monotonic() - start
    if build.returncode not in (0, 1):
        sys.exit("og index: " + build.stderr)
    built = json.loads(build.stdout)
    in_memory = memory_search(og, tree, work) if memory else "–"
    in_process = inprocess_latencies(og, tree, index)
    server = Server(og, tree, index, work)
    search_ms, ids = search_latencies(server)
    resolve_ms = []
    for handle in ids[:150]:
        ms, _ = server.timed("resolve_context", {"ids": [handle], "max_tokens": 2000})
        resolve_ms.append(ms)
    files = sorted(os.path.join(d, f) for d, _, names in os.walk(tree) for f in names)
    edit(files[len(files) // 2], "zqone%d" % size)
    one_s = server.wait_visible("zqone%d" % size)
    step = max(1, len(files) // 1000)
    batch = files[::step][:1000]
    for i, path in enumerate(batch):
        edit(path, "zqmany%d" % size if i == len(batch) - 1 else "zqbatch%d" % size)
    many_s = server.wait_visible("zqmany%d" % size)
    row = {"documents": built["documents"], "MB": mb, "build_s": build_s,
           "build_MBps": mb / build_s, "index_MB": built["bytes"] / 1e6,
           "ready_s": server.ready_s, "ready_rss_MB": server.ready_rss_mb,
           "search_p50": percentile(search_ms, 50), "search_p99": percentile(search_ms, 99),
           "resolve_p50": percentile(resolve_ms, 50), "resolve_p99": percentile(resolve_ms, 99),
           "one_edit_s": one_s, "batch_edit_s": many_s, "batch": len(batch),
           "peak_rss_MB": server.peak_mb(), "in_memory": in_memory,
           "search_local": in_process[0], "resolve_local": in_process[1]}
    server.close()
    shutil.rmtree(tree)  # edited: the next run makes it again
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("og")
    parser.add_argument("archive")
    parser.add_argument("--sizes", default="1000,10000,40000,120000")
    parser.add_argument("--work", default=os.path.join("build", "scale-bench"))
    parser.add_argument("--memory-up-to", type=int, default=10000,
                        help="also time search on og serve --no-index up to this many documents")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp()  # nothing lands in the user's cache
    source, files = unpack(args.archive, args.work)
    print("| documents | MB | full build s | MB/s | index MB | ready s | RSS ready MB | search "
          "p50 / p99 ms | resolve p50 / p99 ms | 1 edit visible s | 1,000 edits visible s | "
          "peak RSS MB | --no-index search p50 / p99 ms | in-process search p50 / p99 ms | "
          "in-process resolve p50 / p99 ms |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        tree = make_tree(source, files, size, args.work)
        r = measure(os.path.abspath(args.og), tree, args.work, size, size <= args.memory_up_to)
        print("| {documents:,} | {MB:.1f} | {build_s:.1f} | {build_MBps:.2f} | {index_MB:.0f} | "
              "{ready_s:.2f} | {ready_rss_MB:.0f} | {search_p50:.2f} / {search_p99:.2f} | "
              "{resolve_p50:.2f} / {resolve_p99:.2f} | {one_edit_s:.2f} | {batch_edit_s:.2f} | "
              "{peak_rss_MB:.0f} | {in_memory} | {search_local} | {resolve_local} |".format(**r),
              flush=True)


if __name__ == "__main__":
    main()
