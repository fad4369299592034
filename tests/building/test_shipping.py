"""What a chunk sends to a cluster worker, by content hash, and how the worker lays it out (``reportgen.build.shipping``)."""

from __future__ import annotations

import os
import shutil

import pytest

from reportgen.build import BuildSession, Options, plan
from reportgen.build.shipping import Layout, chunk_files, materialise, read_blob
from reportgen.errors import InputError
from reportgen.manifest import Manifest, file_hash

from conftest import FIXTURES, TEMPLATES


def test_a_chunk_names_every_file_its_outputs_read_and_no_built_in_one(tmp_path):
    proj = tmp_path / "proj"
    (proj / "inputs").mkdir(parents=True)
    for name in ("features.yaml", "venue.jpg", "tall-banner.png"):
        shutil.copy(os.path.join(FIXTURES, "features", name), proj / "inputs")
    shutil.copytree(os.path.join(TEMPLATES, "briefing"), proj / "templates" / "briefing")
    (proj / "templates" / "briefing" / "notes.txt").write_text("not read by a build, but a pack file")
    elsewhere = tmp_path / "elsewhere"  # a --master outside the project folder
    elsewhere.mkdir()
    shutil.copy(os.path.join(TEMPLATES, "briefing", "master.pptx"), elsewhere / "corp.pptx")
    opts = Options(out_dir=str(proj / "build"), templates_dir=str(proj / "templates"), root=str(proj), master=str(elsewhere / "corp.pptx"))
    session = BuildSession(opts)
    p = plan([str(proj / "inputs" / "features.yaml")], opts, Manifest(path=str(proj / "build" / "m.json")), session)
    files = chunk_files(p.stale, session, {})
    layout = Layout.of(files, opts.root, (opts.templates_dir, opts.master))
    names = set(layout.files)
    assert {"inputs/features.yaml", "inputs/venue.jpg", "inputs/tall-banner.png", "../elsewhere/corp.pptx"} <= names
    assert {"templates/briefing/strings.yaml", "templates/briefing/fonts/DejaVuSans.ttf", "templates/briefing/notes.txt"} <= names  # the whole pack
    assert all(digest == file_hash(os.path.join(proj, *rel.split("/"))) for rel, digest in layout.files.items())
    assert layout.tail == ("proj",)  # one folder up is climbed: the project folder keeps its own name below the chunk's
    folder = tmp_path / "worker"
    blobs = {digest: (proj / rel).read_bytes() for rel, digest in layout.files.items()}
    root = materialise(str(folder), layout, blobs)
    assert root == str(folder / "proj")
    assert (folder / "elsewhere" / "corp.pptx").read_bytes() == (elsewhere / "corp.pptx").read_bytes()
    assert (folder / "proj" / "inputs" / "venue.jpg").read_bytes() == (proj / "inputs" / "venue.jpg").read_bytes()


def test_a_worker_refuses_content_that_is_not_what_its_hash_says_and_paths_out_of_its_folder(tmp_path):
    good = tmp_path / "a.yaml"
    good.write_text("title: T\n")
    digest = file_hash(str(good))
    layout = Layout({"inputs/a.yaml": digest})
    with pytest.raises(OSError, match="does not match its hash"):
        materialise(str(tmp_path / "w1"), layout, {digest: b"title: Tampered\n"})
    with pytest.raises(ValueError, match="outside the chunk's folder"):
        materialise(str(tmp_path / "w2"), Layout({"../../x.yaml": digest}, ("p",)), {digest: good.read_bytes()})


def test_a_file_changed_since_the_plan_is_not_sent(tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("title: T\n")
    digest = file_hash(str(f))
    assert read_blob(str(f), digest) == b"title: T\n"
    f.write_text("title: Changed\n")
    with pytest.raises(InputError, match="changed while the build ran"):
        read_blob(str(f), digest)
