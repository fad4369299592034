"""The plan of a build, on hand-made manifests: finding outlines, freshness, orphans (``reportgen.build.planning``)."""

from __future__ import annotations

import dataclasses
import os
import shutil

import pytest

from reportgen.build import Options, Orphan, find_inputs, plan, tool_version
from reportgen.errors import InputError
from reportgen.manifest import Entry, Manifest, file_hash

from conftest import FIXTURES, TEMPLATES

# --- finding outlines ------------------------------------------------------------------


def test_a_folder_gives_its_outlines_sorted_and_files_come_in_the_order_given(tmp_path):
    for name in ("c.yaml", "a.yaml", "b.yml", "notes.txt", "d.yaml.bak"):
        (tmp_path / name).write_text("title: x\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "z.yaml").write_text("title: x\n")
    one = str(tmp_path / "sub" / "z.yaml")
    assert find_inputs([one, str(tmp_path)]) == [one] + [str(tmp_path / n) for n in ("a.yaml", "b.yml", "c.yaml")]


def test_a_folder_gives_its_markdown_outlines_beside_the_yaml_ones(tmp_path):
    for name in ("c.md", "a.yaml", "b.markdown", "README.txt"):
        (tmp_path / name).write_text("---\ntitle: x\n---\n" if name.endswith(("md", "markdown")) else "title: x\n")
    (tmp_path / "README.md").write_text("# About these briefings\n\nNot an outline: no front matter.\n")
    (tmp_path / "bom.md").write_bytes(b"\xef\xbb\xbf---\ntitle: x\n---\n")
    assert find_inputs([str(tmp_path)]) == [str(tmp_path / n) for n in ("a.yaml", "b.markdown", "bom.md", "c.md")]
    assert find_inputs([str(tmp_path / "README.md")]) == [str(tmp_path / "README.md")]  # named: read, and its reader says what it lacks


def test_a_markdown_and_a_yaml_outline_of_one_name_are_refused_naming_both(tmp_path):
    for name in ("brief.md", "brief.yaml", "other.yml", "other.yaml", "fine.md"):
        (tmp_path / name).write_text("---\ntitle: x\n---\n" if name.endswith(".md") else "title: x\n")
    with pytest.raises(InputError) as info:
        find_inputs([str(tmp_path)])
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path}/brief.yaml: brief.md and brief.yaml would both write build/brief.pdf and build/brief.pptx; remove or rename one",
        f"{tmp_path}/other.yml: other.yaml and other.yml would both write build/other.pdf and build/other.pptx; remove or rename one",
    ]


def test_no_paths_means_the_default_folder(tmp_path):
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / "a.yaml").write_text("title: x\n")
    assert find_inputs([], str(tmp_path / "inputs")) == [str(tmp_path / "inputs" / "a.yaml")]


@pytest.mark.parametrize(
    "given, message",
    [
        ([], "reportgen: no outlines given and no {tmp}/inputs/ folder here (expected reportgen build FILE.yaml, or run it in a project with inputs/)"),
        (["{tmp}/missing.yaml"], "{tmp}/missing.yaml: no such file"),
        (["{tmp}/empty"], "{tmp}/empty: folder holds no outline (.yaml, or a Markdown .md that opens with --- front matter)"),
    ],
)
def test_what_cannot_be_found_is_one_clear_line(tmp_path, given, message):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("not an outline")
    with pytest.raises(InputError) as info:
        find_inputs([g.format(tmp=tmp_path) for g in given], str(tmp_path / "inputs"))
    assert str(info.value) == message.format(tmp=tmp_path)


# --- freshness ---------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    """Return a project folder with one outline and an empty build folder."""
    (tmp_path / "inputs").mkdir()
    shutil.copy(os.path.join(FIXTURES, "minimal.yaml"), tmp_path / "inputs" / "minimal.yaml")
    (tmp_path / "build").mkdir()
    return tmp_path


def opts(project, **kw) -> Options:
    return Options(formats=("pdf",), out_dir=str(project / "build"), templates_dir=TEMPLATES, root=str(project), **kw)


def outline(project) -> str:
    return str(project / "inputs" / "minimal.yaml")


def as_built(project, **change) -> Manifest:
    """Return a manifest recording build/minimal.pdf as built from the outline as it is (``change`` alters the record)."""
    (project / "build" / "minimal.pdf").write_bytes(b"%PDF the bytes reportgen wrote")
    [target] = plan([outline(project)], opts(project), Manifest()).stale
    entry = dataclasses.replace(target.entry, output_hash=file_hash(str(project / "build" / "minimal.pdf")))
    return Manifest({"minimal.pdf": dataclasses.replace(entry, **change)})


def test_an_output_recorded_as_it_is_is_fresh(project):
    p = plan([outline(project)], opts(project), as_built(project))
    assert [t.key for t in p.fresh] == ["minimal.pdf"] and p.stale == [] and p.orphans == []


