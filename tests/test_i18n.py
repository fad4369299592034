"""The words reportgen writes by itself, in the document's language (``reportgen/i18n.py``, a pack's ``strings.yaml``)."""

from __future__ import annotations

import datetime
import os
import shutil

import pytest
from pptx import Presentation
from pypdf import PdfReader

from reportgen.cli import main
from reportgen.errors import InputError
from reportgen.i18n import KEYS, catalog, date_text, fields, is_language_tag, quote_marks, read_strings

from conftest import SUMMIT, TEMPLATES

BRIEFING = os.path.join(TEMPLATES, "briefing")


def test_briefing_has_every_text_in_english_french_german_and_russian():
    langs = read_strings(os.path.join(BRIEFING, "strings.yaml"))
    assert set(langs) == {"en", "fr", "de", "ru"}
    for tag, texts in langs.items():
        assert set(texts) == set(KEYS), tag
        for key, text in texts.items():
            assert fields(text) == fields(langs["en"][key]), (tag, key)


@pytest.mark.parametrize("tag", ["ru", "fr-CA", "de-CH-1996", "zh-Hant-TW", "sr-Latn", "es-419", "en-US-x-twain", "x-klingon", "zh-yue-HK", "de-DE-u-co-phonebk"])
def test_a_well_formed_language_tag_is_one(tag):
    assert is_language_tag(tag)


@pytest.mark.parametrize("tag", ["", "r", "english", "russ", "ru_RU", "en-", "en--US", "fr-1", "fr-a", "123", "i-klingon", "en-US-"])
def test_what_is_no_language_tag(tag):
    assert not is_language_tag(tag)


def test_each_language_of_the_briefing_has_its_quotation_marks_and_its_fonts_draw_them():
    from reportgen.glyphs import uncovered
    from reportgen.pack import find_pack

    langs = read_strings(os.path.join(BRIEFING, "strings.yaml"))
    marks = {tag: quote_marks(texts["quotes"]) for tag, texts in langs.items()}
    assert marks == {"en": ("“", "”", "‘", "’"), "fr": ("«\u00a0", "\u00a0»", "‹\u00a0", "\u00a0›"), "de": ("„", "“", "‚", "‘"), "ru": ("«", "»", "„", "“")}
    theme = find_pack("briefing", TEMPLATES).theme
    assert uncovered("".join(m for four in marks.values() for m in four) + "’", theme) == []  # every font the outputs set text in


@pytest.mark.parametrize("lang, shown", [
    ("en", "16 June 2021"), ("en-US", "June 16, 2021"), ("fr", "16 juin 2021"), ("fr-CA", "16 juin 2021"),
    ("de", "16. Juni 2021"), ("ru", "16 июня 2021\u202fг."), ("xx", "16 June 2021"),
])
def test_dates_are_formatted_for_the_language(lang, shown):
    assert date_text(datetime.date(2021, 6, 16), lang) == shown
    assert date_text("2021-06-16", lang) == shown
    assert date_text("Spring 2021", lang) == "Spring 2021"  # text that is not a date: as written


def test_a_region_falls_back_to_its_language_and_a_missing_language_to_english_with_its_keys_named():
    cat = catalog("briefing", [BRIEFING])
    assert cat.for_lang("fr-CA")("agenda") == "Ordre du jour" and not cat.for_lang("fr-CA").missing
    pl = cat.for_lang("pl")
    assert pl("agenda") == "Agenda" and set(pl.missing) == set(KEYS)
    warning = pl.warning("a.yaml", 3, 7)
    assert str(warning) == ("a.yaml:3:7: warning: lang: the pack 'briefing' has no texts in 'pl' (it has: en, fr, de, ru); "
                            "English is used for them (add them to its strings.yaml)")
    assert cat.for_lang("en").warning("a.yaml", 1, 1) is None


def test_a_pack_takes_the_texts_it_lacks_from_the_one_it_extends(tmp_path):
    (tmp_path / "strings.yaml").write_text("fr:\n  agenda: Programme\nes:\n  agenda: Orden del día\n", encoding="utf-8")
    cat = catalog("mine", [str(tmp_path), BRIEFING])
    fr = cat.for_lang("fr")
    assert fr("agenda") == "Programme" and fr("contents") == "Sommaire" and not fr.missing
    es = cat.for_lang("es")
    assert es("agenda") == "Orden del día" and es("contents") == "Contents" and "contents" in es.missing and "agenda" not in es.missing


