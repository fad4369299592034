"""Scaled workloads for the speed benchmark, all from ``inputs/summit.yaml``.

    python bench/workloads.py N DIR

Writes ``DIR/summit.yaml`` (the outline with its sections repeated N times,
titles numbered from the 2nd copy) and ``DIR/floor.yaml`` (the same content in
the shared floors' simple form: title, subtitle, date and, per section and
subsection, a heading, its bullets and its prose paragraphs, Markdown marks
and citations stripped) for ``../shared/bench/scripts/floor_*.py``.
"""

from __future__ import annotations

import copy
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUMMIT = os.path.join(ROOT, "inputs", "summit.yaml")


class _Dumper(yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper):
    def ignore_aliases(self, data):  # every repeated section written out in full
        return True


def _str(dumper, data):  # always quoted: the outline keeps plain values as text
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')


_Dumper.add_representer(str, _str)


def scaled(outline: dict, n: int) -> dict:
    out = dict(outline, sections=[])
    for k in range(1, n + 1):
        for s in outline["sections"]:
            s = copy.deepcopy(s)
            if k > 1:
                s["title"] = f"{s['title']} ({k})"
                for key in ("id",):
                    if key in s:
                        s[key] = f"{s[key]}-{k}"
            out["sections"].append(s)
    return out


_MARKS = re.compile(r"\s*\[@[^\]]+\]|[*`]")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _plain(text: str) -> str:
    return " ".join(_MARKS.sub("", _LINK.sub(r"\1", str(text))).split())


def floor_form(outline: dict) -> dict:
    """The outline in the floors' form: {title, subtitle, date, sections: [{heading, bullets, paragraphs}]}."""
    sections = []

    def add(s: dict) -> None:
        paras = [_plain(p) for p in re.split(r"\n\s*\n", str(s.get("body", ""))) if p.strip()]
        sections.append({"heading": _plain(s["title"]), "bullets": [_plain(b) for b in s.get("points", [])], "paragraphs": paras})
        for sub in s.get("subsections", []) or []:
            add(sub)

    for s in outline["sections"]:
        add(s)
    return {"title": _plain(outline["title"]), "subtitle": _plain(outline.get("subtitle", "")), "date": str(outline.get("date", "")), "sections": sections}


def largest() -> int:
    """Return the largest N whose outline one ``reportgen build`` accepts: its sections and subsections, and its
    points, within what one outline may hold (``reportgen.loader.LIMITS``: the summit's 18 sections a copy make 111)."""
    from reportgen.loader import LIMITS

    with open(SUMMIT, encoding="utf-8") as fh:
        outline = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    sections = [s for top in outline["sections"] for s in [top, *(top.get("subsections") or [])]]
    points = sum(len(s.get("points") or []) for s in sections)
    return min(LIMITS["sections"] // len(sections), LIMITS["points"] // max(points, 1))


def main(n: int, folder: str) -> None:
    os.makedirs(folder, exist_ok=True)
    with open(SUMMIT, encoding="utf-8") as fh:
        outline = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    big = scaled(outline, n)
    with open(os.path.join(folder, "summit.yaml"), "w", encoding="utf-8") as fh:
        yaml.dump(big, fh, Dumper=_Dumper, sort_keys=False, width=1000, allow_unicode=True)
    with open(os.path.join(folder, "floor.yaml"), "w", encoding="utf-8") as fh:
        yaml.dump(floor_form(big), fh, Dumper=_Dumper, sort_keys=False, width=1000, allow_unicode=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
