"""Reading the slide master's geometry (``writers/pptx/geometry.py``) into plain data, once per deck.

``briefing_geometry.json`` is the briefing pack's master as the planner sees
it; ``test_plan.py`` plans against it without python-pptx, and the first test
here keeps it equal to what the reader finds in ``reportgen/packs/briefing/master.pptx``
(rewrite it with ``REPORTGEN_UPDATE_GOLDEN=1`` when the master changes).
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("pptx")

from reportgen.doctree import Deck, Meta, Slide, Text  # noqa: E402
from reportgen.theme import load_theme  # noqa: E402
from reportgen.writers.pptx.master import prepare  # noqa: E402
from reportgen.writers.pptx.model import Geometry  # noqa: E402

PACK = Path(__file__).resolve().parents[3] / "reportgen" / "packs" / "briefing"
SNAPSHOT = Path(__file__).with_name("briefing_geometry.json")
LAYOUTS = ["Title Slide", "Title and Content", "Section Header", "Two Content", "Comparison", "Title Only", "Blank"]


def _every_layout() -> Deck:
    return Deck(Meta("Geometry"), [Slide(name, [Text(name)]) for name in LAYOUTS])


def _dump(geo: dict) -> str:
    """The snapshot as JSON, one placeholder a line."""
    one = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
    lines = ["{", f' "width": {geo["width"]}, "height": {geo["height"]}, "where": {one(geo["where"])},',
             f' "margins": {one(geo["margins"])},', f' "master_body": {one(geo["master_body"])},', ' "layouts": {']
    for k, (name, lay) in enumerate(geo["layouts"].items()):
        lines.append(f"  {one(name)}: {{\"name\": {one(lay['name'])},")
        for part in ("placeholders", "slide"):
            lines.append(f'   "{part}": [')
            lines += [f"    {one(ph)}," for ph in lay[part]]
            lines[-1] = lines[-1].rstrip(",")
            lines.append("   ]," if part == "placeholders" else "   ]")
        lines.append("  }," if k < len(geo["layouts"]) - 1 else "  }")
    return "\n".join(lines + [" }", "}"]) + "\n"


def test_snapshot_is_the_briefing_master():
    ready = prepare(_every_layout(), load_theme(str(PACK)))
    got = ready.geometry.to_dict()
    got["where"] = "reportgen/packs/briefing/master.pptx"
    if os.environ.get("REPORTGEN_UPDATE_GOLDEN") == "1":
        SNAPSHOT.write_text(_dump(got), encoding="utf-8")
    assert json.loads(json.dumps(got)) == json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert Geometry.from_dict(got).to_dict() == got  # the round trip the planner's tests rely on


def test_slide_placeholders_are_the_layouts_then_the_footers():
    ready = prepare(_every_layout(), load_theme(str(PACK)))
    geo = ready.geometry
    content = geo.layouts["Title and Content"]
    assert [(ph.type, ph.idx) for ph in content.slide[:2]] == [("title", 0), ("obj", 1)]
    assert [ph.type for ph in content.slide[2:]] == ["dt", "ftr", "sldNum"]
    layout = ready.layouts["Title and Content"]
    title = layout.placeholders[0]
    assert content.slide[0].box == (title.left, title.top, title.width, title.height)  # inherited from the layout's
    assert content.find("obj", "body", idx=1).box == content.slide[1].box and content.find("title").box is None  # read where used
    assert content.slide[0].title_size == 30.0 and content.slide[1].body_size is None  # read where the plan asks
    assert geo.layouts["Section Header"].slide[1].body_size and geo.layouts["Title Slide"].slide[1].type == "subTitle"
    assert geo.margins[0] > 0 and geo.width == 12192000 and geo.master_body is not None


def test_reading_leaves_no_trace_in_the_deck(tmp_path):
    """The scratch slides geometry is read from never reach the package: not listed, related or saved."""
    from reportgen.writers.pptx.package import save_deterministic

    ready = prepare(_every_layout(), load_theme(str(PACK)))
    assert len(ready.prs.slides) == 0
    assert not any("scratch" in str(p.partname) for p in ready.prs.part.package.iter_parts())
    out = tmp_path / "empty.pptx"
    save_deterministic(ready.prs, str(out))
    with zipfile.ZipFile(out) as z:
        assert not [n for n in z.namelist() if n.startswith("ppt/slides/")]
