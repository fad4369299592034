"""Hostile slide masters (issue 11): a .pptx master is checked before python-pptx reads it.

Every hostile master is the pack's ``reportgen/packs/briefing/master.pptx`` rewritten
with zipfile at test time (a part, a relationship or a content type added,
changed or removed; a size in the zip's directory patched). Each is checked
three ways: the checker's message (``mastercheck.check``), a build given it
with ``--master`` (exit 2, one located line, no traceback, build/ untouched),
and a build whose pack holds it as its ``master.pptx`` (the theme.yaml line).
A property test damages the master at random and asserts a build never ends
in an internal error, and that a deck it does make carries no external link
and no macro.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import struct
import tempfile
import time
import warnings
import zipfile

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import TEMPLATES
from reportgen import mastercheck
from reportgen.cli import main
from reportgen.errors import InputError
from reportgen.mastercheck import zipread

SOURCE = os.path.join(TEMPLATES, "briefing", "master.pptx")
GOOD = "title: A brief\nsections:\n  - title: One\n    body: Some text.\n"
LOCATED = re.compile(r"^(?:\S[^:]*)(?::\d+:\d+)?: \S")  # "file:line:col: message" or "path: message"
MB = 1024 * 1024

RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_MS = "http://schemas.microsoft.com/office/2006/relationships/"
LAYOUT1 = "ppt/slideLayouts/slideLayout1.xml"
LAYOUT1_RELS = "ppt/slideLayouts/_rels/slideLayout1.xml.rels"
LAYOUT2 = "ppt/slideLayouts/slideLayout2.xml"
MASTER = "ppt/slideMasters/slideMaster1.xml"
MASTER_RELS = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
PRES_RELS = "ppt/_rels/presentation.xml.rels"
CT = "[Content_Types].xml"
MAIN_CT = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


@pytest.fixture(autouse=True)
def fresh_cache():
    mastercheck._cached.cache_clear()
    yield
    mastercheck._cached.cache_clear()


# --- making hostile masters ---------------------------------------------------------


def read(path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def save(path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)


def parts_of(path: str = SOURCE) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def write_zip(dst, parts: list[tuple[str, bytes]] | dict[str, bytes]) -> str:
    items = parts.items() if isinstance(parts, dict) else parts
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name: some tests want one
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in items:
                zf.writestr(name, data)
    return str(dst)


def rewrite(dst, *, edit: dict | None = None, add: dict | None = None, drop=(), source=SOURCE) -> str:
    """Write the pack's master (or ``source``) to ``dst`` with parts edited (name → bytes → bytes), added and dropped."""
    parts = parts_of(source)
    for name in drop:
        del parts[name]
    for name, fn in (edit or {}).items():
        parts[name] = fn(parts[name])
    parts.update(add or {})
    return write_zip(dst, parts)


def rel(rid: str, rtype: str, target: str, external: bool = False):
    """An edit adding a relationship to a .rels part."""
    mode = ' TargetMode="External"' if external else ""
    el = f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"{mode}/>'.encode()
    return lambda data: data.replace(b"</Relationships>", el + b"</Relationships>")


def override(part: str, ctype: str):
    """An edit adding a content type override to [Content_Types].xml."""
    el = f'<Override PartName="/{part}" ContentType="{ctype}"/>'.encode()
    return lambda data: data.replace(b"</Types>", el + b"</Types>")


def replace(old: bytes, new: bytes):
    def edit(data: bytes) -> bytes:
        assert old in data, old
        return data.replace(old, new, 1)

    return edit


def chain(*edits):
    def edit(data: bytes) -> bytes:
        for e in edits:
            data = e(data)
        return data

    return edit


def declare_size(path: str, member: str, size: int) -> str:
    """Patch the uncompressed size ``member`` declares in the zip's central directory (its data stays small)."""
    data = bytearray(read(path))
    end = data.rfind(b"PK\x05\x06")
    count, _size, where = struct.unpack_from("<HII", data, end + 10)
    for _ in range(count):
        n, m, k = struct.unpack_from("<HHH", data, where + 28)
        if data[where + 46 : where + 46 + n].decode() == member:
            struct.pack_into("<I", data, where + 24, size)
        where += 46 + n + m + k
    save(path, bytes(data))
    return path


TITLE = b'<p:cNvPr id="2" name="Title"/>'  # slideLayout2's title shape


def click(action: str, rid: str = ""):
    return replace(TITLE, f'<p:cNvPr id="2" name="Title"><a:hlinkClick r:id="{rid}" action="{action}"/></p:cNvPr>'.encode())


