"""The named records a build passes around: to and from worker processes, and in its plan (``reportgen.build``)."""

from __future__ import annotations

import dataclasses
import os
import pickle

import pytest

from reportgen.build import BuildSession, Options, Orphan, Rendered, RenderTask, render_one
from reportgen.manifest import Entry, file_hash

from conftest import FIXTURES, TEMPLATES

MINIMAL = os.path.join(FIXTURES, "minimal.yaml")


@pytest.fixture(scope="module")
def task(tmp_path_factory) -> RenderTask:
    """Return the task of rendering the minimal outline's report into a fresh folder."""
    session = BuildSession(Options(templates_dir=TEMPLATES))
    tree = session.compose(MINIMAL, "report")
    final = str(tmp_path_factory.mktemp("out") / "minimal.pdf")
    return RenderTask("pdf", tree, session.load(MINIMAL).theme, final, strict=False, master="")


def test_a_render_task_survives_pickling_whole(task):
    """What a worker process receives is the task the build made, field for field."""
    assert [f.name for f in dataclasses.fields(RenderTask)] == ["format", "tree", "theme", "final", "strict", "master", "pdf_standard"]
    for sent in (task, dataclasses.replace(task, strict=True, master="masters/corp.pptx", pdf_standard="a-2b")):
        back = pickle.loads(pickle.dumps(sent))
        assert back == sent and back.tree == sent.tree and back.theme == sent.theme
        assert (back.format, back.final, back.strict, back.master, back.pdf_standard) == (sent.format, sent.final, sent.strict, sent.master, sent.pdf_standard)


def test_a_pickled_task_renders_the_same_bytes_and_its_result_pickles_too(task):
    first = render_one(task)
    second = render_one(pickle.loads(pickle.dumps(task)))
    try:
        assert isinstance(first, Rendered) and first.output_hash == second.output_hash == file_hash(first.tmp)
        assert first.tmp != second.tmp and os.path.dirname(first.tmp) == os.path.dirname(task.final)
        assert not os.path.exists(task.final)  # rendered beside it, not in place
        assert pickle.loads(pickle.dumps(first)) == first
        assert isinstance(first.warnings, tuple) and first.seconds > 0
    finally:
        for r in (first, second):
            os.unlink(r.tmp)


def test_the_records_are_frozen_and_plain():
    rendered = Rendered(("a warning",), 1.5, "sha256:x", "/tmp/.a.pdf.1.abcdefgh.rgtmp")
    assert pickle.loads(pickle.dumps(rendered)) == rendered
    orphan = Orphan("gone.pdf", Entry("inputs/gone.yaml", "sha256:1", "pdf", {}, {}, "v", "sha256:2"))
    assert pickle.loads(pickle.dumps(orphan)) == orphan
    for record, name in ((rendered, "tmp"), (orphan, "key")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, name, "elsewhere")
