"""Speed against the shared yardstick (issues 7 and 18): reportgen, the floors and the peers, measured in one run.

    python bench/speed.py                 # N = 1, 20, 100; 5 paired rounds each (N = 100: 3)
    python bench/speed.py 1 20 --runs 3   # some sizes, fewer rounds
    pip install -e '.[bench]'             # the peers: WeasyPrint, pandoc (pypandoc-binary), Typst

For each N, ``bench/workloads.py`` writes ``bench/out/nN/summit.yaml`` (``inputs/summit.yaml``
with its sections repeated N times) and ``floor.yaml`` (the same content in the shared floors'
simple form). Then, as whole processes, after one warm-up round, in turn (A B A B ...):

* PDF:  ``reportgen build -f pdf``  vs  ``../shared/bench/scripts/floor_pdf.py`` (ReportLab, base-14
  fonts) and ``floor_pdf_ttf.py`` (the *fair* floor: the default pack's TrueType fonts embedded, its
  page, margins and sizes);
* PPTX: ``reportgen build -f pptx`` vs  ``floor_pptx.py`` (python-pptx);
* both: ``reportgen build --jobs 1`` (both formats, one process) vs the fair PDF floor and the PPTX
  floor summed, less one ``python -c pass`` (one interpreter start); and ``reportgen build`` as a
  user types it, its default ``--jobs`` (a process per usable CPU: each format composed and
  rendered in its own), the cold build of issue 18's target;
* each peer that is installed, on the same text, paired with the (fair) floor of its format:
  WeasyPrint (``floor.html``), pandoc → WeasyPrint and pandoc's PPTX (``floor.md``), Typst
  (``typst_peer.py``); a peer missing anything it needs is skipped and said so.

Wall and CPU (user + system, ``os.wait4``) seconds are medians; "vs" columns are medians of the
round-by-round ratios; peak memory is the process's largest resident size (each command forked by a
launcher of a few MiB: ``_LAUNCH``). Then the warm rebuild
after a save (``bench/warm.py``: ``reportgen watch``'s rounds) and the CPU per outline of a batch of
20 summits, both formats, in one ``reportgen build --jobs 1``. The run's date and load are printed
first; ``bench/RESULTS.md`` quotes the latest run.
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

# Peers run when installed (the ``bench`` extra installs them all: ``pip install -e '.[bench]'``), on the floors'
# form of the same content, paired with the floor of their format: (format, name, command, what it needs).
# In a command, {d} is the workload folder, {css} the shared CSS, {pandoc} pandoc (on PATH, else pypandoc-binary's),
# {py} this Python. A peer runs only when everything it needs is there, else it is listed as skipped, with why.
PEERS = [  # (format, name, command, what it needs, the file it writes)
    ("pdf", "WeasyPrint (Jinja2 HTML)", ["{py}", "-m", "weasyprint", "{d}/floor.html", "{d}/weasyprint.pdf"], ("module:weasyprint",), "{d}/weasyprint.pdf"),
    ("pdf", "pandoc → WeasyPrint", ["{pandoc}", "{d}/floor.md", "--pdf-engine=weasyprint", "--css", "{css}", "-o", "{d}/pandoc.pdf"],
     ("pandoc", "command:weasyprint"), "{d}/pandoc.pdf"),
    ("pdf", "Typst", ["{py}", os.path.join(SHARED, "typst_peer.py"), "{d}/summit.yaml", "{d}/typst.pdf", "templates/briefing/fonts"], ("module:typst",),
     "{d}/typst.pdf"),
    ("pptx", "pandoc", ["{pandoc}", "{d}/floor.md", "--slide-level=2", "-o", "{d}/pandoc.pptx"], ("pandoc",), "{d}/pandoc.pptx"),
]


def pandoc_path() -> str | None:
    """Return pandoc: the one on PATH, else the binary pypandoc-binary ships; None when neither is there."""
    found = shutil.which("pandoc")
    if found:
        return found
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return None


def missing(needs: tuple[str, ...]) -> list[str]:
    """Return what of ``needs`` is not installed ("pandoc", "module:NAME", "command:NAME" on PATH or beside this Python)."""
    import importlib.util

    out = []
    for need in needs:
        kind, _, name = need.partition(":")
        if need == "pandoc":
            ok = pandoc_path() is not None
        elif kind == "module":
            ok = importlib.util.find_spec(name) is not None
        else:
            ok = shutil.which(name, path=peer_path()) is not None
        if not ok:
            out.append(name or need)
    return out


def _env() -> dict[str, str]:
    """Return the environment every measured process runs in: PATH with this Python's scripts first, and bytecode
    cached (as an installed package has it: an editable install under PYTHONDONTWRITEBYTECODE would compile every
    module of reportgen at each start, which the floors, importing only installed libraries, never pay)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PATH"] = peer_path()
    return env


