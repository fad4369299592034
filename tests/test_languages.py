"""Passages in another language and each language's quotation marks, end to end (issue 16).

``tests/fixtures/languages/french.yaml`` (a French briefing with Russian and
English spans) and ``english.md`` (a British English Markdown outline with
Russian, French and German spans) are built once each; both outputs are read
back by other tools: the PDF's text (pypdf), its structure tree (pikepdf, as
``pdfcheck.dump`` writes it), reportgen's checker and ``qpdf --check``; each
deck run's ``lang`` (python-pptx), on slides, in table cells and in the
speaker notes. The independent validator runs on both in
``tests/writers/pdf/test_pdf_validator.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from pptx import Presentation
from pypdf import PdfReader

from reportgen.build import Options, build
from reportgen.pdfcheck import check
from reportgen.pdfcheck.dump import dump

from conftest import FIXTURES, TEMPLATES, run_cli

HERE = os.path.join(FIXTURES, "languages")
DOCS = {"french": ("french.yaml", "fr"), "english": ("english.md", "en-GB")}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, str]:
    """name -> the folder holding NAME.pdf and NAME.pptx."""
    out = tmp_path_factory.mktemp("languages")
    build([os.path.join(HERE, f) for f, _lang in DOCS.values()], Options(out_dir=str(out), templates_dir=TEMPLATES, jobs=1))
    return {name: str(out) for name in DOCS}


def pdf_text(folder: str, name: str) -> str:
    return " ".join(re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(os.path.join(folder, f"{name}.pdf")).pages)


def runs(folder: str, name: str) -> list[tuple[str, str, str]]:
    """Every text run of the deck: (where: slide, table or notes, its text, its lang)."""
    out = []
    for slide in Presentation(os.path.join(folder, f"{name}.pptx")).slides:
        frames = [("notes", slide.notes_slide.notes_text_frame)] if slide.has_notes_slide else []
        for shape in slide.shapes:
            frames += [("slide", shape.text_frame)] if shape.has_text_frame else []
            if shape.has_table:
                frames += [("table", cell.text_frame) for row in shape.table.rows for cell in row.cells]
        out += [(where, r.text, r._r.get_or_add_rPr().get("lang")) for where, tf in frames for p in tf.paragraphs for r in p.runs]
    return out


@pytest.mark.parametrize("name, shown", [
    ("french", ["Ce qu’a dit Владимир Путин", "Il parle d’une «конструктивной» встрече", "Le mot “reset” n’a pas été prononcé",
                "«ядерную войну нельзя выиграть и её никогда нельзя развязывать» [1]", "La formule reprend « mot pour mot » celle de 1985",
                "Cellule d’analyse", "стратегическая стабильность"]),
    ("english", ["What “strategic stability” means to Москва", "The Kremlin’s term is стратегическая стабильность",
                 "Paris speaks of « dialogue exigeant »", "Berlin’s word is „strategische Stabilität“",
                 "Both sides said “a nuclear war cannot be won” [1]", "«ядерную войну нельзя выиграть» и «её никогда нельзя развязывать»",
                 "un « retour aux fondamentaux »"]),
])
def test_the_pdf_prints_each_languages_quotation_marks_and_no_span_syntax(built, name, shown):
    text = pdf_text(built[name], name).replace("\u00a0", " ")
    for words in shown:
        assert words in text, words
    assert "{lang=" not in text and '"' not in text and "'" not in text  # every straight quote typed is typographic


@pytest.mark.parametrize("name, expected", [
    ("french", [("ru", "Владимир Путин"),  # (the contents entry of the heading below: its words in their language too)
                ("ru", "Владимир Путин"), ("ru", "«конструктивной» встрече"), ("en", "“reset”"),
                ("ru", "обе стороны подтвердили, что «ядерную войну нел…"), ("en", "[Link]"),
                ("ru", "стратегическая стабильность"), ("en", "confidence-building")]),
    ("english", [("ru", "Москва"),  # (the contents entry)
                 ("ru", "Москва"), ("ru", "стратегическая стабильность"), ("fr", "« dialogue exigeant »"),
                 ("de", "„strategische Stabilität“"), ("ru", "«ядерную войну нельзя выиграть» и «её никогда н…"),
                 ("fr", "un « retour aux fondamentaux »")]),
])
def test_each_span_is_a_span_element_with_its_language(built, name, expected):
    with open(os.path.join(built[name], f"{name}.pdf"), "rb") as fh:
        data = fh.read()
    assert check(data) == []
    tree = dump(data)
    assert tree.startswith(f"Lang={DOCS[name][1]}\n")
    found = [(m["lang"], m["text"].replace("\u00a0", " ")) for m in re.finditer(r'^ *Span Lang=(?P<lang>\S+) p\d+: "(?P<text>.*)"$', tree, re.M)]
    assert found == expected
    if name == "french":  # a span in a heading and its contents entry, a cell; a link in a span in the note at the foot of the page
        assert re.search(r'^  H1 p3: "1 Ce qu’a dit\[Span\]"\n    Span Lang=ru', tree, re.M)
        assert re.search(r'^        Link p2: "1 Ce qu’a dit\[Span\]"\n          Span Lang=ru p2: "Владимир Путин"', tree, re.M)
        assert re.search(r'^        TD\n          Span Lang=ru p3: "стратегическая стабильность"', tree, re.M)
        assert re.search(r'^    Note ID="fn-1" p3: "1Voir\[Span\] et le communiqué de la Maison-Blanche."\n      Span Lang=en p3: "\[Link\]"\n'
                         r'        Link p3: "the joint statement of 1985"', tree, re.M)


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
@pytest.mark.parametrize("name", sorted(DOCS))
def test_qpdf_finds_the_files_sound(built, name):
    done = subprocess.run(["qpdf", "--check", os.path.join(built[name], f"{name}.pdf")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("name, expected", [
    ("french", {("slide", "Владимир Путин", "ru"), ("slide", "«конструктивной» встрече", "ru"), ("slide", "“reset”", "en"),
                ("table", "стратегическая стабильность", "ru"), ("table", "confidence-building", "en"), ("notes", "«нельзя выиграть»", "ru")}),
    ("english", {("slide", "Москва", "ru"), ("slide", "стратегическая стабильность", "ru"), ("slide", "«\u00a0dialogue exigeant\u00a0»", "fr"),
                 ("slide", "„strategische Stabilität“", "de"), ("notes", "Russian", "ru"), ("notes", "нельзя выиграть", "ru")}),
])
def test_each_spans_deck_runs_say_its_language_and_every_other_run_the_documents(built, name, expected):
    every = runs(built[name], name)
    lang = DOCS[name][1]
    others = {r for r in every if r[2] != lang}
    assert others == expected
    assert any(where == "notes" and r_lang == lang for where, _t, r_lang in every)  # the notes' own text: the deck's language


@pytest.mark.parametrize("name, text, where", [
    ("o.yaml", "title: T\nsections:\n  - title: s\n    points: ['Met [Путин]{lang=ru_RU} there']\n", "o.yaml:4:27: sections[0].points[0]: span language 'ru_RU'"),
    ("o.md", "---\ntitle: T\n---\n\n# One\n\nText\nand [paix]{lang=fr-} there.\n", "o.md:8:12: sections[0].body: span language 'fr-'"),
])
def test_a_bad_language_tag_is_one_located_line_and_exit_2(tmp_path, monkeypatch, capsys, name, text, where):
    (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _out, err = run_cli(capsys, name)
    assert code == 2 and err.startswith(where) and "expected a BCP 47 tag such as ru, fr, de-CH or zh-Hant" in err, err
    assert len(err.strip().splitlines()) == 1 and not os.path.exists("build")
