"""Speed and scale against the shared yardstick (issue 7): reportgen vs the libraries' floors and the peers.

    python bench/speed.py                 # N = 1, 20, 200; 5 paired rounds each (N = 200: 3)
    python bench/speed.py 1 20 --runs 3   # some sizes, fewer rounds

For each N, ``bench/workloads.py`` writes ``bench/out/nN/summit.yaml`` (``inputs/summit.yaml``
with its sections repeated N times) and ``floor.yaml`` (the same content in the shared floors'
simple form). Then, as whole processes, after one warm-up round, in turn (A B A B ...):

* PDF:  ``reportgen build -f pdf``  vs  ``../shared/bench/scripts/floor_pdf.py``   (ReportLab floor)
* PPTX: ``reportgen build -f pptx`` vs  ``../shared/bench/scripts/floor_pptx.py``  (python-pptx floor)
* both: ``reportgen build`` (both formats, one process) vs the two floors' sum less one
  ``python -c pass`` (one interpreter start)

Wall seconds are medians; "vs floor" is the median of the round-by-round ratios. Peak memory is
the largest resident size of the process (``os.wait4``'s ru_maxrss). Peers (WeasyPrint, pandoc)
run if they are on PATH, on ``floor.md`` / ``floor.html`` made from ``floor.yaml`` by the shared
harness's own converters (``derive.py``, ``content/summit.html.j2``), paired with the floor of
their format; their figures from ``../shared/bench/RESULTS.md`` (same machine kind, same method,
the shared outline, not paired) are always listed too, marked *quoted*.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench", "scripts"))
PY = sys.executable
sys.path.insert(0, HERE)

# ../shared/bench/RESULTS.md, medians of whole processes on a 2-core machine like ours (quoted, not re-run)
QUOTED = {
    ("pdf", "WeasyPrint (quoted)"): {1: 0.693, 20: 3.116, 200: 28.785},
    ("pdf", "pandoc → WeasyPrint (quoted)"): {1: 0.746, 20: 3.557, 200: 32.355},
    ("pptx", "pandoc (quoted)"): {1: 0.095, 20: 0.829, 200: 25.454},
}
# Peers run when installed (``shutil.which``), on the floors' form of the same content, paired with
# the floor of their format: (format, name, command; {d} is the workload folder, {css} the shared CSS).
PEERS = [
    ("pdf", "WeasyPrint (Jinja2 HTML)", ["weasyprint", "{d}/floor.html", "{d}/weasyprint.pdf"]),
    ("pdf", "pandoc → WeasyPrint", ["pandoc", "{d}/floor.md", "--pdf-engine=weasyprint", "--css", "{css}", "-o", "{d}/pandoc.pdf"]),
    ("pptx", "pandoc", ["pandoc", "{d}/floor.md", "--slide-level=2", "-o", "{d}/pandoc.pptx"]),
]
CONTENT = os.path.join(os.path.dirname(SHARED), "content")
QUOTED_FLOOR = {"pdf": {1: 0.174, 20: 0.412, 200: 2.728}, "pptx": {1: 0.171, 20: 0.549, 200: 10.972}}


def once(cmd: list[str], cwd: str) -> tuple[float, float]:
    """One whole process: (wall seconds, peak MiB)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return wall, usage.ru_maxrss / 1024


def rounds(cmds: list[list[str]], cwd: str, runs: int, warm: bool = True) -> list[list[tuple[float, float]]]:
    for c in cmds if warm else ():  # warm-up round, not counted
        once(c, cwd)
    got = [[once(c, cwd) for c in cmds] for _ in range(runs)]
    return [[r[i] for r in got] for i in range(len(cmds))]


def count(path: str) -> str:
    if path.endswith(".pptx"):
        with zipfile.ZipFile(path) as z:
            return f"{sum(n.startswith('ppt/slides/slide') for n in z.namelist())} slides"
    try:
        from pypdf import PdfReader
    except ImportError:
        return "?"
    return f"{len(PdfReader(path).pages)} pages"


def peer_inputs(folder: str) -> None:
    """Write ``floor.md`` and ``floor.html`` from ``floor.yaml`` with the shared harness's own converters."""
    import importlib.util

    import yaml

    spec = importlib.util.spec_from_file_location("derive", os.path.join(SHARED, "derive.py"))
    derive = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(derive)
    with open(os.path.join(folder, "floor.yaml"), encoding="utf-8") as fh:
        outline = yaml.safe_load(fh)
    with open(os.path.join(folder, "floor.md"), "w", encoding="utf-8") as fh:
        fh.write(derive.to_markdown(outline))
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(CONTENT), autoescape=True)
    with open(os.path.join(CONTENT, "print.css"), encoding="utf-8") as fh:
        css = fh.read()
    with open(os.path.join(folder, "floor.html"), "w", encoding="utf-8") as fh:
        fh.write(env.get_template("summit.html.j2").render(o=outline, css=css))


