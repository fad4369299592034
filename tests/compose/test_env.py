"""The pack's Jinja2 environment (``compose.env``): each template parsed once per process."""

from __future__ import annotations

import shutil
from dataclasses import replace

import jinja2.parser

from reportgen.compose import compose
from reportgen.deps import dependencies
from reportgen.loader import load
from reportgen.pack import find_pack

from conftest import SUMMIT, TEMPLATES


def test_a_template_is_parsed_once_for_its_dependencies_and_its_compiling(tmp_path, monkeypatch):
    """Planning reads which templates the report's template names (``deps``), then composing compiles them: one parse
    each, the kept tree compiled; the tree composed is the same as from a parse of its own."""
    packs = tmp_path / "templates"
    shutil.copytree(TEMPLATES, packs)
    for name in ("report.xml.j2", "macros.xml.j2"):  # sources this process has not parsed before
        path = packs / "briefing" / name
        path.write_text(path.read_text() + f"{{# {tmp_path} #}}\n")
    parses = []
    parse = jinja2.parser.Parser.parse
    monkeypatch.setattr(jinja2.parser.Parser, "parse", lambda self: parses.append(1) or parse(self))
    loaded = load(SUMMIT)
    pack = find_pack("briefing", str(packs))
    templates = [f for f in dependencies(loaded, pack, "pdf") if f.endswith(".j2")]
    assert len(templates) == 2 and len(parses) == 2
    tree = compose(loaded, pack, "report")
    assert len(parses) == 2  # compiled from the trees planning parsed
    fresh = tmp_path / "fresh"
    shutil.copytree(packs, fresh)
    again = compose(loaded, find_pack("briefing", str(fresh)), "report")
    assert len(parses) == 4 and again.meta.logo == tree.meta.logo.replace(str(packs), str(fresh))
    assert replace(again, meta=replace(again.meta, logo="")) == replace(tree, meta=replace(tree.meta, logo=""))
