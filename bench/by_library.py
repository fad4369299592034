"""Where a build's time goes, by library: the profile that says why a target of issue 18 is not met.

    python bench/by_library.py               # the batch, and the PDF at N = 100
    python bench/by_library.py --n 20 --rate 250
    pip install -e '.[bench]'                # py-spy, the sampling profiler this runs

Two workloads, made as ``bench/speed.py`` makes them (in ``bench/out``):

* the batch: 20 copies of the summit, both formats, in one ``reportgen build --jobs 1``; issue 18's
  target is 0.11 s of CPU per outline;
* the PDF of the summit with its sections repeated N times, ``reportgen build -f pdf --jobs 1``;
  the target is 2x the time of the fair floor (``floor_pdf_ttf.py``, ReportLab with the pack's
  fonts, page and sizes), timed here in the same run.

Each is timed alone first (median CPU or wall seconds of ``--runs`` rounds, by ``speed.py``'s launcher),
then sampled once with py-spy (``py-spy record --format raw``). Each sample is given to the library
whose code was running: its innermost frame outside Python's standard library (``html.parser``
running ReportLab's paragraph parser is ReportLab's time; ``zipfile`` is the time of whichever code
called it), to the pack when a template's compiled code was running, or to "importing" when the
interpreter was reading a module's code. Printed: each
library's share of the samples (a third-party library's over 10% also by the reportgen function that
called into it), and what the third-party libraries' shares come to in seconds, against the target:
the time left if reportgen's own code took none at all.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

STDLIB = frozenset(sys.stdlib_module_names)
IMPORTING = "importing (reading and unmarshalling modules)"
TEMPLATES = "the pack's templates (their Jinja2-compiled code)"
NO_LIBRARY = "Python itself (no library's frame)"
NOT_THIRD_PARTY = (IMPORTING, TEMPLATES, NO_LIBRARY)


def owner(frame: str) -> str | None:
    """Return who ``frame`` (``function (file:line)``, as py-spy writes it) is running for, or None for the standard library's code.

    py-spy shows a file relative to its ``sys.path`` entry (``reportlab/platypus/paragraph.py``,
    ``typing_extensions.py``): the first part names the package, a reportgen package by its
    subpackage (``reportgen.writers.pdf``); a template's code is the pack's (``report.xml.j2``);
    the interpreter reading a module is "importing".
    """
    file = frame.rsplit(" (", 1)[-1].rstrip(")")
    file = file.rsplit(":", 1)[0] if file.rsplit(":", 1)[-1].isdigit() else file
    if file.startswith("<frozen importlib"):
        return IMPORTING
    if file.endswith(".j2"):
        return TEMPLATES
    top = file.split("/", 1)[0].split(".", 1)[0]  # a package's folder, or a one-file module (typing_extensions.py, a native _rl_accel....so)
    if top == "reportgen":
        parts = file.split("/")
        return ".".join(p.removesuffix(".py") for p in parts[: 3 if parts[1:2] == ["writers"] and len(parts) > 3 else 2])
    if not top or top.startswith("<") or top in STDLIB:
        return None
    return top


def _samples(lines: Iterable[str]) -> Iterator[tuple[list[str], int, str]]:
    """Yield each stack of py-spy's raw ``lines`` (``frame;frame;... count``, outermost first) as (its frames, its count, the ``owner`` of its innermost frame that has one)."""
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        who = next((w for w in map(owner, reversed(frames)) if w is not None), NO_LIBRARY)
        yield frames, int(count), who


def attribute(lines: Iterable[str]) -> Counter:
    """Return the samples of py-spy's raw ``lines`` by who was running (``owner`` of each stack's innermost frame that has one)."""
    got: Counter = Counter()
    for _frames, count, who in _samples(lines):
        got[who] += count
    return got


def callers(lines: Iterable[str], library: str) -> Counter:
    """Return the samples ``attribute`` gives to ``library`` by the reportgen function that called into it (its innermost reportgen frame, without its line)."""
    got: Counter = Counter()
    for frames, count, who in _samples(lines):
        if who == library:
            caller = next((f for f in reversed(frames) if (owner(f) or "").startswith("reportgen")), "(no reportgen frame)")
            got[re.sub(r":\d+\)$", ")", caller)] += count
    return got


