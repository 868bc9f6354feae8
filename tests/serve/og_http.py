"""Starts `og serve --http` on a free loopback port with bearer tokens, for the e2e tests."""
import hashlib
import json
import os
import subprocess
import time


def start(og, paths, tokens, workdir, extra=()):
    """tokens: {token: role or None}. Returns (process, "http://127.0.0.1:PORT/mcp")."""
    token_file = os.path.join(workdir, "tokens.json")
    with open(token_file, "w") as f:
        json.dump({"tokens": [{"sha256": hashlib.sha256(t.encode()).hexdigest(), "role": r}
                              for t, r in tokens.items()]}, f)
    port_file = os.path.join(workdir, "port")
    process = subprocess.Popen([og, "serve", *paths, "--http", "127.0.0.1:0", "--tokens", token_file,
                                "--port-file", port_file, *extra], stderr=subprocess.DEVNULL)
    wait_for_port(process, port_file)
    with open(port_file) as f:
        return process, "http://127.0.0.1:%s/mcp" % f.read().strip()


def wait_for(predicate, seconds=20):
    """Polls predicate until it holds or `seconds` pass; its last value."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def wait_for_port(process, port_file):
    for _ in range(600):  # the port file is written atomically once the server listens
        if os.path.exists(port_file) and os.path.getsize(port_file):
            return
        if process.poll() is not None:
            raise RuntimeError("og serve exited with %d" % process.returncode)
        time.sleep(0.05)
    raise RuntimeError("og serve did not listen within 30 s")
