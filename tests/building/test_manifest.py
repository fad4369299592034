"""The manifest is read as hostile input: what a planted or damaged one can and cannot do (issue 11).

Promise: nothing a manifest names is ever read as an output, rebuilt
elsewhere or removed unless it is a plain output name of this folder; a
manifest that is not a regular file of bounded size, or not the JSON
reportgen writes, is damage (reported, everything rebuilt), never a hang,
never exit 1. The manifest is written like every output: a fresh temp file
renamed into place, never through a planted link.
"""

from __future__ import annotations

import json
import os
import time

import pytest

from reportgen.manifest import MAX_BYTES, NAME, Entry, Manifest, file_hash, is_output_name, reasons


def entry(**kw) -> dict:
    e = {"input": "inputs/a.yaml", "input_hash": "sha256:1", "format": "pdf", "deps": {}, "options": {}, "version": "v", "output_hash": "sha256:2", "warnings": []}
    e.update(kw)
    return e


def write_manifest(folder, outputs) -> None:
    (folder / NAME).write_text(json.dumps({"format": 1, "outputs": outputs}))


@pytest.mark.parametrize(
    "key, ok",
    [
        ("summit.pdf", True),
        ("summit.pptx", True),
        ("Ελλάδα 2021.pdf", True),
        ("../summit.pdf", False),
        ("/etc/passwd.pdf", False),
        ("sub/summit.pdf", False),
        ("sub\\summit.pdf", False),
        (".hidden.pdf", False),
        ("reportgen-manifest.json", False),
        ("summit.txt", False),
        ("bad\x00name.pdf", False),
        ("x" * 300 + ".pdf", False),
    ],
)
def test_only_plain_output_names_are_manifest_keys(key, ok):
    assert is_output_name(key) is ok


def test_entries_under_hostile_keys_are_dropped_as_damage(tmp_path):
    write_manifest(
        tmp_path,
        {
            "a.pdf": entry(),
            "../outside.pdf": entry(),
            "/tmp/elsewhere.pdf": entry(),
            "b.pptx": entry(format="pdf"),  # format and name disagree
            "c.pdf": entry(deps=["not", "a", "mapping"]),
            "d.pdf": {**entry(), "extra": 1},
            "e.pdf": entry(warnings="one"),
            "f.pdf": entry(input=7),
        },
    )
    m = Manifest.load(str(tmp_path))
    assert list(m.entries) == ["a.pdf"]
    assert m.entries["a.pdf"] == Entry(**entry())
    assert len(m.damage) == 7
    assert any("'../outside.pdf'" in d for d in m.damage)


@pytest.mark.parametrize(
    "content",
    [
        "[1, 2, 3]",
        '"just text"',
        '{"format": 1, "outputs": [1, 2]}',
        '{"format": 1, "outputs": {"a.pdf": [1]}}',
        "[" * 200_000 + "]" * 200_000,
        '{"format": 1, "outputs": ' + '{"a": ' * 50_000 + "1" + "}" * 50_001,
        "not json at all",
        b"\xff\xfe\x00 not utf-8",
    ],
)
def test_a_malformed_manifest_is_damage_not_a_crash(tmp_path, content):
    (tmp_path / NAME).write_bytes(content if isinstance(content, bytes) else content.encode())
    m = Manifest.load(str(tmp_path))
    assert m.entries == {}
    assert m.damage or content.startswith('{"format": 1, "outputs": {"a.pdf"')


def test_another_format_version_is_not_damage(tmp_path):
    (tmp_path / NAME).write_text(json.dumps({"format": 99, "outputs": {"a.pdf": entry()}}))
    m = Manifest.load(str(tmp_path))
    assert m.entries == {} and m.damage == []


def test_a_manifest_that_is_a_link_a_fifo_or_huge_is_not_read(tmp_path):
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({"format": 1, "outputs": {"a.pdf": entry()}}))
    build = tmp_path / "build"
    build.mkdir()
    os.symlink(outside, build / NAME)
    m = Manifest.load(str(build))
    assert m.entries == {} and "symbolic link" in m.damage[0]

    os.unlink(build / NAME)
    os.symlink("/dev/zero", build / NAME)
    start = time.perf_counter()
    assert Manifest.load(str(build)).entries == {}
    os.unlink(build / NAME)
    os.mkfifo(build / NAME)  # nobody writes it: a plain open() would block for ever
    assert Manifest.load(str(build)).damage
    os.unlink(build / NAME)
    with open(build / NAME, "wb") as fh:  # sparse: large on paper, nothing on disk
        fh.truncate(MAX_BYTES + 1)
    assert "over" in Manifest.load(str(build)).damage[0]
    assert time.perf_counter() - start < 2


