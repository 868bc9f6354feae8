#!/usr/bin/env python3
"""How soon `og serve` answers over stdio, from exec (issue #13): `initialize`, then a
`search_index` sent right after it (which waits for the documents), and how many progress
notifications the search got meanwhile.

    bench/first_answer.py build/og TREE [og serve options, e.g. --no-index]
"""
import json
import subprocess
import sys
import time


def main():
    og, tree, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
    start = time.time()
    server = subprocess.Popen([og, "serve", tree, "--no-watch", *extra], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def send(message):
        server.stdin.write(json.dumps(dict(jsonrpc="2.0", **message)) + "\n")
        server.stdin.flush()

    send({"id": 1, "method": "initialize",
          "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                     "clientInfo": {"name": "first_answer", "version": "1"}}})
    send({"id": 2, "method": "tools/call",
          "params": {"name": "search_index", "arguments": {"query": "the", "limit": 1},
                     "_meta": {"progressToken": "p"}}})
    initialize, progress = None, 0
    for line in server.stdout:
        message = json.loads(line)
        if message.get("id") == 1:
            initialize = time.time() - start
        elif message.get("id") == 2:
            search = time.time() - start
            break
        else:
            progress += 1
    server.stdin.close()
    server.wait()
    print(f"| {' '.join(extra) or '(default)'} | {initialize:.2f} | {search:.2f} | {progress} |")


if __name__ == "__main__":
    main()