def third_party(shares: Counter) -> float:
    """Return the fraction of ``shares`` that the third-party libraries' own code took (not reportgen's, its pack's, importing or Python's)."""
    total = sum(shares.values())
    return sum(v for k, v in shares.items() if k not in NOT_THIRD_PARTY and not k.startswith("reportgen")) / total if total else 0.0


def sampled(cmd: list[str], cwd: str, rate: int, keep: str = "") -> list[str]:
    """Return py-spy's raw samples of one run of ``cmd`` in ``cwd``, at ``rate`` a second (written to ``keep`` too if given)."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = keep or os.path.join(tmp, "samples.txt")
        done = subprocess.run(["py-spy", "record", "--rate", str(rate), "--format", "raw", "--output", raw, "--", *cmd], cwd=cwd,
                              capture_output=True, text=True)
        if done.returncode != 0 or not os.path.exists(raw):
            sys.exit(f"py-spy failed ({done.returncode}): {done.stderr.strip()[-300:]}")
        with open(raw, encoding="utf-8") as fh:
            return fh.readlines()


def show(title: str, lines: list[str], seconds: float, unit: str, target: float, target_is: str) -> None:
    shares = attribute(lines)
    total = sum(shares.values())
    print(f"\n{title}: {seconds:.3f} {unit} (timed alone); {total:,} samples")
    for who, n in shares.most_common():
        if n / total >= 0.005:
            print(f"  {100 * n / total:5.1f}%  {who}")
        if n / total >= 0.1 and who not in NOT_THIRD_PARTY and not who.startswith("reportgen"):
            for caller, k in callers(lines, who).most_common(6):  # what reportgen asked of it
                print(f"         {100 * k / total:5.1f}%  called by {caller}")
    share = third_party(shares)
    verdict = "over" if share * seconds > target else "within"
    print(f"  the third-party libraries' own code: {100 * share:.1f}% = {share * seconds:.3f} {unit}, {verdict} the target of "
          f"{target:.3f} {unit} ({target_is}) with reportgen's own code taking nothing")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100, help="copies of the summit's sections in the PDF workload (default 100)")
    ap.add_argument("--runs", type=int, default=3, help="rounds each workload (and the fair floor) is timed alone")
    ap.add_argument("--rate", type=int, default=200, help="py-spy's samples a second")
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    ap.add_argument("--keep", action="store_true", help="keep py-spy's raw samples in OUT (by_library_batch.txt, by_library_pdf.txt)")
    args = ap.parse_args()
    if shutil.which("py-spy") is None:
        sys.exit("py-spy is not installed: pip install -e '.[bench]'")
    import speed
    import workloads

    speed.ENV.update(speed._env())
    tpl = os.path.join(args.out, "templates")
    if not os.path.isdir(tpl):
        shutil.copytree(os.path.join(ROOT, "reportgen", "packs"), tpl)

    batch = [speed.batch_cpu(args.out, 20, 1) for _ in range(args.runs)]
    per_outline = statistics.median(b["cpu_per_outline"] for b in batch)
    cmd = [speed.PY, "-m", "reportgen", "build", "--force", "-q", "--jobs", "1", "--templates", tpl]
    lines = sampled(cmd, os.path.join(args.out, "batch20"), args.rate, os.path.abspath(os.path.join(args.out, "by_library_batch.txt")) if args.keep else "")
    show("batch: 20 summits, both formats, --jobs 1", lines, per_outline, "s CPU per outline", 0.11, "issue 18's")

    d = f"n{args.n}"
    workloads.main(args.n, os.path.join(args.out, d))
    pdf = [speed.PY, "-m", "reportgen", "build", "--force", "-q", "--jobs", "1", f"{d}/summit.yaml", "-f", "pdf", "--out", f"{d}/pdf"]
    fair = [speed.PY, os.path.join(speed.SHARED, "floor_pdf_ttf.py"), f"{d}/floor.yaml", f"{d}/fair.pdf", "templates/briefing/fonts"]
    times = [(speed.once(pdf, args.out)[0], speed.once(fair, args.out)[0]) for _ in range(args.runs)]
    mine, floor = statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)
    lines = sampled(pdf, args.out, args.rate, os.path.abspath(os.path.join(args.out, "by_library_pdf.txt")) if args.keep else "")
    show(f"PDF at N = {args.n}, --jobs 1", lines, mine, "s", 2 * floor, f"2x the fair floor's {floor:.3f} s")


if __name__ == "__main__":
    main()
