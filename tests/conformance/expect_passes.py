#!/usr/bin/env python3
"""Runs a spec runner command and checks its closing "N passed, N failed, N skipped" line.

    expect_passes.py --min 648 -- python3 run_spec.py --cmd '...' spec.txt

Exit 0 when at least --min examples passed (the runner itself exits non-zero whenever any
example fails, which is expected: md4c-html, our reference, fails a few too).
"""
import argparse
import re
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--min", type=int, required=True, help="passes required")
ap.add_argument("command", nargs=argparse.REMAINDER)
args = ap.parse_args()
command = args.command[1:] if args.command[:1] == ["--"] else args.command
result = subprocess.run(command, capture_output=True, text=True)
sys.stdout.write(result.stdout[-4000:])
sys.stderr.write(result.stderr[-4000:])
matches = re.findall(r"^(\d+) passed, (\d+) failed, (\d+) skipped$", result.stdout, re.M)
if not matches:
    print("expect_passes: the runner printed no summary line", file=sys.stderr)
    sys.exit(1)
passed = int(matches[-1][0])
print(f"expect_passes: {passed} passed, at least {args.min} required")
sys.exit(0 if passed >= args.min else 1)
