import pytest

from reportgen.errors import InputError
from reportgen.yamlsrc import format_path, parse


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        parse(text, "t.yaml")
    return [str(p) for p in info.value.problems]


def test_plain_scalars_stay_text_as_typed():
    src = parse("a: no\nb: 1.10\nc: on\nd: 2021-06-16\ne: 0x10\nf: ~\ng:\n", "t.yaml")
    assert src.data == {"a": "no", "b": "1.10", "c": "on", "d": "2021-06-16", "e": "0x10", "f": None, "g": None}


def test_positions_are_recorded_for_keys_and_values():
    src = parse("title: x\nsections:\n  - title: y\n", "t.yaml")
    assert src.where(("sections", 0, "title")) == (3, 12)
    assert src.where(("sections", 0, "title"), key=True) == (3, 5)


def test_duplicate_keys_are_refused_with_both_places():
    (msg,) = problems("title: a\nsubtitle: b\ntitle: c\n")
    assert msg.startswith("t.yaml:3:1: duplicate key 'title' (first at line 1)")


def test_python_tags_are_refused_not_constructed():
    (msg,) = problems("title: !!python/object/apply:os.system ['echo hi']\n")
    assert "t.yaml:1:8:" in msg and "unsupported tag !!python/object/apply:os.system" in msg


def test_custom_tags_are_refused():
    assert "unsupported tag !foo" in problems("title: !foo bar\n")[0]


def test_syntax_error_has_line_and_column():
    (msg,) = problems("title: [unclosed\nsubtitle: x\n")
    assert msg.startswith("t.yaml:") and "YAML syntax error" in msg


def test_empty_file_is_a_clear_problem():
    assert problems("   \n") == ["t.yaml:1:1: the file is empty (expected a mapping of outline fields)"]


def test_control_characters_are_refused_with_location():
    (msg,) = problems('title: "bell \\a here"\n')
    assert "t.yaml:1:8: title: character U+0007 is not allowed" in msg


def test_alias_bomb_is_refused_quickly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]")
    (msg,) = problems("\n".join(lines) + "\n")
    assert "expands to over" in msg


def test_format_path():
    assert format_path(("sections", 2, "subsections", 0, "title")) == "sections[2].subsections[0].title"
