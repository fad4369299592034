"""Benchmark the default --jobs against --jobs 1 on small builds: the default must never be slower.

    python bench/jobs_bench.py             # 2, 4 and 8 outputs, 7 paired runs each
    python bench/jobs_bench.py --runs 11

Each pair runs `reportgen build --force` at --jobs 1 and at the default
(one process per usable CPU, never more than the outputs) back to back, in
alternating order, on copies of the summit briefing and of the `reportgen
init` example (a tiny outline, where process start-up weighs most). The
figure is the median of the per-pair ratios default / --jobs 1 (under 1.00:
the default is faster).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from build_bench import timed  # noqa: E402  (this folder: a whole `reportgen` process, wall seconds)


def main() -> None:
    from reportgen.build.workers import usable_cpus
    from reportgen.scaffold import EXAMPLE

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    print(f"# {platform.python_implementation()} {platform.python_version()}, {usable_cpus()} usable CPUs (os.cpu_count() {os.cpu_count()})")
    print("| outline | outputs | --jobs 1 (s) | default (s) | default / --jobs 1 |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        for label, text in (("summit", open(os.path.join(ROOT, "inputs", "summit.yaml"), encoding="utf-8").read()), ("example", EXAMPLE)):
            for n in (1, 2, 4):
                folder = os.path.join(work, f"{label}-{n}")
                os.makedirs(os.path.join(folder, "inputs"))
                for i in range(n):
                    with open(os.path.join(folder, "inputs", f"o{i}.yaml"), "w", encoding="utf-8") as fh:
                        fh.write(text)
                one, default, ratios = [], [], []
                for r in range(args.runs):
                    order = [("1", one), ("0", default)] if r % 2 == 0 else [("0", default), ("1", one)]
                    for jobs, into in order:
                        into.append(timed(["build", "--force", "-q", "--jobs", jobs], folder))
                    ratios.append(default[-1] / one[-1])
                print(f"| {label} | {2 * n} | {statistics.median(one):.2f} | {statistics.median(default):.2f} | {statistics.median(ratios):.2f} |")
                shutil.rmtree(folder)


if __name__ == "__main__":
    main()