def test_save_never_writes_through_a_planted_link(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    build = tmp_path / "build"
    build.mkdir()
    os.symlink(victim, build / (NAME + ".tmp"))  # the fixed temp name earlier versions used
    os.symlink(victim, build / NAME)  # and the manifest itself
    m = Manifest.load(str(build))
    m.entries["a.pdf"] = Entry(**entry())
    m.save()
    assert victim.read_text() == "precious"
    assert not os.path.islink(build / NAME)
    assert json.loads((build / NAME).read_text())["outputs"]["a.pdf"]["input"] == "inputs/a.yaml"
    assert os.path.islink(build / (NAME + ".tmp"))  # a link is not reportgen's to remove
    assert sorted(os.listdir(build)) == [NAME, NAME + ".tmp"]


def test_file_hash_reads_only_regular_files_of_bounded_size(tmp_path, monkeypatch):
    import reportgen.manifest as manifest

    f = tmp_path / "f.bin"
    f.write_bytes(b"abc")
    assert file_hash(str(f)).startswith("sha256:ba7816bf")
    os.mkfifo(tmp_path / "pipe")
    assert file_hash(str(tmp_path / "pipe")) == ""
    assert file_hash("/dev/zero") == ""
    monkeypatch.setattr(manifest, "MAX_HASHED", 2)
    assert file_hash(str(f)) == ""


# --- why an output is stale (``reasons``), one reason at a time ----------------------------


@pytest.fixture
def built(tmp_path):
    """Return (path, hash) of an output that exists, as the manifest recorded it."""
    out = tmp_path / "a.pdf"
    out.write_bytes(b"%PDF as built")
    return str(out), file_hash(str(out))


USED = {"deps": {"templates/briefing/report.xml.j2": "sha256:t"}, "options": {"template": "", "master": ""}}


def recorded(output_hash: str, **kw) -> Entry:
    """Return the manifest's entry for an output built from ``USED`` (``kw`` changes it)."""
    return Entry(**entry(**{**USED, "output_hash": output_hash, **kw}))


def now(**kw) -> Entry:
    """Return the entry a build would record now (its output hash not known yet), ``kw`` changed."""
    return Entry(**entry(**{**USED, "output_hash": "", **kw}))


def test_an_output_recorded_as_it_is_has_no_reason(built):
    path, digest = built
    assert reasons(recorded(digest), now(), path, {}) == []


def test_an_output_never_built_or_gone_says_only_that(built, tmp_path):
    path, digest = built
    assert reasons(None, now(version="other"), path, {}) == ["not built before"]
    assert reasons(recorded(digest), now(version="other"), str(tmp_path / "gone.pdf"), {}) == ["output missing"]


@pytest.mark.parametrize(
    "change, why",
    [
        ({"input": "other/a.yaml"}, "outline moved (was inputs/a.yaml)"),
        ({"version": "v2"}, "reportgen or its libraries changed"),
        ({"input_hash": "sha256:edited"}, "outline a.yaml changed"),
        ({"options": {"template": "plain", "master": ""}}, "options changed: template"),
        ({"options": {"template": "", "master": "", "source_date_epoch": "0"}}, "options changed: source_date_epoch"),
        ({"deps": {}}, "template report.xml.j2 no longer used"),
        ({"deps": {"templates/briefing/report.xml.j2": "sha256:t", "templates/briefing/theme.yaml": "sha256:y"}}, "theme theme.yaml newly used"),
        ({"deps": {"templates/briefing/report.xml.j2": "sha256:edited"}}, "template report.xml.j2 changed"),
        ({"deps": {"templates/briefing/report.xml.j2": ""}}, "template report.xml.j2 removed"),
    ],
)
def test_each_difference_is_its_own_reason(built, change, why):
    path, digest = built
    assert reasons(recorded(digest), now(**change), path, {}) == [why]


def test_an_output_changed_since_it_was_built_is_a_reason_only_when_nothing_else_is(built):
    path, _ = built
    assert reasons(recorded("sha256:what-was-written"), now(), path, {}) == ["output was changed or damaged since it was built"]
    assert reasons(recorded("sha256:what-was-written"), now(version="v2"), path, {}) == ["reportgen or its libraries changed"]


def test_reasons_come_in_one_order(built):
    path, digest = built
    new = now(input="other/a.yaml", version="v2", input_hash="sha256:x", options={"template": "t", "master": "m.pptx"}, deps={"fonts/X.ttf": "sha256:f", "corp.pptx": "sha256:m", "figs/chart.png": "sha256:p"})
    assert reasons(recorded(digest), new, path, {}) == [
        "outline moved (was inputs/a.yaml)",
        "reportgen or its libraries changed",
        "outline a.yaml changed",
        "options changed: master, template",
        "slide master corp.pptx newly used",
        "file figs/chart.png newly used",
        "font X.ttf newly used",
        "template report.xml.j2 no longer used",
    ]
