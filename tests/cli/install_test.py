#!/usr/bin/env python3
"""`cmake --install` into a temporary prefix: the installed og runs the demo's commands with
no build tree to lean on (the prefix is moved after installing, and the environment names no
vocabulary), and reads the vocabularies its install put beside it.

    install_test.py BUILD_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile

BUILD = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(*args, **kw):
    r = subprocess.run(args, capture_output=True, text=True, timeout=120, **kw)
    return r.returncode, r.stdout, r.stderr


def main():
    work = tempfile.mkdtemp(prefix="og-install-")
    try:
        rc, _, err = run("cmake", "--install", BUILD, "--prefix", os.path.join(work, "staged"))
        assert rc == 0, err
        prefix = os.path.join(work, "moved")  # a prefix is relocatable: nothing points back
        shutil.move(os.path.join(work, "staged"), prefix)
        og = os.path.join(prefix, "bin", "og")
        for doc in ["README.md", "cli.md", "spec.md", "mcp.md"]:
            assert os.path.exists(os.path.join(prefix, "share", "doc", "og", doc)), doc
        env = {k: v for k, v in os.environ.items() if k != "OG_TOKENIZER_DIR"}
        env["PATH"] = os.path.join(prefix, "bin") + ":/usr/bin:/bin"
        docs = shutil.copytree(os.path.join(ROOT, "examples"), os.path.join(work, "docs"))
        demo = [["og", "show", "payments-deploy.og"],
                ["og", "show", "payments-deploy.og#rollback", "--depth", "dense"],
                ["og", "search", ".", "roll back"],
                ["og", "resolve", ".", "rollback", "--max-tokens", "400"],
                ["og", "stats", "payments-deploy.og"]]
        for command in demo:
            rc, out, err = run(*command, cwd=docs, env=env)
            assert rc == 0 and out, (command, rc, err)
        # It reads the installed vocabulary, not the build's: break it and the error names it.
        vocab = os.path.join(prefix, "share", "og", "vocab", "cl100k_base.json")
        with open(vocab, "w") as f:
            f.write("{}")
        rc, _, err = run(og, "tokens", os.path.join(docs, "payments-deploy.og"), env=env)
        assert rc == 2 and vocab in err, (rc, err)
        print("installed og ran %d demo commands from %s" % (len(demo), prefix))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
