"""What tagging costs (issue 16): the PDF built untagged (``--pdf-standard none``) and tagged (ua-1, a-2b), paired.

    python bench/tagging_bench.py               # the summit (10 pages) and the summit x2 (~20 pages), 7 rounds
    python bench/tagging_bench.py --runs 5 --n 1 2 20
    python bench/tagging_bench.py --instructions --n 20   # instructions counted by valgrind (about 15 minutes at N = 20)

Two measurements, each in rounds that take the standards in turn, each round
starting with the next one (none, ua-1, a-2b; ua-1, a-2b, none; ...), after
one warm-up round; medians, and the median of the round-by-round ratios to
``none``:

* **whole build**: a ``reportgen build -f pdf --force --jobs 1`` process;
* **in the writer**: ``PdfWriter.write`` in one process, the layout and
  drawing (ReportLab, with the tagger's points and each page's marking) and
  the tagged file's writing (``ua.write_tagged_file``: ReportLab's objects given
  their entries and written, the structure tree, the file) timed apart; an
  untagged file's writing (ReportLab's) is in its layout and drawing.

With ``--instructions``, each standard's whole build runs once under
valgrind's callgrind instead, and the machine instructions it executes are
counted: the same count on a loaded or a quiet machine (time on this one
swings by a tenth from one run to the next), though blind to what memory
costs; with the instructions of each library the build ran (the Python
interpreter, qpdf, zlib, the regex engine...), from ``callgrind_annotate``.
Bytecode is cached first, as for a build from an installed package.

The workloads are ``bench/workloads.py``'s: ``inputs/summit.yaml`` with its
sections repeated N times.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
STANDARDS = ("none", "ua-1", "a-2b")
sys.path.insert(0, HERE)
sys.path.insert(0, ROOT)


def cached_bytecode(folder: str) -> dict[str, str]:
    """Return the environment a measured ``reportgen`` process runs in: bytecode cached under ``folder`` (as an installed
    package has it). Under PYTHONDONTWRITEBYTECODE, as this machine sets it, an editable install compiles each module it
    imports at every start, and the tagged build imports more of them (``ua`` and its helpers): an unfair cost. The
    reportgen measured is this checkout's (``ROOT`` first on the path), so a copy of another commit measures that commit."""
    env = dict(os.environ, PYTHONPYCACHEPREFIX=os.path.join(folder, "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join([ROOT, *filter(None, [os.environ.get("PYTHONPATH")])])  # (this checkout's reportgen, not the one installed)
    return env


def whole_build(folder: str, standard: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one ``reportgen build`` process of ``folder/summit.yaml`` to a PDF of ``standard``,
    bytecode cached (``cached_bytecode``; the first round, a warm-up, writes it)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "reportgen", "build", "summit.yaml", "-f", "pdf", "--force", "-q", "--jobs", "1",
                    "--out", f"out-{standard}", "--pdf-standard", standard, "--templates", os.path.join(ROOT, "reportgen", "packs")],
                   cwd=folder, env=cached_bytecode(folder), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def in_writer(tree, theme, folder: str, standard: str) -> tuple[float, float, int]:
    """(CPU seconds to lay out and draw, CPU seconds writing the tagged file, pages) of one ``PdfWriter.write`` of ``tree``.

    CPU time (``time.process_time``), not wall time: this process is single-threaded, so its CPU time does not
    grow when other work shares the machine, and the ratio stays fair on a loaded one. Python's cycle collector
    runs as in a build (``build.run.fewer_collections``), after the last write's garbage is collected: a write
    does not pay for the one before it."""
    import gc

    from reportgen.build.run import fewer_collections
    from reportgen.writers.pdf import PdfWriter, ua

    spent = []
    finish = ua.write_tagged_file

    def timed(*args, **kw):
        start = time.process_time()
        try:
            return finish(*args, **kw)
        finally:
            spent.append(time.process_time() - start)

    ua.write_tagged_file = timed  # (this process only: ``ua.write_tagged`` looks it up at each write)
    try:
        writer = PdfWriter()
        writer.standard = standard
        path = os.path.join(folder, f"w-{standard}.pdf")
        gc.collect()
        with fewer_collections():
            start = time.process_time()
            writer.write(tree, theme, path)
            total = time.process_time() - start
    finally:
        ua.write_tagged_file = finish
    post = spent[0] if spent else 0.0
    return total - post, post, _pages(path)


def _pages(path: str) -> int:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def composed(folder: str):
    """The report tree and theme of ``folder/summit.yaml``, composed once."""
    from reportgen.build import Options
    from reportgen.build.planning import Target
    from reportgen.build.session import BuildSession

    path = os.path.join(folder, "summit.yaml")
    session = BuildSession(Options(templates_dir=os.path.join(ROOT, "reportgen", "packs")))
    trees = session.compose_all([Target(path, "pdf", "", "")])
    return trees[(path, "report")], session.load(path).theme


_LIBRARIES = (("_sre", "regex engine"), ("libqpdf", "qpdf"), ("pikepdf", "qpdf"), ("libz.", "zlib"), ("libstdc++", "C++ runtime (qpdf)"),
              ("libcrypto", "OpenSSL (hashing)"), ("libc.so", "C library"), ("/string/", "C library"), ("libpython", "Python interpreter"))


def instructions(folder: str, standard: str) -> tuple[int, dict[str, int]]:
    """(instructions, instructions by library) of one ``reportgen build`` of ``folder/summit.yaml`` to a PDF of
    ``standard``, counted by valgrind's callgrind."""
    import re

    out = os.path.join(folder, f"callgrind.{standard}")
    env = cached_bytecode(folder)
    cmd = ["reportgen", "build", "summit.yaml", "-f", "pdf", "--force", "-q", "--jobs", "1", "--out", f"out-{standard}",
           "--pdf-standard", standard, "--templates", os.path.join(ROOT, "reportgen", "packs")]
    subprocess.run([sys.executable, "-m", *cmd], cwd=folder, env=env, check=True)  # (bytecode cached)
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-m", *cmd],
                   cwd=folder, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    text = subprocess.run(["callgrind_annotate", "--threshold=100", out], check=True, capture_output=True, text=True).stdout
    total, by = 0, {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \([^)]*\)\s+(.*)$", line)
        if not m:
            continue
        n = int(m.group(1).replace(",", ""))
        if "PROGRAM TOTALS" in line:
            total = n
            continue
        lib = next((name for key, name in _LIBRARIES if key in m.group(2)), "other")
        by[lib] = by.get(lib, 0) + n
    return total, by


def count_instructions(sizes: list[int]) -> None:
    """Print the instructions of the whole build at each size in ``sizes``, by standard and by library."""
    import shutil
    import workloads

    if not (shutil.which("valgrind") and shutil.which("callgrind_annotate")):
        sys.exit("--instructions needs valgrind (callgrind and callgrind_annotate)")
    print("| workload | standard | instructions (billions) | vs none | " + " | ".join(f"{lib} vs none (points)" for lib in dict.fromkeys(n for _, n in _LIBRARIES)) + " | other |")
    print("|---" * (5 + len(dict.fromkeys(n for _, n in _LIBRARIES))) + "|")
    for n in sizes:
        with tempfile.TemporaryDirectory() as folder:
            workloads.main(n, folder)
            got = {s: instructions(folder, s) for s in STANDARDS}
            base, base_by = got["none"]
            for standard in STANDARDS:
                total, by = got[standard]
                cells = [f"{(by.get(lib, 0) - base_by.get(lib, 0)) / base * 100:+.1f}" for lib in [*dict.fromkeys(n for _, n in _LIBRARIES), "other"]]
                vs = "" if standard == "none" else f"{total / base:.4f}x"
                print(f"| summit x{n} | {standard} | {total / 1e9:.3f} | {vs} | " + " | ".join(cells) + " |")


def ratio(values: dict[str, list[float]], standard: str) -> float:
    return statistics.median(a / b for a, b in zip(values[standard], values["none"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=[1, 2], help="the summit's sections repeated N times")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--instructions", action="store_true", help="count each build's instructions with valgrind instead of timing rounds")
    args = ap.parse_args()
    if args.instructions:
        count_instructions(args.n)
        return
    import workloads

    print(f"machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}")
    print("| workload | pages | standard | whole build s | vs none | whole build CPU s | CPU vs none | layout and drawing CPU s | tagged file written CPU s | writer CPU vs none |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n in args.n:
        with tempfile.TemporaryDirectory() as folder:
            workloads.main(n, folder)
            tree, theme = composed(folder)
            whole = {s: [] for s in STANDARDS}
            cpu = {s: [] for s in STANDARDS}
            drawing = {s: [] for s in STANDARDS}
            post = {s: [] for s in STANDARDS}
            writer = {s: [] for s in STANDARDS}
            pages = 0
            for rnd in range(args.runs + 1):
                # Each round starts with the next standard (none, ua-1, a-2b; ua-1, a-2b, none; ...): a process's place in
                # its round (after which other process, with what left in the caches) is shared out evenly.
                for standard in STANDARDS[rnd % len(STANDARDS):] + STANDARDS[:rnd % len(STANDARDS)]:
                    w, c = whole_build(folder, standard)
                    d, p, pages = in_writer(tree, theme, folder, standard)
                    if rnd:  # the first round warms up
                        whole[standard].append(w)
                        cpu[standard].append(c)
                        drawing[standard].append(d)
                        post[standard].append(p)
                        writer[standard].append(d + p)
            for standard in STANDARDS:
                m = statistics.median
                vs = "" if standard == "none" else f"{ratio(whole, standard):.2f}x"
                cvs = "" if standard == "none" else f"{ratio(cpu, standard):.2f}x"
                wvs = "" if standard == "none" else f"{ratio(writer, standard):.2f}x"
                print(f"| summit x{n} | {pages} | {standard} | {m(whole[standard]):.3f} | {vs} | {m(cpu[standard]):.3f} | {cvs} | {m(drawing[standard]):.3f} | {m(post[standard]):.3f} | {wvs} |")


if __name__ == "__main__":
    main()
