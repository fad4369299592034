"""Benchmark reportgen's build: a no-op build and a 100-outline batch at --jobs 1 and 2.

    python bench/build_bench.py            # 100 outlines, 3 runs each (median)
    python bench/build_bench.py --n 20 --runs 5

Every figure is a whole `reportgen build` process, wall seconds, median of the runs.
The batch is N copies of inputs/summit.yaml (both formats: 2N files).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(args: list[str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "reportgen", *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100, help="outlines in the batch")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        os.mkdir(os.path.join(work, "inputs"))
        for i in range(args.n):
            shutil.copy(os.path.join(ROOT, "inputs", "summit.yaml"), os.path.join(work, "inputs", f"summit-{i:03d}.yaml"))
        shutil.copytree(os.path.join(ROOT, "reportgen", "packs"), os.path.join(work, "templates"))
        rows = []
        for jobs in (1, 2):
            times = [timed(["build", "--force", "-q", "--jobs", str(jobs)], work) for _ in range(args.runs)]
            med = statistics.median(times)
            rows.append((f"batch of {args.n} outlines, --jobs {jobs}", med, 2 * args.n / med))
        noop = statistics.median(timed(["build", "-q"], work) for _ in range(max(args.runs, 5)))
        rows.append((f"no-op build of {args.n} outlines", noop, 0.0))
        one = os.path.join(work, "one")
        os.makedirs(os.path.join(one, "inputs"))
        shutil.copy(os.path.join(ROOT, "inputs", "summit.yaml"), os.path.join(one, "inputs"))
        shutil.copytree(os.path.join(ROOT, "reportgen", "packs"), os.path.join(one, "templates"))
        single = statistics.median(timed(["build", "--force", "-q", "--jobs", "1"], one) for _ in range(max(args.runs, 5)))
        rows.append(("one outline (summit), both formats", single, 2 / single))
        noop1 = statistics.median(timed(["build", "-q"], one) for _ in range(max(args.runs, 5)))
        rows.append(("no-op build of one outline", noop1, 0.0))
    print(f"machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}")
    print("| what | median wall s | files/s |")
    print("|---|---|---|")
    for what, sec, rate in rows:
        print(f"| {what} | {sec:.2f} | {rate:.1f} |" if rate else f"| {what} | {sec:.3f} | – |")
    speedup = rows[0][1] / rows[1][1]
    print(f"\n--jobs 2 vs --jobs 1: {speedup:.2f}x")


if __name__ == "__main__":
    main()