def med(xs) -> float:
    return statistics.median(xs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sizes", nargs="*", type=int, default=[1, 20, 200])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--runs-200", type=int, default=3, help="rounds at N >= 200 (they take minutes; no warm-up round)")
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    args = ap.parse_args()
    if not os.path.isdir(SHARED):
        sys.exit(f"the shared yardstick is not at {SHARED}")
    import workloads

    os.makedirs(args.out, exist_ok=True)
    tpl = os.path.join(args.out, "templates")
    if os.path.exists(tpl):
        shutil.rmtree(tpl)
    shutil.copytree(os.path.join(ROOT, "reportgen", "packs"), tpl)
    rg = [PY, "-m", "reportgen", "build", "--force", "-q", "--jobs", "1"]
    rows: list[dict] = []
    startup = rounds([[PY, "-c", "pass"], [PY, "-m", "reportgen", "--help"]], args.out, args.runs)
    py_pass = med(w for w, _ in startup[0])
    rows.append({"what": "python -c pass", "wall": py_pass, "peak": med(m for _, m in startup[0])})
    rows.append({"what": "reportgen --help", "wall": med(w for w, _ in startup[1]), "peak": med(m for _, m in startup[1])})
    for n in args.sizes:
        d = f"n{n}"
        workloads.main(n, os.path.join(args.out, d))
        runs = args.runs_200 if n >= 200 else args.runs
        warm = n < 200  # N = 200 runs take minutes: no warm-up round there
        floor_pdf = [PY, os.path.join(SHARED, "floor_pdf.py"), f"{d}/floor.yaml", f"{d}/floor.pdf"]
        floor_pptx = [PY, os.path.join(SHARED, "floor_pptx.py"), f"{d}/floor.yaml", f"{d}/floor.pptx"]
        for fmt, floor in (("pdf", floor_pdf), ("pptx", floor_pptx)):
            out = f"{d}/{fmt}"
            r_rg, r_fl = rounds([rg + [f"{d}/summit.yaml", "-f", fmt, "--out", out], floor], args.out, runs, warm)
            ratios = [a[0] / b[0] for a, b in zip(r_rg, r_fl)]
            fl_path = os.path.join(args.out, d, f"floor.{fmt}")
            rg_path = os.path.join(args.out, out, f"summit.{fmt}")
            fl = {"what": f"{fmt} floor", "n": n, "wall": med(w for w, _ in r_fl), "peak": med(m for _, m in r_fl), "bytes": os.path.getsize(fl_path), "count": count(fl_path)}
            me = {"what": f"{fmt} reportgen", "n": n, "wall": med(w for w, _ in r_rg), "peak": med(m for _, m in r_rg), "bytes": os.path.getsize(rg_path), "count": count(rg_path), "vs_floor": med(ratios), "peak_vs_floor": med(m for _, m in r_rg) / fl["peak"], "runs": runs}
            rows += [fl, me]
            for pfmt, name, cmd in PEERS:
                if pfmt != fmt or not shutil.which(cmd[0]):
                    continue
                if not os.path.exists(os.path.join(args.out, d, "floor.md")):
                    peer_inputs(os.path.join(args.out, d))
                pc = [a.format(d=d, css=os.path.join(CONTENT, "print.css")) for a in cmd]
                r_p, r_f = rounds([pc, floor], args.out, runs, warm)
                rows.append({"what": f"{fmt} {name} (floor's text)", "n": n, "wall": med(w for w, _ in r_p), "peak": med(m for _, m in r_p), "vs_floor": med(a[0] / b[0] for a, b in zip(r_p, r_f)), "reportgen_vs": me["wall"] / med(w for w, _ in r_p)})
            for (qfmt, name), figs in QUOTED.items():
                if qfmt == fmt and n in figs:
                    rows.append({"what": f"{fmt} {name}", "n": n, "wall": figs[n], "vs_floor": figs[n] / QUOTED_FLOOR[fmt][n], "reportgen_vs": me["wall"] / figs[n]})
        both = rounds([rg + [f"{d}/summit.yaml", "--out", f"{d}/both"], floor_pdf, floor_pptx, [PY, "-c", "pass"]], args.out, runs, warm)
        sums = [b[0] + c[0] - p[0] for b, c, p in zip(both[1], both[2], both[3])]
        rows.append({"what": "both reportgen", "n": n, "wall": med(w for w, _ in both[0]), "peak": med(m for _, m in both[0]), "vs_floor": med(a[0] / s for a, s in zip(both[0], sums)), "floor_sum": med(sums), "runs": runs})
        pandoc_both = QUOTED[("pptx", "pandoc (quoted)")][n] + QUOTED[("pdf", "pandoc → WeasyPrint (quoted)")][n]
        rows.append({"what": "both pandoc PPTX + pandoc → WeasyPrint (quoted)", "n": n, "wall": pandoc_both, "reportgen_vs": rows[-1]["wall"] / pandoc_both})
    with open(os.path.join(args.out, "speed.json"), "w") as fh:
        json.dump(rows, fh, indent=1)
    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    print("| what | N | wall s (median) | peak MiB | vs floor | peak vs floor | reportgen vs it | bytes | pages/slides |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        def f(k, fmt):
            return fmt.format(r[k]) if k in r else ""
        print(f"| {r['what']} | {r.get('n', '')} | {r['wall']:.3f} | {f('peak', '{:.1f}')} | {f('vs_floor', '{:.2f}x')} | {f('peak_vs_floor', '{:.2f}x')} | {f('reportgen_vs', '{:.2f}x')} | {f('bytes', '{:,}')} | {r.get('count', '')} |")


if __name__ == "__main__":
    main()
