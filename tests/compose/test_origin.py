"""Tracing an error in rendered markup back to the template line that wrote it (compose.origin)."""

import xml.etree.ElementTree as ET

from reportgen.compose import origin


def test_index_path_and_output_line_find_an_element():
    markup = "<report>\n<section>\n  <p>a</p>\n  <bogus/>\n</section>\n</report>"
    root = ET.fromstring(markup)
    bogus = root.find("section/bogus")
    path = origin.index_path(root, bogus)
    assert path == (0, 1)
    assert origin.output_line(markup, path) == 4
    assert origin.index_path(root, ET.Element("elsewhere")) is None


def write_pack(tmp_path, **templates):
    for name, text in templates.items():
        (tmp_path / name).write_text(text)
    return str(tmp_path)


def test_a_literal_line_is_found_in_the_template(tmp_path):
    folder = write_pack(tmp_path, **{"report.xml.j2": "<report>\n{% for s in x %}\n  <section><bogus/></section>\n{% endfor %}\n</report>\n"})
    markup = "<report>\n\n  <section><bogus/></section>\n\n</report>"
    where = origin.trace(folder, "report.xml.j2", markup, 3, "bogus")
    assert (where.file.endswith("report.xml.j2"), where.line, where.col) == (True, 3, 12)  # at the tag


def test_a_tag_in_a_macro_file_is_found_by_its_start_tag(tmp_path):
    folder = write_pack(
        tmp_path,
        **{"report.xml.j2": "{% import 'macros.xml.j2' as m %}<report>{{ m.s(1) }}</report>\n", "macros.xml.j2": "{% macro s(n) %}\n<section n='{{ n }}'><bogusx/><bogus/></section>\n{% endmacro %}\n"},
    )
    where = origin.trace(folder, "report.xml.j2", "<report>\n<section n='1'><bogusx/><bogus/></section>\n</report>", 2, "bogus")
    col = "<section n='{{ n }}'><bogusx/><bogus/></section>".index("<bogus/>") + 1
    assert where.file.endswith("macros.xml.j2") and (where.line, where.col) == (2, col)


def test_no_guess_when_the_text_is_not_unique(tmp_path):
    folder = write_pack(tmp_path, **{"report.xml.j2": "<report>\n<a><zz/></a>\n<b><zz/></b>\n</report>\n"})
    where = origin.trace(folder, "report.xml.j2", "<report>\n<c><zz/></c>\n</report>", 2, "zz")
    assert (where.line, where.output_line) == (0, 2)
    assert where.file.endswith("report.xml.j2")


def test_large_and_linked_templates_are_not_read(tmp_path):
    folder = write_pack(tmp_path, **{"report.xml.j2": "<report/>\n", "big.xml.j2": "<bogus/>\n" + "x" * origin.MAX_TEMPLATE_BYTES})
    (tmp_path / "link.xml.j2").symlink_to(tmp_path / "big.xml.j2")
    assert origin.trace(folder, "report.xml.j2", "<bogus/>", 1, "bogus").line == 0