def zip_bomb_declared(dst):
    path = rewrite(dst, add={"ppt/media/image9.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 100})
    return declare_size(path, "ppt/media/image9.png", 2 * 1024 * MB)


def control_characters(dst):  # a part's name that would break the message onto two lines and colour the terminal
    name = "ppt/media/evil\n\x1b[31mx.png"
    return declare_size(rewrite(dst, add={name: b"x"}), name, 2 * 1024 * MB)


def zip_bomb_real(dst):  # 3 MB of zeros in a 3 KB entry; the test lowers the budget to 1 MB
    return rewrite(dst, add={"ppt/media/image9.png": b"\0" * (3 * MB)})


def zip_bomb_total(dst):  # each under the (lowered) one-part budget, together over the total
    return rewrite(dst, add={f"ppt/media/image{n}.png": b"\0" * (MB - 1) for n in range(10, 14)})


def too_many_entries(dst):
    return rewrite(dst, add={f"ppt/media/junk{n}.dat": b"x" for n in range(1000)})


def truncated(dst):
    data = read(SOURCE)
    save(dst, data[: len(data) // 2])
    return str(dst)


def hole(dst):  # the zip's directory intact, a part's compressed bytes zeroed
    data = bytearray(read(SOURCE))
    with zipfile.ZipFile(SOURCE) as zf:
        info = zf.getinfo(MASTER)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 10 : start + 200] = bytes(190)
    save(dst, bytes(data))
    return str(dst)


def macro_enabled(dst):
    return rewrite(dst, edit={CT: replace(MAIN_CT, b"application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml")})


def template(dst):
    return rewrite(dst, edit={CT: replace(MAIN_CT, b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml")})


def slideshow(dst):
    return rewrite(dst, edit={CT: replace(MAIN_CT, b"application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml")})


DTD = b'<!DOCTYPE p:sldMaster [<!ENTITY brand "Reportgen"><!ENTITY x2 "&brand;&brand;">]>'


def doctype(dst):
    return rewrite(dst, edit={MASTER: chain(replace(b"?>", b"?>" + DTD), replace(b'<p:cSld', b'<p:cSld name="&x2;"'))})


def doctype_utf16(dst):  # not found by a scan for the ASCII bytes "<!DOCTYPE"
    def edit(data: bytes) -> bytes:
        text = data.decode("utf-8").replace("encoding='UTF-8'", "encoding='UTF-16'").replace("?>", "?>" + DTD.decode(), 1)
        return text.encode("utf-16")

    return rewrite(dst, edit={LAYOUT1: edit})


def missing_theme(dst):
    return rewrite(dst, drop=["ppt/theme/theme1.xml"])


def no_theme_relationship(dst):
    return rewrite(dst, edit={MASTER_RELS: lambda d: re.sub(rb'<Relationship Id="rId12"[^>]*/>', b"", d)})


def theme_without_colours(dst):
    return rewrite(dst, edit={"ppt/theme/theme1.xml": lambda d: re.sub(rb"<a:clrScheme .*?</a:clrScheme>", b"", d, flags=re.S)})


def missing_layout(dst):
    return rewrite(dst, drop=["ppt/slideLayouts/slideLayout3.xml", "ppt/slideLayouts/_rels/slideLayout3.xml.rels"])


def external_image(dst):  # a tracking pixel: a picture linked, not embedded
    return rewrite(dst, edit={LAYOUT1_RELS: rel("rId9", RT + "image", "https://tracker.example.com/p.png?who=" + "x" * 80, external=True)})


def external_file_link(dst):  # a click on the title opens a local file
    return rewrite(dst, edit={
        "ppt/slideLayouts/_rels/slideLayout2.xml.rels": rel("rId9", RT + "hyperlink", "file:///C:/Windows/System32/calc.exe", external=True),
        LAYOUT2: click("ppaction://hlinkfile", "rId9"),
    })


def external_in_theme(dst):
    return rewrite(dst, add={"ppt/theme/_rels/theme1.xml.rels": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="' + RT.encode() + b'image" Target="\\\\evil\\share\\bg.png" TargetMode="External"/></Relationships>'
    )})


def vba(dst):
    return rewrite(dst, add={"ppt/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504}, edit={
        PRES_RELS: rel("rId99", RT_MS + "vbaProject", "vbaProject.bin"),
        CT: override("ppt/vbaProject.bin", "application/vnd.ms-office.vbaProject"),
    })


def vba_relationship_only(dst):  # the part under another name, no content type: the relationship gives it away
    return rewrite(dst, add={"ppt/media/thing.bin": b"\xd0\xcf\x11\xe0" * 128}, edit={PRES_RELS: rel("rId99", RT_MS + "vbaProject", "media/thing.bin")})


def macro_click(dst):
    return rewrite(dst, edit={LAYOUT2: click("ppaction://macro?name=Module1.AutoOpen")})


def program_click(dst):
    return rewrite(dst, edit={LAYOUT2: click("PPAction://Program")})


def ole_click(dst):
    return rewrite(dst, edit={LAYOUT2: click("ppaction://ole?verb=0")})


def ole_object(dst):
    return rewrite(dst, add={"ppt/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0" * 128}, edit={
        LAYOUT1_RELS: rel("rId7", RT + "oleObject", "../embeddings/oleObject1.bin"),
    })


def embedded_package(dst):
    return rewrite(dst, add={"ppt/embeddings/Sheet.xlsm": b"PK\x05\x06" + bytes(18)}, edit={
        LAYOUT1_RELS: rel("rId7", RT + "package", "../embeddings/Sheet.xlsm"),
    })


def activex(dst):
    return rewrite(dst, add={"ppt/activeX/activeX1.xml": b'<?xml version="1.0"?><ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX"/>'}, edit={
        LAYOUT1_RELS: rel("rId7", RT + "control", "../activeX/activeX1.xml"),
        CT: override("ppt/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml"),
    })


def not_well_formed(dst):
    return rewrite(dst, edit={"ppt/theme/theme1.xml": lambda d: d[:600]})


def dangling_reference(dst):  # a picture whose relationship is gone: every deck would need "repair"
    return rewrite(dst, edit={LAYOUT2: replace(TITLE, b'<p:cNvPr id="2" name="Title"><a:hlinkClick r:id="rId42"/></p:cNvPr>')})


def duplicate_entry(dst):
    parts = list(parts_of().items())
    parts.append((MASTER, b"<p:sldMaster/>"))
    return write_zip(dst, parts)


def bzip2_entry(dst):
    path = rewrite(dst)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_BZIP2) as zf:
        zf.writestr("ppt/media/image9.png", b"\0" * 1000)
    return path


def bad_placeholder_type(dst):  # python-pptx knows no such kind: it would fail mid-render
    return rewrite(dst, edit={LAYOUT2: replace(b'<p:ph type="title"/>', b'<p:ph type="ftc"/>')})


def bad_position(dst):
    return rewrite(dst, edit={LAYOUT1: replace(b'<a:off x="731520"', b'<a:off x="7315px"')})


def bad_inset(dst):  # the writer reads insets with int()
    return rewrite(dst, edit={MASTER: replace(b'lIns="91440"', b'lIns="0.5in"')})


def core_properties_elsewhere(dst):  # python-pptx would not know the element: AttributeError when the deck's title is set
    return rewrite(dst, edit={"docProps/core.xml": replace(b"xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\"", b'xmlns:cp="urn:x"')})


def core_properties_unlinked(dst):  # python-pptx finds none, makes its own docProps/core.xml: two entries of one name
    return rewrite(dst, edit={"_rels/.rels": replace(b"metadata/core-properties", b"metadata/core-propertie5")})


def layout_links_a_slide(dst):  # the slide would be carried into every deck, where the writer's slide1.xml is
    from pptx import Presentation

    prs = Presentation(SOURCE)
    prs.slides.add_slide(prs.slide_layouts[1])
    buf = io.BytesIO()
    prs.save(buf)
    return rewrite(dst, source=buf, edit={
        "ppt/slideLayouts/_rels/slideLayout2.xml.rels": rel("rId9", RT + "slide", "../slides/slide1.xml"),
        LAYOUT2: click("ppaction://hlinksldjump", "rId9"),
    })


# (maker, what the checker says): the message starts with the part, then what is wrong, then what to do
CASES = [
    pytest.param(zip_bomb_declared, r"^ppt/media/image9\.png: declares 2,048 MB when inflated, over the 50 MB limit for one part; make it smaller or remove it", id="zip-bomb-declared"),
    pytest.param(control_characters, r"^ppt/media/evil\?\?\[31mx\.png: declares 2,048 MB when inflated", id="control-characters"),
    pytest.param(zip_bomb_real, r"^ppt/media/image9\.png: declares 3 MB when inflated, over the 1 MB limit for one part", id="zip-bomb-real"),
    pytest.param(zip_bomb_total, r"^ppt/media/image1[0-3]\.png: the parts declare over 2 MB in all when inflated, the limit for a slide master", id="zip-bomb-total"),
    pytest.param(too_many_entries, r"^the zip holds 1,02\d entries, over the 1,000 limit for a slide master", id="too-many-entries"),
    pytest.param(truncated, r"^not a \.pptx file \(not a zip archive\): not a PowerPoint \.pptx file, or one cut short; save the slide master from PowerPoint as \.pptx", id="truncated"),
    pytest.param(hole, r"^cannot be read as a \.pptx file \(.*\); the file is damaged or was not written by PowerPoint: open it in PowerPoint and save it again", id="hole"),
    pytest.param(macro_enabled, r"^ppt/presentation\.xml: the file is a macro-enabled presentation \(\.pptm\) \(content type application/vnd\.ms-powerpoint\.presentation\.macroEnabled\.main\+xml\); expected a plain presentation: save the master as 'PowerPoint Presentation \(\*\.pptx\)'", id="macro-enabled"),
    pytest.param(template, r"^ppt/presentation\.xml: the file is a template \(\.potx\) .*save the master as 'PowerPoint Presentation", id="template"),
    pytest.param(slideshow, r"^ppt/presentation\.xml: the file is a slide show \(\.ppsx\) ", id="slideshow"),
    pytest.param(doctype, r"^ppt/slideMasters/slideMaster1\.xml: the XML declares a DTD or entities \(<!DOCTYPE …>\); PowerPoint never writes one", id="doctype"),
    pytest.param(doctype_utf16, r"^ppt/slideLayouts/slideLayout1\.xml: the XML declares a DTD or entities", id="doctype-utf16"),
    pytest.param(missing_theme, r"^ppt/theme/theme1\.xml: missing from the file, yet ppt/presentation\.xml names it \(relationship rId5, theme\); the file is damaged", id="missing-theme"),
    pytest.param(no_theme_relationship, r"^ppt/slideMasters/slideMaster1\.xml: no theme \(relationship of type theme in ppt/slideMasters/_rels/slideMaster1\.xml\.rels\); every slide master needs exactly one", id="no-theme-relationship"),
    pytest.param(theme_without_colours, r"^ppt/theme/theme1\.xml: the theme lacks a:clrScheme", id="theme-without-colours"),
    pytest.param(missing_layout, r"^ppt/slideLayouts/slideLayout3\.xml: missing from the file, yet ppt/slideMasters/slideMaster1\.xml names it \(relationship rId3, slide layout\)", id="missing-layout"),
    pytest.param(external_image, r"^ppt/slideLayouts/slideLayout1\.xml \(layout 'Title Slide'\): external relationship rId9 \(picture\) to 'https://tracker\.example\.com/p\.png\?who=x{20,}…' \(TargetMode=\"External\"\); .*: remove it", id="external-image"),
    pytest.param(external_file_link, r"^ppt/slideLayouts/slideLayout2\.xml \(layout 'Title and Content'\): external relationship rId9 \(hyperlink\) to 'file:///C:/Windows/System32/calc\.exe'", id="external-file-link"),
    pytest.param(external_in_theme, r"^ppt/theme/theme1\.xml: external relationship rId1 \(picture\) to '\\\\\\\\evil\\\\share\\\\bg\.png'", id="external-in-theme"),
    pytest.param(vba, r"^ppt/vbaProject\.bin: a VBA macro project; a slide master must carry no macros: save it as 'PowerPoint Presentation \(\*\.pptx\)'", id="vba"),
    pytest.param(vba_relationship_only, r"^ppt/presentation\.xml: relationship rId99 brings a VBA macro project \(media/thing\.bin\)", id="vba-relationship"),
    pytest.param(macro_click, r"^ppt/slideLayouts/slideLayout2\.xml \(layout 'Title and Content'\): a click action that runs a macro \(ppaction://macro\?name=Module1\.AutoOpen\); .*remove it", id="macro-click"),
    pytest.param(program_click, r"^ppt/slideLayouts/slideLayout2\.xml \(layout 'Title and Content'\): a click action that starts a program \(PPAction://Program\)", id="program-click"),
    pytest.param(ole_click, r"^ppt/slideLayouts/slideLayout2\.xml .*: a click action that opens an embedded object", id="ole-click"),
    pytest.param(ole_object, r"^ppt/embeddings/oleObject1\.bin: an embedded OLE object; a slide master must carry no controls or embedded programs", id="ole-object"),
    pytest.param(embedded_package, r"^ppt/slideLayouts/slideLayout1\.xml \(layout 'Title Slide'\): relationship rId7 brings an embedded file \(package\)", id="embedded-package"),
    pytest.param(activex, r"^ppt/activeX/activeX1\.xml: an ActiveX control", id="activex"),
    pytest.param(not_well_formed, r"^ppt/theme/theme1\.xml: not well-formed XML \(line \d+, column \d+: .*\); the file is damaged", id="not-well-formed"),
    pytest.param(dangling_reference, r"^ppt/slideLayouts/slideLayout2\.xml \(layout 'Title and Content'\): uses relationship 'rId42' \(id\), which ppt/slideLayouts/_rels/slideLayout2\.xml\.rels lacks", id="dangling-reference"),
    pytest.param(bad_placeholder_type, r"^ppt/slideLayouts/slideLayout2\.xml \(layout 'Title and Content'\): a placeholder of type 'ftc', expected one of body, chart, .*; the file is damaged", id="bad-placeholder-type"),
    pytest.param(bad_position, r"^ppt/slideLayouts/slideLayout1\.xml \(layout 'Title Slide'\): a position \(off x\) of '7315px', expected a whole number of EMU", id="bad-position"),
    pytest.param(bad_inset, r"^ppt/slideMasters/slideMaster1\.xml: a text inset \(bodyPr lIns\) of '0\.5in', expected a whole number of EMU", id="bad-inset"),
    pytest.param(core_properties_elsewhere, r"^docProps/core\.xml: not a document properties part \(root element \{urn:x\}coreProperties\)", id="core-properties-elsewhere"),
    pytest.param(core_properties_unlinked, r"^docProps/core\.xml: not linked as the document properties \(no relationship of that type in _rels/\.rels names it\)", id="core-properties-unlinked"),
    pytest.param(layout_links_a_slide, r"^ppt/slides/slide1\.xml: one of the master's own slides, yet ppt/slideLayouts/slideLayout2\.xml \(layout 'Title and Content'\) \(rId9\) links to it; .*remove the link", id="layout-links-a-slide"),
    pytest.param(duplicate_entry, r"^ppt/slideMasters/slideMaster1\.xml: the zip holds two entries of this name", id="duplicate-entry"),
    pytest.param(bzip2_entry, r"^ppt/media/image9\.png: compressed with method 12, expected deflate", id="bzip2-entry"),
]
LOWER_BUDGETS = {"zip_bomb_real": {"MAX_ENTRY_BYTES": MB}, "zip_bomb_total": {"MAX_TOTAL_BYTES": 2 * MB}}


def budgets(monkeypatch, maker) -> None:
    for name, value in LOWER_BUDGETS.get(maker.__name__, {}).items():
        monkeypatch.setattr(zipread, name, value)  # the budgets are read where the zip is


# --- the CLI -------------------------------------------------------------------------


def snapshot(folder) -> dict[str, str]:
    out = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as fh:
                out[os.path.relpath(path, folder)] = hashlib.sha256(fh.read()).hexdigest()
    return out


@pytest.fixture
def proj(tmp_path, monkeypatch):
    """A project folder (the working directory) with an outline and a build/ of previous good outputs."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "outline.yaml").write_text(GOOD)
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "outline.pdf").write_bytes(b"%PDF previous good report")
    (tmp_path / "build" / "outline.pptx").write_bytes(b"PK previous good deck")
    (tmp_path / "build" / "reportgen-manifest.json").write_text('{"format": 1, "outputs": {}}\n')
    return tmp_path


def run(capsys, *args) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err, out + err
    return code, err


def build(capsys, *args, templates: str = TEMPLATES) -> tuple[int, str]:
    return run(capsys, "build", "outline.yaml", "--templates", templates, "--out", "build", "--jobs", "1", *args)


def refused(capsys, proj, line: str, *args, templates: str = TEMPLATES, command: str = "build") -> str:
    """Run the CLI; assert exit 2, exactly one error line, located and matching ``line``, build/ untouched, quickly."""
    before = snapshot(proj / "build")
    start = time.perf_counter()
    if command == "build":
        code, err = build(capsys, *args, templates=templates)
    else:
        code, err = run(capsys, command, "outline.yaml", "--templates", templates, "--out", "build", *args)
    elapsed = time.perf_counter() - start
    errors = [ln for ln in err.splitlines() if ln.strip() and ": warning: " not in ln]
    assert code == 2, f"exit {code}, expected 2:\n{err}"
    assert len(errors) == 1, f"expected one line:\n{err}"
    assert LOCATED.match(errors[0]), errors[0]
    assert re.search(line, errors[0]), f"{line!r} not in:\n{errors[0]}"
    assert snapshot(proj / "build") == before, "build/ changed"
    assert elapsed < 20, f"took {elapsed:.1f}s"
    return errors[0]


def no_anchor(pattern: str) -> str:
    return pattern[1:] if pattern.startswith("^") else pattern


# --- the cases: the checker, --master, the pack's master.pptx ----------------------------------


@pytest.mark.parametrize("maker, message", CASES)
def test_the_checker_says_what_is_wrong(tmp_path, monkeypatch, maker, message):
    budgets(monkeypatch, maker)
    path = maker(tmp_path / "bad.pptx")
    why = mastercheck.check(path)
    assert why is not None, "accepted"
    assert "\n" not in why
    assert re.search(message, why), why


@pytest.mark.parametrize("maker, message", CASES)
def test_a_hostile_master_given_with_master_is_refused(capsys, proj, monkeypatch, maker, message):
    budgets(monkeypatch, maker)
    maker(proj / "bad.pptx")
    refused(capsys, proj, r"^bad\.pptx: slide master: " + no_anchor(message), "--master", "bad.pptx")


@pytest.mark.parametrize("maker, message", CASES)
def test_a_hostile_master_in_a_pack_is_refused(capsys, proj, monkeypatch, maker, message):
    budgets(monkeypatch, maker)
    folder = proj / "templates" / "mine"
    shutil.copytree(os.path.join(TEMPLATES, "briefing"), folder)
    maker(folder / "master.pptx")
    line = r"^templates/mine/theme\.yaml:\d+:\d+: deck\.master: slide master 'master\.pptx': " + no_anchor(message)
    refused(capsys, proj, line, "-t", "mine", templates="templates")


@pytest.mark.parametrize("maker, message", [c for c in CASES if c.id in ("macro-enabled", "external-image")])
def test_reportgen_check_refuses_a_hostile_master(capsys, proj, maker, message):
    """``reportgen check --master`` reaches the writer's preflight, which checks the master too."""
    maker(proj / "bad.pptx")
    refused(capsys, proj, r"^bad\.pptx: slide master: " + no_anchor(message), "--master", "bad.pptx", command="check")


# --- good masters still build ------------------------------------------------------------------


def test_the_packs_master_passes_and_builds(capsys, proj):
    assert mastercheck.check(SOURCE) is None
    code, err = build(capsys, "-f", "pptx", "--master", SOURCE)
    assert code == 0, err
    assert_safe(proj / "build" / "outline.pptx")


def test_python_pptx_default_template_passes_and_builds(capsys, proj):
    from pptx import Presentation

    Presentation().save(str(proj / "default.pptx"))
    assert mastercheck.check(str(proj / "default.pptx")) is None
    code, err = build(capsys, "-f", "pptx", "--master", "default.pptx")
    assert code == 0, err
    assert_safe(proj / "build" / "outline.pptx")


def test_external_links_in_the_masters_own_slides_are_dropped_not_refused(capsys, proj):
    """The writer drops the master's slides and what only they reach: a sample slide's link never reaches a deck."""
    from pptx import Presentation

    prs = Presentation(SOURCE)
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text_frame.text = "Visit us"
    slide.shapes.title.text_frame.paragraphs[0].runs[0].hyperlink.address = "https://example.com/"
    prs.save(str(proj / "sample.pptx"))
    assert mastercheck.check(str(proj / "sample.pptx")) is None
    code, err = build(capsys, "-f", "pptx", "--master", "sample.pptx")
    assert code == 0, err
    assert_safe(proj / "build" / "outline.pptx")


LO_TEMPLATES = "/usr/lib/libreoffice/share/template/common/presnt"


@pytest.mark.skipif(not shutil.which("soffice") or not os.path.isdir(LO_TEMPLATES), reason="needs LibreOffice and its templates")
def test_masters_saved_by_libreoffice(tmp_path):
    """Real masters from another producer: 12 masters, 144 layouts, pictures, sample slides. Vintage
    passes; Grey Elegant is refused for the one thing it carries: an attribution hyperlink in a master."""
    import subprocess

    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pptx:Impress MS PowerPoint 2007 XML",
         "--outdir", str(tmp_path), f"{LO_TEMPLATES}/Vintage.otp", f"{LO_TEMPLATES}/Grey_Elegant.otp"],
        check=False, capture_output=True, timeout=240,
    )
    assert mastercheck.check(str(tmp_path / "Vintage.pptx")) is None
    why = mastercheck.check(str(tmp_path / "Grey_Elegant.pptx"))
    assert re.match(r"ppt/slideMasters/slideMaster\d+\.xml: external relationship rId\d+ \(hyperlink\) to 'https://", why or ""), why


def test_a_large_background_picture_is_within_budget(tmp_path):
    """A corporate master with a 40 MB (inflated) background picture still passes."""
    picture = os.urandom(40 * MB)  # incompressible, like a photo
    path = rewrite(tmp_path / "big.pptx", add={"ppt/media/image9.png": picture}, edit={
        LAYOUT1_RELS: rel("rId9", RT + "image", "../media/image9.png"),
        CT: replace(b"<Default ", b'<Default Extension="png" ContentType="image/png"/><Default '),
    })
    start = time.perf_counter()
    assert mastercheck.check(path) is None
    assert time.perf_counter() - start < 1.0  # binary parts are not inflated by the check


def test_a_bomb_that_lies_about_its_size_is_not_inflated(tmp_path):
    """An XML part of 200 MB that declares 1,000 bytes: read no further than declared (memory stays
    small), and refused as damaged (its checksum is that of all 200 MB)."""
    import tracemalloc

    bomb = b"<a>" + b" " * (200 * MB) + b"</a>"
    path = declare_size(rewrite(tmp_path / "liar.pptx", add={"customXml/item1.xml": bomb}), "customXml/item1.xml", 1000)
    del bomb
    tracemalloc.start()
    try:
        why = mastercheck.check(path)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert re.match(r"cannot be read as a \.pptx file \(Bad CRC-32 for file 'customXml/item1\.xml'\); the file is damaged", why or ""), why
    assert peak < 4 * MB, f"peak {peak / MB:.1f} MB"


def test_the_check_is_fast_and_cached():
    """A few milliseconds on the pack's master; nothing on the second call for the same file."""
    best = min(_timed(lambda: (mastercheck._cached.cache_clear(), mastercheck.check(SOURCE))) for _ in range(5))
    assert best < 0.05, f"{best * 1000:.1f} ms"  # ~4 ms measured; loose for a shared machine
    cached = min(_timed(lambda: mastercheck.check(SOURCE)) for _ in range(5))
    assert cached < best / 5


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# --- the writer's own defence ------------------------------------------------------------------


def test_the_writer_checks_a_master_given_through_the_theme(tmp_path):
    """``theme.deck.master_file`` bypasses the CLI's check: the writer checks the master itself."""
    from reportgen.compose import compose
    from reportgen.loader import load
    from reportgen.pack import find_pack
    from reportgen.writers.pptx import PptxWriter, with_master

    (tmp_path / "outline.yaml").write_text(GOOD)
    pack = find_pack("briefing", TEMPLATES)
    deck = compose(load(str(tmp_path / "outline.yaml")), pack, "deck")
    bad = external_image(tmp_path / "bad.pptx")
    with pytest.raises(InputError) as info:
        PptxWriter().write(deck, with_master(pack.theme, bad), str(tmp_path / "out.pptx"))
    assert re.search(r"bad\.pptx: slide master: ppt/slideLayouts/slideLayout1\.xml \(layout 'Title Slide'\): external relationship rId9", str(info.value))
    assert not (tmp_path / "out.pptx").exists()


def test_what_the_checker_misses_is_still_an_input_error(capsys, proj, monkeypatch):
    """Defence in depth: a master the checker passed but python-pptx or the writer cannot use is exit 2, not 1."""
    monkeypatch.setattr(mastercheck, "_cached", lambda *a: None)  # a checker that sees nothing
    theme_without_colours(proj / "bad.pptx")
    refused(capsys, proj, r"^bad\.pptx: slide master: cannot be used \((AttributeError|ValueError): .*\); open it in PowerPoint and save it again", "--master", "bad.pptx")
    hole(proj / "bad2.pptx")
    refused(capsys, proj, r"^bad2\.pptx: slide master: cannot be used \((BadZipFile|error): .*\)", "--master", "bad2.pptx")
    rewrite(proj / "bad3.pptx", edit={LAYOUT2: replace(b'type="sldNum"', b'type="sl-Num"')})
    refused(capsys, proj, r"^bad3\.pptx: slide master: cannot be used \(ValueError: PP_PLACEHOLDER_TYPE has no XML mapping for 'sl-Num'\)", "--master", "bad3.pptx")
    core_properties_elsewhere(proj / "bad4.pptx")
    refused(capsys, proj, r"^bad4\.pptx: slide master: cannot be used \(AttributeError: .*\)", "--master", "bad4.pptx")
    refused(capsys, proj, r"^bad3\.pptx: slide master: cannot be used \(ValueError: PP_PLACEHOLDER_TYPE", "--master", "bad3.pptx", command="check")


# --- random damage -----------------------------------------------------------------------------


def assert_safe(deck) -> None:
    """The deck reopens with python-pptx and carries no external relationship and no VBA part."""
    from pptx import Presentation

    Presentation(str(deck))
    with zipfile.ZipFile(deck) as zf:
        for name in zf.namelist():
            assert "vba" not in name.lower(), name
            if name.endswith(".rels"):
                data = zf.read(name)
                assert b'TargetMode="External"' not in data, name
        assert b"macroEnabled" not in zf.read("[Content_Types].xml")


SOURCE_PARTS = list(parts_of().items())
XML_PARTS = [i for i, (name, _d) in enumerate(SOURCE_PARTS) if name.endswith((".xml", ".rels"))]


class Damaged:
    """A damaged master: its bytes, and (its repr, in a failure report) what was done to it."""

    def __init__(self, kind: str, what: str, blob: bytes):
        self.kind, self.what, self.blob = kind, what, blob

    def __repr__(self) -> str:
        return f"Damaged({self.what!r})"


ATTRIBUTE = re.compile(rb'="([^"]+)"')


@st.composite
def damage(draw):
    """Random damage: bytes of an XML part flipped or cut, an attribute value changed, an element
    removed (still well-formed), a part dropped, renamed or duplicated, or the zip's own bytes
    flipped or cut."""
    from lxml import etree

    parts = [list(p) for p in SOURCE_PARTS]
    kind = draw(st.sampled_from(["flip", "truncate", "attribute", "element", "drop", "rename", "duplicate", "raw-flip", "raw-truncate"]))
    what = kind
    if kind in ("flip", "truncate", "attribute", "element"):
        i = draw(st.sampled_from(XML_PARTS))
        name, data = parts[i][0], bytearray(parts[i][1])
        if kind == "flip":
            at, mask = draw(st.integers(0, len(data) - 1)), draw(st.integers(1, 255))
            data[at] ^= mask
            what = f"{name}: byte {at} ^ {mask:#x}"
        elif kind == "truncate":
            at = draw(st.integers(0, len(data) - 1))
            del data[at:]
            what = f"{name}: cut at {at}"
        elif kind == "attribute":
            spans = [m.span(1) for m in ATTRIBUTE.finditer(bytes(data))]
            a, b = draw(st.sampled_from(spans))
            at, char = draw(st.integers(a, b - 1)), draw(st.sampled_from(b"0123456789-xyz ._#"))
            data[at] = char
            what = f"{name}: byte {at} = {chr(char)!r} in an attribute"
        else:
            root = etree.fromstring(bytes(data))
            elements = [e for e in root.iter() if e is not root]
            if elements:
                gone = draw(st.sampled_from(elements))
                what = f"{name}: {gone.tag.split('}')[-1]} removed"
                gone.getparent().remove(gone)
            data = bytearray(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
        parts[i][1] = bytes(data)
    elif kind == "drop":
        i = draw(st.integers(0, len(parts) - 1))
        what = f"{parts[i][0]} dropped"
        del parts[i]
    elif kind == "rename":
        i = draw(st.integers(0, len(parts) - 1))
        new = draw(st.sampled_from([parts[i][0].upper(), parts[i][0] + "x", parts[i][0].replace("1", "9"), "ppt/" + parts[i][0]]))
        what = f"{parts[i][0]} renamed {new}"
        parts[i][0] = new
    elif kind == "duplicate":
        i, j = draw(st.integers(0, len(parts) - 1)), draw(st.integers(0, len(parts) - 1))
        parts.append([parts[i][0], parts[j][1]])
        what = f"{parts[i][0]} twice (second with {parts[j][0]}'s bytes)"
    buf = io.BytesIO()
    write_zip(buf, [tuple(p) for p in parts])
    blob = bytearray(buf.getvalue())
    if kind == "raw-flip":
        flips = [(draw(st.integers(0, len(blob) - 1)), draw(st.integers(1, 255))) for _ in range(draw(st.integers(1, 4)))]
        for at, mask in flips:
            blob[at] ^= mask
        what = f"zip bytes flipped: {flips}"
    elif kind == "raw-truncate":
        at = draw(st.integers(0, len(blob) - 1))
        del blob[at:]
        what = f"zip cut at {at} of {len(buf.getvalue())}"
    return Damaged(kind, what, bytes(blob))


@settings(derandomize=True, max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(damaged=damage())
def test_random_damage_never_crashes_a_build(capsys, proj, damaged):
    kind, blob = damaged.kind, damaged.blob
    with tempfile.TemporaryDirectory(dir=proj) as tmp:
        path = os.path.join(tmp, "damaged.pptx")
        save(path, blob)
        out = os.path.join(tmp, "build")
        code = main(["build", "outline.yaml", "--templates", TEMPLATES, "--master", path, "--out", out, "--jobs", "1", "-f", "pptx", "-q"])
        stdout, err = capsys.readouterr()
        assert "Traceback" not in stdout + err
        assert code in (0, 2), f"{damaged.what}: exit {code}:\n{err}"
        event(f"{kind}: exit {code}")
        if code == 0:
            assert_safe(os.path.join(out, "outline.pptx"))
        else:
            lines = [ln for ln in err.splitlines() if ln.strip()]
            assert lines and all(LOCATED.match(ln) for ln in lines), err
            assert not os.path.exists(os.path.join(out, "outline.pptx"))
