from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.compose import tree
from reportgen.doctree import Cite, Code, Emph, Link, Strong, Text, plain
from reportgen.markup import blocks, inline


def parse_inline(markup: str):
    return tree.inlines(tree.parse_markup(f"<p>{markup}</p>"))


def test_markup_characters_in_user_text_stay_text():
    nodes = parse_inline(inline('<b>x</b> & <img src="a"> > <font>'))
    assert nodes == [Text('<b>x</b> & <img src="a"> > <font>')]


def test_inline_markdown_becomes_nodes():
    nodes = parse_inline(inline("a **b** *c* `d<` [e](https://x.org/?a=1&b=2) [@s]", {"s": 3}))
    assert nodes == [
        Text("a "), Strong([Text("b")]), Text(" "), Emph([Text("c")]), Text(" "), Code("d<"), Text(" "),
        Link("https://x.org/?a=1&b=2", [Text("e")]), Text(" "), Cite(3),
    ]


def test_blocks_markdown_becomes_paragraphs_lists_quotes():
    root = tree.parse_markup("<x>" + str(blocks("one\n\n- a\n- b\n\n3. c\n\n> q")) + "</x>")
    kinds = [el.tag for el in root]
    assert kinds == ["p", "ul", "ol", "quote"]
    assert root[2].get("start") == "3"


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60))
def test_any_text_without_markdown_syntax_round_trips(text):
    text = "".join(ch for ch in text if ch not in "*_`[]\\!&<>#\n\r\t" and ch not in "\ufffe\uffff")
    if not text.strip():
        return
    assert plain(parse_inline(inline(text))).strip() == text.strip()
