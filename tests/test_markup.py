import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.compose import tree
from reportgen.doctree import Cite, CiteRef, Code, Emph, Link, Note, Span, Strong, Text, plain
from reportgen.markup import Quotes, blocks, citations, inline, markdown_problems, plain_cites, quoted, span_attributes, spans


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


# --- spans in another language; quotation marks per language (issue 16) ---------------------------


@pytest.mark.parametrize(
    "text, nodes",
    [
        ("[Владимир Путин]{lang=ru}", [Span("ru", [Text("Владимир Путин")])]),
        ('met [Путин]{lang="ru"} there', [Text("met "), Span("ru", [Text("Путин")]), Text(" there")]),
        ("[*вот* [link](https://x.org) [@a]]{lang=ru}", [Span("ru", [Emph([Text("вот")]), Text(" "), Link("https://x.org", [Text("link")]), Text(" "), Cite(1)])]),
        ("[[Путин]{lang=ru}](https://x.org)", [Link("https://x.org", [Span("ru", [Text("Путин")])])]),
        ("[a [b]{lang=de} c]{lang=fr-CA}", [Span("fr-CA", [Text("a "), Span("de", [Text("b")]), Text(" c")])]),
        ("x^[a note [en français]{lang=fr}]", [Text("x"), Note([Text("a note "), Span("fr", [Text("en français")])])]),
        ("[a claim^[its note]]{lang=de}", [Span("de", [Text("a claim"), Note([Text("its note")])])]),
        ("[mot]{.smallcaps lang=fr #m}", [Span("fr", [Text("mot")])]),  # what else a span says is ignored (the loader warns)
        ("[mot]{.smallcaps}", [Text("mot")]),  # a span with no language: its text
        ("[bad]{lang=xx_YY}", [Text("bad")]),  # (the loader refuses it)
    ],
)
def test_a_span_becomes_a_span_node_with_what_it_holds(text, nodes):
    assert parse_inline(inline(text, SOURCES)) == nodes


@pytest.mark.parametrize(
    "text, nodes",
    [
        ("[@a] and [@a]{.x}", [Cite(1), Text(" and "), Cite(1)]),  # a span with no language around a citation: the citation
        ("[text](https://x.org){lang=ru}", [Link("https://x.org", [Text("text")]), Text("{lang=ru}")]),  # a link's attributes: text
        ("[a] {lang=ru}", [Text("[a] {lang=ru}")]),  # a space between: no span
        ("\\[a\\]{lang=ru}", [Text("[a]{lang=ru}")]),  # escaped brackets
        ("`[a]{lang=ru}`", [Code("[a]{lang=ru}")]),
        ("[a]{lang=ru", [Text("[a]{lang=ru")]),
    ],
)
def test_citations_links_and_code_are_read_as_before_around_spans(text, nodes):
    assert parse_inline(inline(text, SOURCES)) == nodes


def test_a_spans_attributes_are_found_for_the_loader_and_judged():
    assert spans("[a]{lang=ru} `[b]{lang=x}` [c [d]{.x}]{lang=de}\n\n- [e]{lang=en}", block=True) == ["lang=ru", "lang=de", ".x", "lang=en"]
    assert span_attributes('lang="ru"') == ("ru", [], [])
    assert span_attributes("lang=ru_RU")[1] == [("span language 'ru_RU' is not a language tag; expected a BCP 47 tag such as ru, fr, de-CH or zh-Hant", "lang=ru_RU")]
    assert span_attributes("lang=ru lang=fr")[:2] == ("ru", [("a span with a second lang (lang=fr); give a span one language", "lang=fr")])
    assert [w for _m, w in span_attributes(".smallcaps lang=de #x key=v")[2]] == [".smallcaps", "#x", "key=v"]


EN = ("“", "”", "‘", "’")
FR = ("«\u00a0", "\u00a0»", "‹\u00a0", "\u00a0›")
DE = ("„", "“", "‚", "‘")
RU = ("«", "»", "„", "“")
LANGS = (("en", EN), ("fr", FR), ("de", DE), ("ru", RU))


@pytest.mark.parametrize(
    "marks, printed",
    [
        (EN, "“He said ‘it’s fine’,” she wrote."),
        (FR, "«\u00a0He said ‹\u00a0it’s fine\u00a0›,\u00a0» she wrote."),
        (DE, "„He said ‚it’s fine‘,“ she wrote."),
        (RU, "«He said „it’s fine“,» she wrote."),
    ],
)
def test_straight_quotes_become_the_languages_own(marks, printed):
    text = """"He said 'it's fine'," she wrote."""
    assert plain(parse_inline(inline(text, quotes=Quotes(marks)))) == printed
    assert plain(parse_inline(inline("*" + text + "*", quotes=Quotes(marks)))) == printed  # the same through the Markdown parse
    assert quoted(text, Quotes(marks)) == printed  # text set plainly