def peer_path() -> str:
    """Return PATH with this Python's scripts folder first (where the bench extra's ``weasyprint`` command is)."""
    return os.pathsep.join([os.path.dirname(PY), os.environ.get("PATH", "")])


CONTENT = os.path.join(os.path.dirname(SHARED), "content")


ENV: dict[str, str] = {}  # (set by main: _env())
LARGE = 100  # from this N on, fewer rounds (--runs-200) and no warm-up round


# Each command is started by a small launcher that forks it and reports its rusage. A process's peak (``ru_maxrss``)
# starts from the memory of the process it was forked from, and Python's subprocess forks (vfork) from this one,
# whose own size (tens of MiB after a few rounds) was then read as the peak of any command smaller than it: the
# floors' peaks were this process's (76 MiB at N = 100 for a floor that peaks at 64). The launcher is a few MiB.
_LAUNCH = """
import os, sys, time
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.execvp(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), time.perf_counter() - t0, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
"""


def once(cmd: list[str], cwd: str) -> tuple[float, float, float]:
    """One whole process: (wall seconds, peak MiB, CPU seconds: user + system), as its launcher (``_LAUNCH``) saw it."""
    out = subprocess.run([PY, "-S", "-c", _LAUNCH, *cmd], cwd=cwd, env=ENV, capture_output=True, text=True)
    fields = out.stdout.split()
    if out.returncode != 0 or len(fields) != 4:
        sys.exit(f"the launcher failed ({out.returncode}: {out.stderr.strip()[-300:]}): {' '.join(cmd)}")
    code, wall, peak, cpu = int(fields[0]), float(fields[1]), int(fields[2]), float(fields[3])
    if code != 0:
        sys.exit(f"failed ({code}): {' '.join(cmd)}")
    return wall, peak / 1024, cpu


def rounds(cmds: list[list[str]], cwd: str, runs: int, warm: bool = True) -> list[list[tuple[float, float, float]]]:
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


def row(what: str, n, measured: list[tuple[float, float, float]], **extra) -> dict:
    """Return a table row of ``measured`` (wall, peak, CPU of each run): medians."""
    return {"what": what, "n": n, "wall": med(r[0] for r in measured), "peak": med(r[1] for r in measured), "cpu": med(r[2] for r in measured), **extra}


def paired(a: list[tuple], b: list[tuple], k: int) -> float:
    """Return the median of the round-by-round ratios of field ``k`` (0 wall, 2 CPU) of ``a`` to ``b``."""
    return med(x[k] / y[k] for x, y in zip(a, b))