@pytest.mark.parametrize("text, line", [
    ("en:\n  agenda: A\n  agnda: B\n", "strings.yaml:3:3: en.agnda: unknown text 'agnda'; expected one of: contents,"),
    ("en:\n  page: Page {n} of {total}\nfr:\n  page: Page {n}\n", "strings.yaml:4:9: fr.page: uses the fields ['n'], expected ['n', 'total'] (as its English does)"),
    ("en:\n  agenda: [A]\n", "strings.yaml:2:11: en.agenda: expected text, got list"),
    ("english:\n  agenda: A\n", "strings.yaml:1:1: english: expected a language tag such as en, fr or pt-BR, got 'english'"),
    ("en:\n  page: Page {n of {total}\n", "strings.yaml:2:9: en.page: a { or } that is not a field; write {{ or }} for a brace"),
    ("en:\n  quotes: “ ”\n", "strings.yaml:2:11: en.quotes: expected four quotation marks with a space between (opening, closing, inner opening, inner closing)"),
    ("fr:\n  quotes: '«  » ‹ ›'\n", "strings.yaml:2:11: fr.quotes: expected four quotation marks"),
])
def test_a_bad_strings_file_is_located(tmp_path, monkeypatch, text, line):
    (tmp_path / "strings.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as info:
        read_strings("strings.yaml")
    assert str(info.value.problems[0]).startswith(line), str(info.value.problems[0])


def build(tmp_path, monkeypatch, lang: str, *args) -> tuple[int, str, str]:
    with open(SUMMIT, encoding="utf-8") as f:
        text = f.read()
    text = text.replace("template: briefing", f"template: briefing\nlang: {lang}", 1)
    (tmp_path / "brief.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(["build", "brief.yaml", "-q", *args])
    pdf = "\n".join(p.extract_text() for p in PdfReader("build/brief.pdf").pages) if code == 0 else ""
    deck = "\n".join(sh.text_frame.text for s in Presentation("build/brief.pptx").slides for sh in s.shapes if sh.has_text_frame) if code == 0 else ""
    return code, pdf, deck


@pytest.mark.parametrize("lang, in_pdf, in_deck", [
    ("fr", ["Sommaire", "Synthèse", "Page 2 sur", "16 juin 2021", "Source :", "L’essentiel"],
     ["Ordre du jour", "Partie 2 sur 5", "Points clés", "Questions et discussion", "16 juin 2021"]),
    ("ru", ["Содержание", "Резюме", "Стр. 2 из", "16 июня 2021", "Источник:", "Источники"],
     ["Повестка", "Часть 2 из 5", "Ключевые выводы", "Вопросы и обсуждение"]),
])
def test_a_briefing_in_french_or_russian_prints_its_fixed_words_and_dates_in_that_language(tmp_path, monkeypatch, lang, in_pdf, in_deck):
    code, pdf, deck = build(tmp_path, monkeypatch, lang)
    assert code == 0
    for words in in_pdf:
        assert words in pdf, words
    for words in in_deck:
        assert words in deck, words
    for english in ("Contents", "Page 2 of", "Agenda", "Key takeaways", "Bottom line up front"):
        assert english not in pdf and english not in deck, english
    runs = {r._r.get_or_add_rPr().get("lang") for s in Presentation("build/brief.pptx").slides for sh in s.shapes if sh.has_text_frame
            for p in sh.text_frame.paragraphs for r in p.runs}
    assert runs == {lang}  # every run of the deck says its language
    assert PdfReader("build/brief.pdf").trailer["/Root"]["/Lang"] == lang  # and the PDF's catalog


def test_a_language_the_pack_lacks_is_english_with_a_warning_and_an_error_under_strict(tmp_path, monkeypatch, capsys):
    code, pdf, deck = build(tmp_path, monkeypatch, "pl")
    assert code == 0 and "Contents" in pdf and "Agenda" in deck
    assert "brief.yaml:10:7: warning: lang: the pack 'briefing' has no texts in 'pl'" in capsys.readouterr().err
    shutil.rmtree("build")
    assert build(tmp_path, monkeypatch, "pl", "--strict")[0] == 2
    assert not os.path.exists("build/brief.pdf")
