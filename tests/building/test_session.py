"""A build session loads each outline and each template pack once, a failure too (``reportgen.build.session``)."""

from __future__ import annotations

import os
import shutil

import pytest

import reportgen.loader
import reportgen.pack
from reportgen.build import BuildSession, Options, Target
from reportgen.errors import InputError

from conftest import FIXTURES, TEMPLATES


@pytest.fixture
def counted(monkeypatch):
    """Return call counts of the loader's ``load`` and the packs' ``find_pack``, by argument."""
    calls: dict[str, int] = {}
    real_load, real_find = reportgen.loader.load, reportgen.pack.find_pack

    def load(path):
        calls[path] = calls.get(path, 0) + 1
        return real_load(path)

    def find_pack(name, *args):
        calls["pack " + name] = calls.get("pack " + name, 0) + 1
        return real_find(name, *args)

    monkeypatch.setattr(reportgen.loader, "load", load)
    monkeypatch.setattr(reportgen.pack, "find_pack", find_pack)
    return calls


def outlines(tmp_path) -> tuple[str, str, str]:
    a, b, bad = (str(tmp_path / n) for n in ("a.yaml", "b.yaml", "bad.yaml"))
    shutil.copy(os.path.join(FIXTURES, "minimal.yaml"), a)
    shutil.copy(os.path.join(FIXTURES, "minimal.yaml"), b)
    with open(bad, "w") as fh:
        fh.write("title: x\nsections: [{title: s, chart: {type: pie}}]\n")
    return a, b, bad


def test_each_outline_and_pack_is_loaded_once_and_a_failure_is_not_retried(tmp_path, counted):
    a, b, bad = outlines(tmp_path)
    session = BuildSession(Options(templates_dir=TEMPLATES))
    assert session.load(a) is session.load(a)
    session.load(b)
    with pytest.raises(InputError) as first:
        session.load(bad)
    with pytest.raises(InputError) as again:
        session.load(bad)
    assert again.value is first.value and "bad.yaml:2:" in str(first.value)
    assert counted == {a: 1, "pack briefing": 1, b: 1, bad: 1}
    assert session.load(a).pack is session.load(b).pack


def test_load_all_and_compose_all_report_every_outlines_problems_at_once(tmp_path):
    a, _b, bad = outlines(tmp_path)
    worse = str(tmp_path / "worse.yaml")
    with open(worse, "w") as fh:
        fh.write("title: [x]\nsections: []\n")
    session = BuildSession(Options(templates_dir=TEMPLATES))
    with pytest.raises(InputError) as info:
        session.load_all([a, bad, worse])
    assert "bad.yaml" in str(info.value) and "worse.yaml" in str(info.value)
    trees = session.compose_all([Target(a, "pdf", "", ""), Target(a, "pptx", "", ""), Target(a, "pdf", "", "")])
    assert sorted(trees) == [(a, "deck"), (a, "report")]
    assert session.compose_all([]) == {}