def test_code_escapes_link_targets_and_addresses_keep_their_straight_quotes():
    q = Quotes(EN)
    text = '`"code"` \\"kept\\" [a \'link\'](https://x.org/it\'s) https://x.org/a\'b "end"'
    nodes = parse_inline(inline(text, quotes=q))
    assert nodes == [Code('"code"'), Text(' "kept" '), Link("https://x.org/it's", [Text("a ‘link’")]), Text(" "),
                     Link("https://x.org/a'b", [Text("https://x.org/a'b")]), Text(" “end”")]
    assert plain(parse_inline(inline("<https://x.org/it's> 'x'", quotes=q))) == "https://x.org/it's ‘x’"
    assert plain(parse_inline(inline('"see https://x.org/a"', quotes=q))) == "“see https://x.org/a”"  # the mark outside the address


def test_a_span_in_another_language_has_that_languages_quotes_and_a_note_the_marks_where_it_stands():
    q = Quotes(EN, LANGS)
    nodes = parse_inline(inline("""He said [Мы "готовы"]{lang=ru} and [c'est "oui"]{lang=fr-CA} "yes"^[the [Wort "ja"]{lang=de}]""", quotes=q))
    assert plain(nodes) == "He said Мы «готовы» and c’est «\u00a0oui\u00a0» “yes”"
    assert plain(nodes[-1].children) == "the Wort „ja“"
    assert plain(parse_inline(inline('[a "b"]{lang=pl}', quotes=q))) == "a “b”"  # a language without marks: those around it
    assert plain(parse_inline(inline('"Outer [inner]{lang=ru} end"', quotes=q))) == "“Outer inner end”"  # a pair across a span


def test_without_quotes_text_is_as_typed_and_the_memo_keeps_each_languages_apart():
    memo: dict = {}
    assert str(inline('"a" *b*', memo=memo)) == "&#34;a&#34; <i>b</i>"
    assert str(inline('"a" *b*', memo=memo, quotes=Quotes(RU))) == "«a» <i>b</i>"
    assert str(blocks('"a"', memo=memo, quotes=Quotes(DE))) == "<p>„a“</p>"


def test_a_paragraph_of_many_quotes_pairs_them_in_time_linear_in_its_length():
    """The smartquotes algorithm looks back over every open quote for each closing one, and copies its text token
    for each replacement: a hostile paragraph of lone quotes took minutes; it is paired a window at a time."""
    import time

    from reportgen.markup import QUOTE_WINDOW

    long = " ".join(['"a"'] * (3 * QUOTE_WINDOW))
    assert plain(parse_inline(inline(long, quotes=Quotes(EN)))) == " ".join(["“a”"] * (3 * QUOTE_WINDOW))
    hostile = '"x ' * 8000 + "y' " * 8000
    start = time.perf_counter()
    inline(hostile, quotes=Quotes(EN))
    assert time.perf_counter() - start < 5  # (quadratic: about a minute)


def test_a_text_is_read_once_for_the_loaders_three_questions_and_a_long_or_full_one_is_not_kept(monkeypatch):
    from reportgen import markup

    reads = []
    read = markup._read_text
    monkeypatch.setattr(markup, "_read_text", lambda text, block: reads.append(text) or read(text, block))
    text = f"A [link](https://example.org/{id(object())}) citing [@one] in [a span]{{lang=fr}}."
    assert markup.markdown_problems(text) == []
    cites = markup.citations(text)
    assert cites == [("one", "[@one]")] and markup.spans(text) == ["lang=fr"]
    assert reads == [text] and (text, False) in markup._KEPT
    cites.append(("changed", "by a caller"))  # (what a caller is given is its own)
    assert markup.citations(text) == [("one", "[@one]")] and reads == [text]
    long = "[@one] " + "word " * (markup.MAX_READ_KEPT // 5)
    full = " ".join(f"[@s{i}]" for i in range(markup.KEPT_ITEMS + 1))  # short, but its reading holds much
    for hostile in (long, full):
        assert markup.citations(hostile) and markup.citations(hostile)
        assert (hostile, False) not in markup._KEPT and reads.count(hostile) == 2
    for i in range(markup.KEPT_TEXTS + 5):  # the oldest let go
        markup.citations(f"[@k{i}]")
    assert len(markup._KEPT) == markup.KEPT_TEXTS and ("[@k0]", False) not in markup._KEPT and (f"[@k{markup.KEPT_TEXTS + 4}]", False) in markup._KEPT