def batch_cpu(folder: str, outlines: int, jobs: int) -> dict:
    """Return the CPU seconds per outline of one ``reportgen build`` of ``outlines`` copies of the summit, both formats."""
    batch = os.path.join(folder, f"batch{outlines}")
    os.makedirs(os.path.join(batch, "inputs"), exist_ok=True)
    for i in range(outlines):
        shutil.copy(os.path.join(ROOT, "inputs", "summit.yaml"), os.path.join(batch, "inputs", f"summit{i:03d}.yaml"))
    cmd = [PY, "-m", "reportgen", "build", "--force", "-q", "--jobs", str(jobs), "--templates", os.path.join(folder, "templates")]
    once(cmd, batch)  # warm-up
    wall, peak, cpu = once(cmd, batch)
    return {"outlines": outlines, "jobs": jobs, "wall": wall, "cpu_per_outline": cpu / outlines, "peak": peak}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sizes", nargs="*", type=int, default=[1, 20, 100], help="how many copies of the summit's sections (at most the largest one outline may hold: 111)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--runs-200", type=int, default=3, help=f"rounds at N >= {LARGE} (they take minutes; no warm-up round)")
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    args = ap.parse_args()
    if not os.path.isdir(SHARED):
        sys.exit(f"the shared yardstick is not at {SHARED}")
    import workloads

    over = [n for n in args.sizes if n > workloads.largest()]
    if over:  # (before anything is measured: such a build stops at once, exit 2, and the run with it)
        sys.exit(f"N = {', '.join(map(str, over))}: over what one outline may hold (reportgen.loader.LIMITS: 2,000 sections and "
                 f"subsections, 18 a copy of the summit); the largest N is {workloads.largest()}")
    from warm import warm_rebuilds

    ENV.update(_env())

    os.makedirs(args.out, exist_ok=True)
    tpl = os.path.join(args.out, "templates")
    if os.path.exists(tpl):
        shutil.rmtree(tpl)
    shutil.copytree(os.path.join(ROOT, "reportgen", "packs"), tpl)
    rg = [PY, "-m", "reportgen", "build", "--force", "-q", "--jobs", "1"]
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load = os.getloadavg()[0]
    rows: list[dict] = []
    skipped = [f"{fmt} {name}: {', '.join(missing(needs))} not installed" for fmt, name, _cmd, needs, _out in PEERS if missing(needs)]
    tools = {"py": PY, "pandoc": pandoc_path() or "pandoc", "css": os.path.join(CONTENT, "print.css")}
    startup = rounds([[PY, "-c", "pass"], [PY, "-m", "reportgen", "--help"]], args.out, args.runs)
    rows.append(row("python -c pass", "", startup[0]))
    rows.append(row("reportgen --help", "", startup[1]))
    for n in args.sizes:
        d = f"n{n}"
        workloads.main(n, os.path.join(args.out, d))
        runs = args.runs_200 if n >= LARGE else args.runs
        warm = n < LARGE  # such runs take minutes: no warm-up round there
        floor_pdf = [PY, os.path.join(SHARED, "floor_pdf.py"), f"{d}/floor.yaml", f"{d}/floor.pdf"]
        fair_pdf = [PY, os.path.join(SHARED, "floor_pdf_ttf.py"), f"{d}/floor.yaml", f"{d}/fair.pdf", "templates/briefing/fonts"]
        floor_pptx = [PY, os.path.join(SHARED, "floor_pptx.py"), f"{d}/floor.yaml", f"{d}/floor.pptx"]
        for fmt, floors in (("pdf", [("floor", floor_pdf), ("fair floor (TrueType)", fair_pdf)]), ("pptx", [("floor", floor_pptx)])):
            out = f"{d}/{fmt}"
            got = rounds([rg + [f"{d}/summit.yaml", "-f", fmt, "--out", out]] + [c for _, c in floors], args.out, runs, warm)
            r_rg = got[0]
            rg_path = os.path.join(args.out, out, f"summit.{fmt}")
            me = row(f"{fmt} reportgen", n, r_rg, bytes=os.path.getsize(rg_path), count=count(rg_path), runs=runs)
            for (label, cmd), r_fl in zip(floors, got[1:]):
                fl_path = os.path.join(args.out, cmd[3])
                rows.append(row(f"{fmt} {label}", n, r_fl, bytes=os.path.getsize(fl_path), count=count(fl_path)))
                me[f"vs {label}"] = paired(r_rg, r_fl, 0)
                me[f"cpu vs {label}"] = paired(r_rg, r_fl, 2)
                me[f"peak vs {label}"] = me["peak"] / rows[-1]["peak"]
            rows.append(me)
            for pfmt, name, cmd, needs, written in PEERS:
                if pfmt != fmt or missing(needs):
                    continue
                if not os.path.exists(os.path.join(args.out, d, "floor.md")):
                    peer_inputs(os.path.join(args.out, d))
                pc = [a.format(d=d, **tools) for a in cmd]
                r_p, r_f = rounds([pc, floors[-1][1]], args.out, runs, warm)
                out_path = os.path.join(args.out, written.format(d=d))
                rows.append(row(f"{fmt} {name} (floor's text)", n, r_p, **{f"vs {floors[-1][0]}": paired(r_p, r_f, 0), f"cpu vs {floors[-1][0]}": paired(r_p, r_f, 2),
                                "reportgen_vs": me["wall"] / med(r[0] for r in r_p), "count": count(out_path) if os.path.exists(out_path) else ""}))
        default = [a for a in rg if a not in ("--jobs", "1")]  # the command as a user types it: its default --jobs
        both = rounds([rg + [f"{d}/summit.yaml", "--out", f"{d}/both"], default + [f"{d}/summit.yaml", "--out", f"{d}/default"],
                       fair_pdf, floor_pptx, [PY, "-c", "pass"]], args.out, runs, warm)
        sums = [(b[0] + c[0] - p[0], b[2] + c[2] - p[2]) for b, c, p in zip(both[2], both[3], both[4])]
        for label, got_both in (("both reportgen", both[0]), ("both reportgen (default --jobs)", both[1])):
            rows.append(row(label, n, got_both, runs=runs, **{"vs fair floors": med(a[0] / s[0] for a, s in zip(got_both, sums)),
                                                              "cpu vs fair floors": med(a[2] / s[1] for a, s in zip(got_both, sums))}))
    warm_got = warm_rebuilds(15, 0)
    batch = batch_cpu(args.out, 20, 1)
    with open(os.path.join(args.out, "speed.json"), "w") as fh:
        json.dump({"started": started, "load": load, "rows": rows, "skipped": skipped, "warm": warm_got, "batch": batch}, fh, indent=1)
    print(f"{started}; machine: {os.cpu_count()} cores, load average {load:.2f} at the start; Python {sys.version.split()[0]}")
    for line in skipped:
        print(f"skipped: {line}")
    ratio_keys = [k for k in dict.fromkeys(k for r in rows for k in r) if k.startswith(("vs ", "cpu vs ", "peak vs "))]
    print("| what | N | wall s | CPU s | peak MiB | " + " | ".join(ratio_keys) + " | reportgen vs it | bytes | pages/slides |")
    print("|---" * (8 + len(ratio_keys)) + "|")
    for r in rows:
        def f(k, fmt):
            return fmt.format(r[k]) if k in r else ""
        ratios = " | ".join(f(k, "{:.2f}x") for k in ratio_keys)
        print(f"| {r['what']} | {r.get('n', '')} | {r['wall']:.3f} | {r['cpu']:.3f} | {r['peak']:.1f} | {ratios} | {f('reportgen_vs', '{:.2f}x')} | {f('bytes', '{:,}')} | {r.get('count', '')} |")
    print(f"warm rebuild after a save (reportgen watch, summit, both formats, {warm_got['workers'] or 'no'} workers): median {warm_got['median_ms']:.0f} ms, "
          f"slowest {warm_got['max_ms']:.0f} ms of {warm_got['saves']} saves (first build {warm_got['first_ms']:.0f} ms)")
    print(f"batch: {batch['outlines']} summit outlines, both formats, --jobs {batch['jobs']}: {batch['cpu_per_outline']:.3f} s CPU per outline "
          f"({batch['wall']:.1f} s wall, peak {batch['peak']:.0f} MiB)")


if __name__ == "__main__":
    main()
