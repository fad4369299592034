"""Benchmark a build on a Dask cluster against --jobs on this machine (issue 17).

    python bench/dask_bench.py                    # 1,000 summit-sized outlines, 1 round
    python bench/dask_bench.py --n 200 --runs 2   # what bench/RESULTS.md reports (about 12 minutes on 2 cores)

The batch is N copies of inputs/summit.yaml with a copy of the packs as the
project's own (both formats: 2N files). Each figure is a whole `reportgen
build --force -q` process, wall seconds: `--jobs 2` (two processes on this
machine), `--dask local:2` (a LocalCluster of two worker processes, started by
the build itself, so its start-up is counted) and `--dask local:1` (one
worker: how the rate grows with workers). A round runs the three back to back,
in an order that turns each round; the figures are medians over rounds, the
overhead the median of the rounds' ratios. Every run's outputs are checked
byte for byte against the first `--jobs 2` run's.

Also timed, in this process: the build machine's own part of a cluster build
before it sends anything (planning, loading and composing every outline).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from build_bench import timed  # noqa: E402  (this folder: a whole `reportgen` process, wall seconds)

RUNS = {"--jobs 2": ["--jobs", "2"], "--dask local:2": ["--dask", "local:2"], "--dask local:1": ["--dask", "local:1"]}
CORES = {"--jobs 2": 2, "--dask local:2": 2, "--dask local:1": 1}


def digests(folder: str) -> dict[str, str]:
    return {n: hashlib.sha256(open(os.path.join(folder, n), "rb").read()).hexdigest() for n in sorted(os.listdir(folder)) if n.endswith((".pdf", ".pptx"))}


def client_part(work: str) -> tuple[float, float]:
    """Return the seconds this machine spends before a cluster build sends its first chunk, in one process:
    (planning: finding, hashing and loading every outline; composing every document, trees dropped)."""
    from reportgen.build import BuildSession, Options, find_inputs, plan
    from reportgen.manifest import Manifest

    os.chdir(work)
    opts = Options(force=True, dask="local:2")
    inputs = find_inputs([], opts.inputs_dir)
    warm = BuildSession(opts)  # the imports, paid once per build, left out of the per-outline figures
    warm.compose_all(plan(inputs[:1], opts, Manifest(path=os.path.join(work, "none.json")), warm).stale, keep=False)
    start = time.perf_counter()
    session = BuildSession(opts)
    p = plan(inputs, opts, Manifest(path=os.path.join(work, "none.json")), session)
    planned = time.perf_counter()
    session.compose_all(p.stale, keep=False)
    return planned - start, time.perf_counter() - planned


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="outlines in the batch")
    ap.add_argument("--runs", type=int, default=1, help="rounds")
    args = ap.parse_args()
    env_epoch = os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    times: dict[str, list[float]] = {k: [] for k in RUNS}
    ratios: list[float] = []
    with tempfile.TemporaryDirectory() as work:
        os.mkdir(os.path.join(work, "inputs"))
        for i in range(args.n):
            shutil.copy(os.path.join(ROOT, "inputs", "summit.yaml"), os.path.join(work, "inputs", f"summit-{i:04d}.yaml"))
        shutil.copytree(os.path.join(ROOT, "reportgen", "packs"), os.path.join(work, "templates"))
        first: dict[str, str] = {}
        names = list(RUNS)
        for r in range(args.runs):
            order = names[r % len(names):] + names[: r % len(names)]
            got = {}
            for name in order:
                shutil.rmtree(os.path.join(work, "build"), ignore_errors=True)
                got[name] = timed(["build", "--force", "-q", *RUNS[name]], work)
                d = digests(os.path.join(work, "build"))
                assert len(d) == 2 * args.n and (not first or d == first), f"{name}: outputs differ from the first run's"
                first = first or d
                times[name].append(got[name])
                print(f"round {r + 1}: {name}: {got[name]:.1f} s", file=sys.stderr, flush=True)
            ratios.append(got["--dask local:2"] / got["--jobs 2"])
        pre = client_part(work)
    print(f"machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}; SOURCE_DATE_EPOCH={env_epoch}; load average now {os.getloadavg()[0]:.1f}")
    print(f"batch: {args.n} summit outlines ({2 * args.n} files), {args.runs} round(s); every run's outputs byte-identical")
    print("| how | median wall s | outlines/s | outlines/hour | outlines/hour per core |")
    print("|---|---|---|---|---|")
    for name, ts in times.items():
        med = statistics.median(ts)
        rate = args.n / med
        print(f"| `{name}` | {med:.1f} | {rate:.2f} | {rate * 3600:,.0f} | {rate * 3600 / CORES[name]:,.0f} |")
    print(f"overhead of the engine, `--dask local:2` / `--jobs 2` (median of rounds): {statistics.median(ratios):.2f}x")
    one, two = statistics.median(times["--dask local:1"]), statistics.median(times["--dask local:2"])
    print(f"2 workers / 1 worker, rate: {one / two:.2f}x")
    planning, composing = pre
    print(f"the build machine's part before anything is sent, in one process: planning (load, hash) {planning:.1f} s, composing {composing:.1f} s: "
          f"{1000 * planning / args.n:.0f} + {1000 * composing / args.n:.0f} ms per outline")


if __name__ == "__main__":
    main()
