#!/usr/bin/env python3
"""Load benchmark of `og serve --http`: C concurrent clients (wrk connections) x N calls each.

    serve_load.py [--og build/og] [--corpus ../shared/bench/corpus]
                  [--questions ../shared/bench/questions.jsonl] [--connections 32]
                  [--calls 10000] [--threads 1] [--tool search_index|resolve_context]

The calls are MCP `tools/call` requests in the stateless 2026-07-28 era (no session to set up),
each with a bearer token, cycling through the bench questions as queries (resolve_context:
through the ids search_index returns for them). A call counts as an error unless it is HTTP 200
with a result that is not `isError`. Prints a Markdown table: calls, errors, calls/s, latency
p50/p90/p99 (wrk's), and the server's peak RSS and CPU time.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

META = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {}}
TOKEN = "bench-token"

LUA = r"""
local bodies = { %(bodies)s }
local per_thread = %(per_thread)d
local sent, received, errors = 0, 0, 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function request()
  sent = sent + 1
  return wrk.format("POST", "/mcp", nil, bodies[(sent %% #bodies) + 1])
end

function response(status, headers, body)
  received = received + 1
  if status ~= 200 or body:find('"isError":true', 1, true) or body:find('"error":{', 1, true) then
    errors = errors + 1
  end
  if received >= per_thread then
    wrk.thread:set("received", received)
    wrk.thread:set("errors", errors)
    wrk.thread:stop()
    -- wrk runs out its -d duration even when every thread has stopped: tell the driver,
    -- which interrupts it (wrk then reports the time actually taken).
    io.open("%(marks)s/done-" .. id, "w"):close()
  end
end

function done(summary, latency, requests)
  local calls, errs = 0, 0
  for _, t in ipairs(threads) do
    calls = calls + (t:get("received") or 0)
    errs = errs + (t:get("errors") or 0)
  end
  io.write(string.format("LOAD calls=%%d errors=%%d socket_errors=%%d non2xx=%%d seconds=%%.3f\n",
    calls, errs, summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout, summary.errors.status, summary.duration / 1e6))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("LATENCY p%%s=%%.3f\n", p, latency:percentile(p) / 1000))
  end
end
"""


def lua_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


STOP = set("what which when where who whom whose how does did should would could must have "
           "with from that this those these into about after before there their them they "
           "your will being been were than then also only each both".split())


def keywords(question):
    """Three content words of a question, longest first: a terse agent-style query."""
    words = [w for w in re.findall(r"[\w.-]+", question.lower()) if len(w) >= 4 and w not in STOP]
    return sorted(dict.fromkeys(words), key=len, reverse=True)[:3]


def call(i, tool, arguments):
    return json.dumps({"jsonrpc": "2.0", "id": i, "method": "tools/call",
                       "params": {"name": tool, "arguments": arguments, "_meta": META}},
                      separators=(",", ":"))


def post(url, body, tool):
    import urllib.request
    req = urllib.request.Request(url, data=body.encode(), method="POST", headers={
        "Content-Type": "application/json", "Accept": "application/json, text/event-stream",
        "Authorization": "Bearer " + TOKEN, "MCP-Protocol-Version": "2026-07-28",
        "Mcp-Method": "tools/call", "Mcp-Name": tool})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def proc_status(pid):
    fields = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    with open("/proc/%d/stat" % pid) as f:
        stat = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return int(fields["VmHWM"].split()[0]) // 1024, (int(stat[11]) + int(stat[12])) / ticks


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--og", default="build/og")
    ap.add_argument("--corpus", default="../shared/bench/corpus")
    ap.add_argument("--questions", default="../shared/bench/questions.jsonl")
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--calls", type=int, default=10000, help="calls per connection")
    ap.add_argument("--threads", type=int, default=1, help="wrk threads")
    ap.add_argument("--tool", default="search_index", choices=["search_index", "resolve_context"])
    ap.add_argument("--queries", default="questions", choices=["questions", "keywords"],
                    help="whole questions, or three content words of each (as agents often ask)")
    ap.add_argument("--max-concurrent", type=int, default=0, help="passed to og serve when > 0")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("serve_load: needs wrk (bash scripts/install-deps.sh installs it)")
    if args.connections % args.threads:
        sys.exit("--connections must be a multiple of --threads")

    work = tempfile.mkdtemp(prefix="og-load-")
    with open(os.path.join(work, "tokens.json"), "w") as f:
        json.dump({"tokens": [{"sha256": hashlib.sha256(TOKEN.encode()).hexdigest(), "role": None}]}, f)
    port_file = os.path.join(work, "port")
    command = [args.og, "serve", args.corpus, "--no-watch", "--http", "127.0.0.1:0",
               "--tokens", os.path.join(work, "tokens.json"), "--port-file", port_file]
    if args.max_concurrent:
        command += ["--max-concurrent", str(args.max_concurrent)]
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            if os.path.exists(port_file) and os.path.getsize(port_file):
                break
            time.sleep(0.05)
        url = "http://127.0.0.1:%s/mcp" % open(port_file).read().strip()

        questions = [json.loads(l)["question"] for l in open(args.questions) if l.strip()]
        if args.queries == "keywords":
            questions = [" ".join(keywords(q)) for q in questions]
        bodies = []
        for i, q in enumerate(questions):
            if args.tool == "search_index":
                bodies.append(call(i, "search_index", {"query": q, "limit": 5}))
            else:
                found = post(url, call(i, "search_index", {"query": q, "limit": 2}), "search_index")
                ids = [e["doc"] + "#" + e["id"] for e in found["result"]["structuredContent"]["entries"]]
                if ids:
                    bodies.append(call(i, "resolve_context", {"ids": ids, "max_tokens": 2000}))
        # Every body once, outside the measurement: all must succeed.
        for body in bodies:
            reply = post(url, body, args.tool)
            if "error" in reply or reply["result"].get("isError"):
                sys.exit("warm-up call failed: %s" % json.dumps(reply)[:500])
        cpu_before = proc_status(server.pid)[1]

        script = os.path.join(work, "load.lua")
        per_thread = args.calls * args.connections // args.threads
        with open(script, "w") as f:
            f.write(LUA % {"bodies": ",\n".join(lua_string(b) for b in bodies), "per_thread": per_thread,
                          "marks": work})
        headers = ["Content-Type: application/json", "Accept: application/json, text/event-stream",
                   "Authorization: Bearer " + TOKEN, "MCP-Protocol-Version: 2026-07-28",
                   "Mcp-Method: tools/call", "Mcp-Name: " + args.tool]
        wrk = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", "600s",
               "--timeout", "10s", "-s", script]
        for h in headers:
            wrk += ["-H", h]
        print("load: %d clients x %d calls of %s on %s ..." % (args.connections, args.calls,
                                                               args.tool, url), file=sys.stderr)
        load = subprocess.Popen(wrk + [url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while load.poll() is None and sum(n.startswith("done-") for n in os.listdir(work)) < args.threads:
            time.sleep(0.01)
        load.send_signal(signal.SIGINT)
        out, err = load.communicate()
        if load.returncode or "LOAD " not in out:
            sys.exit("wrk failed: " + err[-2000:] + out[-2000:])
        rss_mb, cpu_after = proc_status(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)

    load = dict(re.findall(r"(\w+)=([\d.]+)", re.search(r"^LOAD .*$", out, re.M).group(0)))
    latency = dict(re.findall(r"p([\d.]+)=([\d.]+)", out))
    calls, seconds = int(load["calls"]), float(load["seconds"])
    errors = int(load["errors"]) + int(load["socket_errors"]) + int(load["non2xx"])
    print("| tool | queries | clients × calls | documents | calls | errors | calls/s | p50 ms | p90 ms | p99 ms "
          "| server RSS MB | server CPU s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    print("| %s | %s | %d × %d | %d | %d | %d | %.0f | %s | %s | %s | %d | %.1f |" % (
        args.tool, args.queries, args.connections, args.calls,
        sum(1 for _, _, fs in os.walk(args.corpus) for f in fs if f.endswith((".md", ".og"))),
        calls, errors, calls / seconds, latency["50"], latency["90"], latency["99"], rss_mb,
        cpu_after - cpu_before))
    return 1 if errors or calls < args.calls * args.connections else 0


if __name__ == "__main__":
    sys.exit(main())