def test_a_fresh_output_is_judged_from_the_record_without_reading_the_outline(project):
    """An outline that would not even load is not looked inside while its record matches."""
    bad = project / "inputs" / "broken.yaml"
    bad.write_text("title: [unclosed\n")
    (project / "build" / "broken.pdf").write_bytes(b"%PDF")
    entry = Entry("inputs/broken.yaml", file_hash(str(bad)), "pdf", {}, opts(project).recorded(), tool_version(), file_hash(str(project / "build" / "broken.pdf")))
    manifest = Manifest({"broken.pdf": entry})
    assert [t.key for t in plan([str(bad)], opts(project), manifest).fresh] == ["broken.pdf"]
    (project / "build" / "broken.pdf").write_bytes(b"%PDF edited")  # now it must be looked inside: and it does not load
    with pytest.raises(InputError, match="broken.yaml"):
        plan([str(bad)], opts(project), manifest)


@pytest.mark.parametrize(
    "change, why",
    [
        ({"version": "0.0.1 (old libraries)"}, "reportgen or its libraries changed"),
        ({"input": "old/minimal.yaml"}, "outline moved (was old/minimal.yaml)"),
        ({"input_hash": "sha256:before-an-edit"}, "outline minimal.yaml changed"),
        ({"options": {"template": "", "master": "", "source_date_epoch": "0", "pdf_standard": "ua-1"}}, "options changed: source_date_epoch"),
        ({"options": {"template": "", "master": "", "source_date_epoch": "", "pdf_standard": "none"}}, "options changed: pdf_standard"),
    ],
)
def test_a_record_that_differs_makes_the_output_stale_and_says_why(project, change, why):
    [t] = plan([outline(project)], opts(project), as_built(project, **change)).stale
    assert t.reasons == [why]


def test_a_dependency_changed_since_the_record_makes_the_output_stale(project):
    manifest = as_built(project)
    entry = manifest.entries["minimal.pdf"]
    template = next(d for d in entry.deps if d.endswith("report.xml.j2"))
    entry.deps[template] = "sha256:the template before an edit"
    [t] = plan([outline(project)], opts(project), manifest).stale
    assert t.reasons == ["template report.xml.j2 changed"]


def test_an_output_edited_or_removed_since_it_was_built_is_stale(project):
    manifest = as_built(project)
    (project / "build" / "minimal.pdf").write_bytes(b"%PDF edited by hand")
    assert plan([outline(project)], opts(project), manifest).stale[0].reasons == ["output was changed or damaged since it was built"]
    os.unlink(project / "build" / "minimal.pdf")
    assert plan([outline(project)], opts(project), manifest).stale[0].reasons == ["output missing"]


def test_force_makes_every_output_stale(project):
    [t] = plan([outline(project)], opts(project, force=True), as_built(project)).stale
    assert t.reasons == ["--force"]


def test_source_date_epoch_is_part_of_the_record(project, monkeypatch):
    manifest = as_built(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert plan([outline(project)], opts(project), manifest).stale[0].reasons == ["options changed: source_date_epoch"]


# --- orphans ----------------------------------------------------------------------------------


def test_orphans_are_the_outputs_whose_outline_is_gone(project):
    manifest = as_built(project, input="moved-from/minimal.yaml")  # ours: moved, rebuilt, never an orphan
    (project / "elsewhere").mkdir()
    (project / "elsewhere" / "kept.yaml").write_text("title: x\n")
    record = manifest.entries["minimal.pdf"]
    manifest.entries.update({
        "zeta.pdf": dataclasses.replace(record, input="inputs/zeta.yaml"),  # gone
        "kept.pdf": dataclasses.replace(record, input="elsewhere/kept.yaml"),  # not built now, but its outline is there
        "alpha.pptx": dataclasses.replace(record, input="inputs/alpha.yaml", format="pptx"),  # gone
        "other.pdf": dataclasses.replace(record, input="inputs/minimal.yaml"),  # its outline is one this build reads
    })
    p = plan([outline(project)], opts(project), manifest)
    assert p.orphans == [Orphan("alpha.pptx", manifest.entries["alpha.pptx"]), Orphan("zeta.pdf", manifest.entries["zeta.pdf"])]
    assert [t.reasons for t in p.stale] == [["outline moved (was moved-from/minimal.yaml)"]]


def test_outlines_that_cannot_name_an_output_or_would_share_one_are_refused_together(project):
    (project / "other").mkdir()
    shutil.copy(outline(project), project / "other" / "minimal.yaml")
    shutil.copy(outline(project), project / ".hidden.yaml")
    with pytest.raises(InputError) as info:
        plan([outline(project), str(project / "other" / "minimal.yaml"), str(project / ".hidden.yaml")], opts(project), Manifest())
    assert str(info.value).splitlines() == [
        f"{project}/other/minimal.yaml: two outlines would write minimal.*: this one and {outline(project)}; rename one",
        f"{project}/.hidden.yaml: this file name cannot name an output (it starts with '.', holds a control character or bytes that are not UTF-8, or is over 250 characters); rename the outline",
    ]
