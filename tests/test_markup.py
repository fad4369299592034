import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.compose import tree
from reportgen.doctree import Cite, CiteRef, Code, Emph, Link, Note, Strong, Text, plain
from reportgen.markup import blocks, citations, inline, markdown_problems, plain_cites


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


# --- pandoc's inline features: citations, footnotes, bare addresses (issue 15) -----------------

SOURCES = {"a": 1, "b": 2, "id": 3, "doe:99": 4}


@pytest.mark.parametrize(
    "text, node, printed",
    [
        ("[@id]", Cite(3), "[3]"),
        ("[@a; @b]", Cite(1, more=[CiteRef(2)]), "[1; 2]"),
        ("[@id, p. 12]", Cite(3, "p. 12"), "[3, p. 12]"),
        ("[see @id, pp. 3-4]", Cite(3, "pp. 3–4", "see"), "see [3, pp. 3–4]"),
        ("[@a, ch. 2; @b]", Cite(1, "ch. 2", more=[CiteRef(2)]), "[1, ch. 2; 2]"),
        ("[see @a; also @b, pp. 33-35, 38-39]", Cite(1, prefix="see", more=[CiteRef(2, "pp. 33–35, 38–39", "also")]), "see [1; also 2, pp. 33–35, 38–39]"),
        ("[@id p. 7]", Cite(3, "p. 7"), "[3, p. 7]"),
        ("[-@id]", Cite(3), "[3]"),
        ("@id", Cite(3), "[3]"),
        ("@doe:99", Cite(4), "[4]"),
    ],
)
def test_every_citation_form_becomes_one_cite(text, node, printed):
    nodes = parse_inline(inline(f"As {text} says.", SOURCES))
    assert nodes == [Text("As "), node, Text(" says.")]
    assert plain(nodes) == f"As {printed} says."
    # where a template sets text plainly (no Markdown), the bracketed forms print the same; a bare @ is text there
    assert plain_cites(f"As {text} says.", SOURCES) == f"As {printed if text.startswith('[') else text} says."


@pytest.mark.parametrize(
    "text",
    [
        "write to name@example.org",  # an @ after a letter: an address, not a citation
        "\\@id is a handle",  # escaped: a plain @
        "`[@id]` in code",
        "[@id](https://example.org) as a link's text",
        "<name@example.org>",
        "&#64;id",  # an entity: a plain @
        "[see@id]",  # no space before the @: no bracketed citation, and the @ follows a letter
    ],
)
def test_what_is_no_citation_stays_text(text):
    nodes = parse_inline(inline(text, SOURCES))
    assert not any(isinstance(n, Cite) for n in nodes)
    assert citations(text) == []


def test_in_text_citation_ends_before_trailing_punctuation():
    nodes = parse_inline(inline("As @id. And (@a), @b's view; @doe:99:", SOURCES))
    assert [n.number for n in nodes if isinstance(n, Cite)] == [3, 1, 2, 4]
    assert plain(nodes) == "As [3]. And ([1]), [2]'s view; [4]:"


def test_citations_are_found_as_written_for_the_loader():
    assert citations("[@a; @zz, p. 3] and @yy") == [("a", "[@a; @zz, p. 3]"), ("zz", "[@a; @zz, p. 3]"), ("yy", "@yy")]
    assert citations("- item [see @q]\n\n> quoted @r", block=True) == [("q", "[see @q]"), ("r", "@r")]


def test_unknown_sources_print_as_written():
    assert plain(parse_inline(inline("[@a; @zz, p. 3] and @yy", SOURCES))) == "[@a; @zz, p. 3] and @yy"


def test_locators_and_prefixes_are_escaped_text():
    nodes = parse_inline(inline('[<b> & "x" @id, p. <i>1</i>-2]', SOURCES))
    assert nodes == [Cite(3, "p. <i>1</i>-2", '<b> & "x"')]


def test_a_footnote_becomes_a_note_with_its_inline_markdown_and_citations():
    nodes = parse_inline(inline("Claim^[See *this* [@a, p. 2] and https://example.org/x.] goes on.", SOURCES))
    assert nodes == [
        Text("Claim"),
        Note([Text("See "), Emph([Text("this")]), Text(" "), Cite(1, "p. 2"), Text(" and "), Link("https://example.org/x", [Text("https://example.org/x")]), Text(".")]),
        Text(" goes on."),
    ]
    assert plain(nodes) == "Claim goes on."  # a note is not part of the text it hangs on
    assert markdown_problems("Claim^[a note]") == []


