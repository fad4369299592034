"""What ``reportgen watch`` takes to rebuild the summit after a save, warm (issue 18).

    python bench/warm.py                 # 15 saves, both formats, workers as watch starts them
    python bench/warm.py --saves 30 --jobs 1

**warm rebuild**: a ``Watch`` (``reportgen.build.watching``) of a project
holding ``inputs/summit.yaml`` builds once, then the outline's title is
changed and saved back and forth; each save is one round (plan, compose,
the PDF and the deck rendered in the watch's workers, commit), timed from
the change to the outputs in place. Medians and the slowest, in ms, as JSON
on the last line (``bench/speed.py`` reads it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)


def warm_rebuilds(saves: int, jobs: int) -> dict:
    """Return the warm rebuild times (ms) of ``saves`` saves of the summit, in a watch rendering in ``jobs`` processes (0: as watch decides)."""
    from reportgen.build import Options
    from reportgen.build.watching import Watch
    from reportgen.log import Reporter

    with tempfile.TemporaryDirectory() as folder:
        os.makedirs(os.path.join(folder, "inputs"))
        shutil.copy(os.path.join(ROOT, "inputs", "summit.yaml"), os.path.join(folder, "inputs"))
        here = os.getcwd()
        os.chdir(folder)
        try:
            opts = Options(out_dir="build", templates_dir=os.path.join(ROOT, "reportgen", "packs"), inputs_dir="inputs", jobs=jobs)
            rounds = []
            watch = Watch([], opts, Reporter(quiet=True), say=lambda _line: None, on_built=rounds.append)

            def saved():
                path = os.path.abspath(os.path.join("inputs", "summit.yaml"))
                for i in range(saves):
                    with open(path, encoding="utf-8") as fh:
                        text = fh.read()
                    old, new = ('title: "Biden', 'title: "The Biden') if i % 2 == 0 else ('title: "The Biden', 'title: "Biden')
                    with open(path, "w", encoding="utf-8") as fh:
                        fh.write(text.replace(old, new, 1))
                    yield {path}

            try:
                watch.run(saved())
                workers = watch.workers
            finally:
                watch.close()
        finally:
            os.chdir(here)
    ms = [r.seconds * 1000 for r in rounds[1:] if r.outputs]
    assert len(ms) == saves, f"{len(ms)} of {saves} saves rebuilt"
    return {"first_ms": rounds[0].seconds * 1000, "median_ms": statistics.median(ms), "max_ms": max(ms), "saves": saves, "workers": workers}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--saves", type=int, default=15)
    ap.add_argument("--jobs", type=int, default=0)
    args = ap.parse_args()
    got = warm_rebuilds(args.saves, args.jobs)
    print(f"first build {got['first_ms']:.0f} ms; warm rebuild after a save: median {got['median_ms']:.0f} ms, slowest {got['max_ms']:.0f} ms "
          f"({got['saves']} saves, {got['workers'] or 'no'} worker processes)")
    print(json.dumps(got))


if __name__ == "__main__":
    main()