def test_a_footnote_in_a_body_paragraph_and_list():
    root = tree.parse_markup("<x>" + str(blocks("One^[first].\n\n- two^[second [@b]]\n", SOURCES)) + "</x>")
    notes = [n for el in root.iter("p") for n in tree.inlines(el) if isinstance(n, Note)]
    assert [plain(n.children) for n in notes] == ["first", "second [2]"]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("a^[outer ^[inner]] b", "a footnote ^[...] inside a footnote"),
        ("a^[] b", "an empty footnote"),
        ("see https://:80/x", "bare address: https link 'https://:80/x' names no host"),
        ("[x](javascript:alert(1))", "link scheme 'javascript:' is not allowed"),
    ],
)
def test_refused_inline_features(text, problem):
    assert any(problem in p for p in markdown_problems(text)), markdown_problems(text)


@pytest.mark.parametrize(
    "text, url",
    [
        ("see https://example.org/x.", "https://example.org/x"),
        ("(at http://example.org/a_(b))", "http://example.org/a_(b)"),
        ("[see https://example.org/p?q=1&r=2]", "https://example.org/p?q=1&r=2"),
        ("mail mailto:desk@example.org, today", "mailto:desk@example.org"),
        ("https://exämple.org/ü!", "https://xn--exmple-cua.org/%C3%BC"),
    ],
)
def test_bare_addresses_become_links(text, url):
    links = [n for n in parse_inline(inline(text)) if isinstance(n, Link)]
    assert [n.href for n in links] == [url]
    assert markdown_problems(text) == []


@pytest.mark.parametrize("text", ["javascript:alert(1)", "file:///etc/passwd", "ftp://example.org/x", "xhttps://example.org", "https:// alone", "`https://example.org`"])
def test_what_is_no_bare_address_stays_text(text):
    nodes = parse_inline(inline(text))
    assert not any(isinstance(n, Link) for n in nodes)
    assert plain(nodes) == text.strip("`")


def test_markup_from_every_feature_is_escaped():
    out = str(inline('x^[<b>"&</b>] https://e.org/?a=<1>&b="2" [see <i> @id, p. <3>]', SOURCES))
    root = tree.parse_markup(f"<p>{out}</p>")  # well-formed: nothing the user typed opened an element
    assert [el.tag for el in root.iter()] == ["p", "note", "a", "cite"]


def test_plain_text_reads_only_bracketed_citations():
    assert plain_cites("@SUM(1) and [see @a, p. 2-3]", SOURCES) == "@SUM(1) and see [1, p. 2–3]"
    assert citations("@SUM(1) and [@zz]", plain=True) == [("zz", "[@zz]")]


def test_a_key_in_braces_may_hold_any_characters():
    nodes = parse_inline(inline("as @{https://example.org/a} and [see @{doe,99.}, p. 2]", {"https://example.org/a": 1, "doe,99.": 2}))
    assert plain(nodes) == "as [1] and see [2, p. 2]"
    assert not [n for n in nodes if isinstance(n, Link)]  # the address is the key, not a link


def test_lists_and_quotes_nested_past_the_limit_are_refused_not_cut():
    """markdown-it drops blocks past its nesting limit without a word: the loader refuses a body that deep, and
    everything up to it prints (12 levels of numbered lists kept whole)."""
    from reportgen.markup import MAX_BLOCK_LEVEL, blocks, markdown_problems

    twelve = "- A point\n\n" + "".join("   " * k + f"1. level{k + 1}\n" for k in range(12))
    assert markdown_problems(twelve, block=True) == [] and "level12" in blocks(twelve)
    lists = "".join("  " * k + "- x\n" for k in range(MAX_BLOCK_LEVEL + 1))
    quotes = "> " * (MAX_BLOCK_LEVEL + 1) + "q"
    for deep in (lists, quotes):
        assert markdown_problems(deep, block=True) == [f"lists or quotes nested more than {MAX_BLOCK_LEVEL} deep; nest them less (deeper ones would not print)"]
    assert markdown_problems("".join("  " * k + "- x\n" for k in range(MAX_BLOCK_LEVEL)), block=True) == []
    assert markdown_problems("> " * MAX_BLOCK_LEVEL + "q", block=True) == []
