"""Tagging while the pages are drawn: the logical structure (``Tree``), and where each part of it is drawn (``Tagger``).

The story builder makes the **tree** as it makes the flowables, in reading
order: Document, then H1-H3, P, L/LI/Lbl/LBody, Table/THead/TBody/TR/TH/TD,
Div/Figure/Caption, BlockQuote, TOC/TOCI (``Node``). A node that draws
content (a *leaf*: P, H1, Lbl, TD, Figure...) is tagged onto the flowable
that draws it (``Tree.tag``); a *container* (Document, L, Table, Div,
BlockQuote...) only holds other nodes, and whatever it draws itself (a box's
bar, a table's rules and backgrounds) is decoration, an artifact.

While the pages are drawn, the ``Tagger`` writes a marked-content *point*
before and after what each node draws: ``/RGb <</N 17>> DP`` ...
``/RGe <</N 17>> DP``. A point is legal anywhere between graphics objects,
inside a text object too, so a link's text inside a paragraph is marked
where it starts and ends whatever the nesting of BT/ET: as ReportLab draws
it (``Tagger.link_record``, told by ReportLab where each link's text starts
and stops on a line; ``lift_links``), or, for a link holding a span or a
footnote's mark, by ``<onDraw>`` callbacks (``Tagger.on_draw``); so is a span of text in another language,
a Span with its /Lang (ISO 14289-1 7.2: a screen reader switches voice), which
may hold links and sit in one. A footnote's mark leaves an ``/RGk`` point:
its Note stands there in the reading order, though its text is drawn at the
foot of the page. As each page is finished, the ``Tagger`` turns its points
into ``BDC``/``EMC`` sequences with MCIDs (``ua_page``; ``ua_scan`` or
``ua_content`` for a page that reading does not expect), and ``ua`` writes
the file with the structure tree, from the ``Tree`` and what the ``Tagger``
recorded (what each page's sequences hold, which link annotation belongs to
which Link).

Nothing of ReportLab is patched: a flowable is tagged by giving that one
object a subclass of its own class (``Tree.tag``), a table through
ReportLab's public ``Table(renderCB=...)`` (``TableTagger``). The private
names used are in ``compat.reportlab``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from ...compat.reportlab import append_to_text, callback_text_object, list_bullets, text_baseline, text_end, text_operators
from .ua_marks import PageContent
from .ua_page import mark_page
from .ua_scan import rewrite_bytes

CONTAINERS = frozenset({"Document", "Part", "Sect", "Div", "BlockQuote", "L", "LI", "LBody", "Table", "THead", "TBody", "TFoot", "TR", "TOC", "TOCI", "Art"})
TAG_CALLBACK = "rg_tag"  # the <onDraw> name of a link's or span's start ("b12") and end ("e12") in paragraph markup
_EPSILON = 0.01
_IN_TEXT = frozenset({"Link", "Span"})  # what a paragraph's points open and close inside its text
_TAGS = r"</?(?:a|b|i|u|strike|font|super|sub|span)\b[^>]*>"  # markup that is no word of its own
_POINT_MARKUP = re.compile(rf'<onDraw name="{TAG_CALLBACK}" label="[be]\d+"/>')
_ONE_TAG = re.compile(_TAGS)
_BREAKING = re.compile(r"\s|<br/>")
_LEAD = re.compile(rf'^((?:\s|<bullet>.*?</bullet>|{_TAGS})*)<onDraw name="{TAG_CALLBACK}" label="b(\d+)"/>')
_LIFTABLE = re.compile(rf'<onDraw name="{TAG_CALLBACK}" label="b(\d+)"/>(<a\s[^>]*+>)((?:[^<]++|<(?!/a>))*+)</a><onDraw name="{TAG_CALLBACK}" label="e\1"/>')
_LINK_TAG = re.compile(r"<(a|link)\b([^>]*)>")
_ATTR_NAME = re.compile(r"""([^\s=/>"']+)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""")


_NO_KIDS: tuple = ()  # (a node's kids until its first: most nodes have none, and a list each costs the collector)
_NOTHING: Mapping[str, object] = MappingProxyType({})


def _rare(index: int, default, doc: str) -> property:
    """Return the property of a ``Node`` that reads what few nodes have (``Node._more``), ``default`` for the others."""
    return property(lambda node: node._more[index] if node._more else default, doc=doc)


class Node:
    """One element of the structure tree (``role`` a standard structure type), or an artifact (``role`` "Artifact").

    A long report has tens of thousands of nodes, alive until the file is
    written: slots, and no container of its own that it does not need (its
    kids, attributes and properties are shared empty ones until it has some),
    so that Python's cycle collector has less to walk while the pages are drawn.
    """

    __slots__ = ("id", "role", "parent", "kids", "inline", "_more")

    def __init__(self, id: int, role: str, parent: Node | None = None, *, alt: str = "", attrs: Mapping[str, object] = _NOTHING,
                 props: Mapping[str, str] = _NOTHING, elem_id: str = "", inline: bool = False, href: str = "", contents: str = "",
                 lang: str = ""):
        self.id = id  # its index in ``Tree.nodes``, and the number its points carry
        self.role = role
        self.parent = parent
        self.kids: Sequence[Node] = _NO_KIDS  # in reading order (a list once it has one: ``Tree.add``)
        self.inline = inline  # stands among its parent's content (a Link, a Note, a Span), not after it
        # What few nodes have, in one tuple (None for most: a long report's tens of thousands of nodes are a slot each):
        self._more = (alt, attrs, props, elem_id, href, contents, lang) if alt or attrs or props or elem_id or href or contents or lang else None

    alt = _rare(0, "", "/Alt: a Figure's text alternative.")
    attrs = _rare(1, _NOTHING, '/A: {"Scope": "Column"}, {"ListNumbering": "Disc"}.')
    props = _rare(2, _NOTHING, 'An artifact\'s properties: {"Type": "Pagination"}.')
    elem_id = _rare(3, "", "/ID (a Note needs one).")
    href = _rare(4, "", "A Link's target.")
    contents = _rare(5, "", "A Link annotation's /Contents: the link's text.")
    lang = _rare(6, "", "/Lang: a Span's language (BCP 47).")

    def __repr__(self) -> str:
        return f"Node({self.id}, {self.role!r})"

    @property
    def container(self) -> bool:
        return self.role in CONTAINERS

    @property
    def artifact(self) -> bool:
        return self.role == "Artifact"


@dataclass(frozen=True)
class Marked:
    """A link's or span's text in a paragraph, as its markup's points name it (``link_points``, ``span_points``)."""

    role: str  # "Link" or "Span"
    href: str = ""  # a Link's target
    text: str = ""  # a Link's text (its annotations' /Contents)
    lang: str = ""  # a Span's language

    def node(self, tree: Tree, parent: Node) -> Node:
        """Return a new node of this text in ``parent``."""
        return tree.add(self.role, parent, inline=True, href=self.href, contents=self.text, lang=self.lang)


class Tree:
    """The logical structure of one document, in reading order; ``nodes[0]`` is the Document."""

    def __init__(self):
        self.nodes: list[Node] = []
        self.root = self.add("Document")
        self.layout = self.artifact()  # rules, bars, backgrounds, the cover's band and logo
        self.pagination = self.artifact(Type="Pagination")  # running header and footer, markings, repeated table headers
        self.marked: list[Marked] = []  # serial (``link``, ``span``) -> the link or span its points mark
        self.cover: Node | None = None  # the cover's Div, made where the cover stands in the story
        self._classes: dict[tuple[type, type], type] = {}  # (mixin, class) -> the tagged subclass (``tag``)

    def add(self, role: str, parent: Node | None = None, **kw) -> Node:
        """Return a new node of ``role``, the last child of ``parent`` (of nothing when None)."""
        node = Node(len(self.nodes), role, parent, **kw)
        self.nodes.append(node)
        if parent is not None:
            if parent.kids is _NO_KIDS:
                parent.kids = [node]
            else:
                parent.kids.append(node)
        return node

    def artifact(self, **props) -> Node:
        """Return a new artifact node: what is drawn under it is not content (``props``: its /Type, /Subtype)."""
        node = Node(len(self.nodes), "Artifact", props=props)
        self.nodes.append(node)
        return node

    def link(self, href: str, text: str) -> int:
        """Return the serial of a link to ``href`` showing ``text``, which its markup's points name."""
        self.marked.append(Marked("Link", href, text))
        return len(self.marked) - 1

    def span(self, lang: str) -> int:
        """Return the serial of a span of text in ``lang``, which its markup's points name."""
        self.marked.append(Marked("Span", lang=lang))
        return len(self.marked) - 1

    def tag(self, flowable, node: Node | None):
        """Return ``flowable``, drawing between ``node``'s points from now on (and so do the parts it splits into).

        The object gets a subclass of its own class (``isinstance`` still
        holds); None leaves it as it is.
        """
        if node is not None:
            _retype(flowable, _Marked, self._classes)
            flowable.__dict__["rg_node"] = node  # (a Drawing's __setattr__ refuses names it does not know)
        return flowable

    def tag_bullets(self, list_flowable, labels: list[Node]) -> None:
        """Draw each bullet (or number) of ``list_flowable`` between the points of its item's Lbl, in order."""
        for bullet, label in zip(list_bullets(list_flowable), labels):
            _retype(bullet, _MarkedBullet, self._classes)
            bullet.__dict__["rg_node"] = label


def _retype(obj, mixin: type, cache: dict[tuple[type, type], type]) -> None:
    """Make ``obj`` an instance of ``mixin`` mixed into its own class (one subclass per class, kept in ``cache``)."""
    cls = type(obj)
    if issubclass(cls, mixin):
        return
    sub = cache.get((mixin, cls))
    if sub is None:
        sub = cache[(mixin, cls)] = type("Tagged" + cls.__name__, (mixin, cls), {"rg_classes": cache, "__module__": __name__})
    object.__setattr__(obj, "__class__", sub)  # (a Drawing's __setattr__ would keep it in __dict__)


class _Marked:
    """Mixed into a tagged flowable's class: its ``drawOn`` between its node's points; its parts keep the node."""

    rg_node: Node | None = None
    rg_classes: dict | None = None  # the tree's subclasses (set on each one made)

    def drawOn(self, canv, x, y, _sW=0):
        tagger = getattr(canv, "rg_tagger", None)
        node = self.rg_node
        if tagger is None or node is None:
            return super().drawOn(canv, x, y, _sW)
        tagger.begin(canv, node)  # (``Tagger.marked``, without a generator: a flowable drawn is the hot path)
        try:
            return super().drawOn(canv, x, y, _sW)
        finally:
            tagger.end(canv, node)

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for part in parts:
            if part.__dict__.get("rg_node") is None:
                _retype(part, _Marked, self.rg_classes)
                part.__dict__["rg_node"] = self.rg_node
        return parts


class _MarkedBullet:
    """Mixed into a list bullet's class (ReportLab's ``BulletDrawer``): drawn between its Lbl's points."""

    rg_node: Node | None = None

    def drawOn(self, indenter, canv, x, y, _sW=0):
        tagger = getattr(canv, "rg_tagger", None)
        node = self.rg_node
        if tagger is None or node is None:
            return super().drawOn(indenter, canv, x, y, _sW)
        tagger.begin(canv, node)
        try:
            return super().drawOn(indenter, canv, x, y, _sW)
        finally:
            tagger.end(canv, node)


def point(kind: str, node: Node) -> str:
    """Return the marked-content point ``kind`` of ``node``: "b" begins what it draws, "e" ends it, "k" places it (a Note)."""
    return f"/RG{kind} <</N {node.id}>> DP"


@dataclass(eq=False)
class _Run:
    """A link's text as it is drawn on one page: where it starts and ends, and the lines annotations were matched on."""

    node: Node
    page: int
    start_y: float  # the baseline it starts on (infinite: it goes on from the page before)
    end_y: float | None = None  # the baseline it ends on, once it has
    lines: set[float] = field(default_factory=set)  # the annotation rectangles' bottoms matched to it


class Untagged:
    """The ``Tagger`` of a document that is not tagged: every method draws nothing and records nothing."""

    tree: Tree | None = None

    def marked(self, canv, node):
        return contextlib.nullcontext()

    def open_leading(self, canv, serials) -> None:
        pass

    def artifact(self, canv, pagination: bool = False):
        return contextlib.nullcontext()

    def note(self, canv, number: int):
        return contextlib.nullcontext()

    def cover_text(self, canv):
        return contextlib.nullcontext()

    def note_mark(self, canv, number: int) -> None:
        pass

    def on_draw(self, canv, kind, label: str) -> None:
        pass

    def annotation(self, canv, href: str, rect) -> bool:
        return True

    def whole_link(self, canv, serial: int):
        return contextlib.nullcontext()

    def text_drawn(self, tx) -> None:
        pass


UNTAGGED = Untagged()  # (it holds nothing)


class Tagger(Untagged):
    """What tagging writes and records while one document's pages are drawn (the canvas's ``rg_tagger``).

    What ``ua.write_tagged_file`` writes the file from: ``pages``, what each
    page's marked content holds; ``annots``, for each page, the node holding
    each of its link annotations, in the order the page lists them (None:
    held by none); ``standard`` ("ua-1", "a-2b", "a-3b") and ``lang``, what
    the file claims to be and its language.
    """

    def __init__(self, tree: Tree, standard: str = "ua-1", lang: str = "en"):
        self.tree = tree
        self.standard = standard
        self.lang = lang
        self.pages: dict[int, PageContent] = {}  # page index -> its sequences' owners
        self.annots: dict[int, list[int | None]] = {}  # page index -> the Link node id of each annotation
        self.notes: dict[int, Node] = {}  # footnote number -> its Note (made where its mark is drawn)
        self._stack: list[Node] = []  # the nodes open, innermost last
        self._open: dict[int, _Run] = {}  # link or span serial -> its run being drawn
        self._pending: dict[int, list[tuple[int, Node]]] = {}  # leaf id -> the links and spans (serial, node) open when a part of it ended
        self._runs: list[_Run] = []  # the link and span runs of the leaf being drawn
        self._lifted: dict[int, Node] = {}  # serial -> the Link of a link whose points ``lift_links`` took out
        self._lifted_open: dict[int, tuple[_Run, object]] = {}  # serial -> (its run, the text object) of such a link being drawn
        self._ending: tuple[int, object, int, _Run] | None = None  # (serial, text object, where, run): such a link's end, once known not to go on

    # --- what flowables draw --------------------------------------------------------------------

    def begin(self, canv, node: Node) -> None:
        """Start ``node``: what is drawn from here is its (a leaf's), or decoration (a container's), or an artifact."""
        canv.addLiteral(point("b", node))
        self._stack.append(node)
        if node.container or node.artifact:
            return
        self._runs = []
        for serial, inline in self._pending.pop(node.id, []):  # links and spans going on from its part before, outermost first
            canv.addLiteral(point("b", inline))
            self._open_run(canv, serial, inline, float("inf"))

    def open_leading(self, canv, serials: tuple[int, ...]) -> None:
        """A paragraph starts drawing: open the links and spans its text opens with (``serials``, the outermost first),
        whose points ``settle_points`` took out of its markup."""
        for serial in serials:
            parent = self._leaf(inline=True)
            if parent is None:  # in a repeated table header, or text nobody tagged
                return
            inline = self.tree.marked[serial].node(self.tree, parent)
            canv.addLiteral(point("b", inline))
            self._open_run(canv, serial, inline, float("inf"))

    def _open_run(self, canv, serial: int, inline: Node, y: float) -> None:
        """``inline`` (a Link or Span, its points' ``serial``) is open from here: its text starts on the baseline ``y``."""
        self._stack.append(inline)
        run = _Run(inline, canv.getPageNumber() - 1, y)
        self._open[serial] = run
        self._runs.append(run)

    def end(self, canv, node: Node) -> None:
        """End ``node`` (links and spans of it still open are ended here and go on in its next part)."""
        going_on: list[tuple[int, Node]] = []
        self._settle_ending()
        while self._stack and self._stack[-1] is not node and self._stack[-1].role in _IN_TEXT:
            inline = self._stack.pop()
            canv.addLiteral(point("e", inline))
            for serial, (run, _tx) in list(self._lifted_open.items()):  # (never expected: ReportLab ends each at its line's end)
                if run.node is inline:
                    del self._lifted_open[serial]
            for serial, run in list(self._open.items()):
                if run.node is inline:
                    del self._open[serial]
                    going_on.insert(0, (serial, inline))  # (innermost first off the stack: kept outermost first)
        if going_on:
            self._pending[node.id] = going_on
        top = self._stack.pop()
        if top is not node:
            raise AssertionError(f"tagging: ending {node.role} #{node.id} inside {top.role} #{top.id}")
        canv.addLiteral(point("e", node))

    @contextlib.contextmanager
    def marked(self, canv, node: Node):
        """Draw what the block draws as ``node``'s."""
        self.begin(canv, node)
        try:
            yield
        finally:
            self.end(canv, node)

    def artifact(self, canv, pagination: bool = False):
        """Return a context that draws what its block draws as an artifact: page furniture (``pagination``) or decoration."""
        return self.marked(canv, self.tree.pagination if pagination else self.tree.layout)

    def note(self, canv, number: int):
        """Return a context that draws what its block draws as footnote ``number``'s Note (made where its mark stood, else at the end)."""
        node = self.notes.get(number)
        if node is None:  # its mark was drawn in no tagged text (never expected)
            node = self.notes[number] = self.tree.add("Note", self.tree.root, elem_id=f"fn-{number}")
        return self.marked(canv, node)

    def cover_text(self, canv):
        """Return a context that draws what its block draws as a new paragraph of the cover (the Document's, when the story made no cover)."""
        return self.marked(canv, self.tree.add("P", self.tree.cover or self.tree.root))

    def _leaf(self, inline: bool = False) -> Node | None:
        """Return the leaf being drawn: the innermost open node but a Link or Span (None inside an artifact or a
        container); ``inline``: the innermost open Link or Span in it, if one is."""
        for node in reversed(self._stack):
            if node.role not in _IN_TEXT:  # (a Note being drawn, its text at the foot of the page, is a leaf)
                return None if node.artifact or node.container else node
            if inline:
                return node
        return None

    def page_finished(self, canv, code: list[str]) -> bool:
        """The page being drawn on ``canv`` is finished, its operators ``code``: return whether its points became
        marked content there (``ua_page``); when not (that reading does not expect what the page holds),
        ``page_written`` marks them in the page's bytes."""
        index = canv.getPageNumber() - 1
        marked = mark_page(code, self.tree, index)
        if marked is None:
            return False
        code[:] = marked[0]
        self.pages[index] = marked[1]
        return True

    def page_written(self, data: bytes, index: int) -> bytes:
        """Return the content ``data`` of page ``index``, which ``page_finished`` did not mark, with its points made
        marked content: read by ``ua_scan``, else (a page that does not expect either) by pikepdf's parse."""
        scanned = rewrite_bytes(data, self.tree, index)
        if scanned is None:
            from .ua_content import rewrite_stream  # pikepdf: only for a page neither reading expects (never seen)

            scanned = rewrite_stream(data, self.tree, index)
        self.pages[index] = scanned[1]
        return scanned[0]

    # --- inside a paragraph's text ------------------------------------------------------------

    def on_draw(self, canv, _kind, label: str) -> None:
        """The ``<onDraw name="rg_tag">`` callback: a link's or span's text starts ("b12") or ends ("e12") here."""
        serial = int(label[1:])
        _x, y = text_end(canv)
        self._close_lifted(canv, y)
        if label[0] == "b":
            parent = self._leaf(inline=True)  # a link in a span is the span's, a span in a link the link's
            if parent is None:  # in a repeated table header, or text nobody tagged
                return
            inline = self.tree.marked[serial].node(self.tree, parent)
            append_to_text(canv, point("b", inline))
            self._open_run(canv, serial, inline, y)
            return
        run = self._open.pop(serial, None)
        if run is None:
            return
        append_to_text(canv, point("e", run.node))
        self._stack.remove(run.node)
        run.end_y = y

    def note_mark(self, canv, number: int) -> None:
        """Footnote ``number``'s mark is drawn here: its Note stands here (the first mark, outside an artifact)."""
        leaf = self._leaf()  # (a link before the mark stopped before it: ReportLab said so at the mark's number, text)
        if leaf is None or number in self.notes:
            return
        node = self.notes[number] = self.tree.add("Note", leaf, inline=True, elem_id=f"fn-{number}")
        append_to_text(canv, point("k", node))

    def link_record(self, canv, tx, links: tuple[int | None, ...], link, what: str) -> None:
        """ReportLab's report on the text object ``tx`` of a paragraph whose link points ``lift_links`` took out
        (``compat.record_links``): the text of its ``link`` (``(n, href)``, ``links[n]`` the serial) starts ("start",
        its first piece on a line just written) or stops ("end") on the line being drawn.

        A link's start point goes before its first piece; its end point
        where it stopped, once it does not go on at the start of the next
        line (ReportLab stops every link at each line's end); a link going on
        from the part of its paragraph drawn before keeps its node.
        """
        serial = links[link[0]] if link[0] < len(links) else None
        if serial is None:
            return
        ending = self._ending
        if what == "start":
            if ending is not None and ending[0] == serial and ending[1] is tx:  # the same link, going on on the next line
                self._ending = None
                ending[3].end_y = None
                return
            self._settle_ending()
            parent = self._leaf(inline=True)
            if parent is None:  # in a repeated table header, or text nobody tagged
                return
            node = self._lifted.get(serial)
            if node is None:
                node = self._lifted[serial] = self.tree.marked[serial].node(self.tree, parent)
            code = text_operators(tx)
            code.insert(len(code) - 1, point("b", node))
            self._stack.append(node)
            run = _Run(node, canv.getPageNumber() - 1, text_baseline(tx))
            self._runs.append(run)
            self._lifted_open[serial] = (run, tx)
            return
        opened = self._lifted_open.get(serial)
        if opened is None or opened[1] is not tx:
            return
        self._settle_ending()
        opened[0].end_y = text_baseline(tx)
        self._ending = (serial, tx, len(text_operators(tx)), opened[0])

    def _settle_ending(self) -> None:
        """Write the end point of the link that stopped last (it does not go on): where it stopped."""
        ending = self._ending
        if ending is None:
            return
        self._ending = None
        serial, tx, at, run = ending
        text_operators(tx).insert(at, point("e", run.node))
        self._stack.remove(run.node)
        del self._lifted_open[serial]

    def _close_lifted(self, canv, y: float) -> None:
        """An ``<onDraw>`` point is reached: a lifted link open in its text object stopped before it (its markup holds no
        point), though ReportLab only says so at the next piece of text."""
        self._settle_ending()
        if self._lifted_open:
            tx = callback_text_object(canv)
            for serial, (run, t) in list(self._lifted_open.items()):
                if t is tx:
                    run.end_y = y
                    self._ending = (serial, t, len(text_operators(t)), run)
                    self._settle_ending()

    def text_drawn(self, tx) -> None:
        """Text object ``tx`` is written onto the page: the end point of a link that stopped in it goes in first."""
        if self._ending is not None and self._ending[1] is tx:
            self._settle_ending()

    @contextlib.contextmanager
    def whole_link(self, canv, serial: int):
        """Draw what the block draws (a paragraph that is one link's text alone, which ReportLab draws without telling
        where links start: ``compat.one_fragment_links``) as link ``serial``'s."""
        parent = self._leaf(inline=True)
        if parent is None:
            yield
            return
        node = self._lifted.get(serial)
        if node is None:
            node = self._lifted[serial] = self.tree.marked[serial].node(self.tree, parent)
        canv.addLiteral(point("b", node))
        self._stack.append(node)
        self._runs.append(_Run(node, canv.getPageNumber() - 1, float("inf")))
        try:
            yield
        finally:
            canv.addLiteral(point("e", node))
            self._stack.remove(node)

    def annotation(self, canv, href: str, rect) -> bool:
        """A link annotation to ``href`` over ``rect`` (user space) is to be added: return whether to add it, noting the
        Link that holds it.

        The Link whose text runs over that line, with that target, and has
        none of its annotations on it yet; else the last Link to ``href`` of
        the leaf being drawn (a contents entry's page number); else a new
        Link holding only the annotation, in that leaf. None inside an
        artifact (a link in a table's header row repeated on the next page):
        page furniture holds no structure element, and an annotation outside
        the structure tree is not allowed (ISO 14289-1 7.18.1), so its text is
        drawn without one.
        """
        if self._in_artifact():
            return False
        page = canv.getPageNumber() - 1
        bottom, top = min(rect[1], rect[3]), max(rect[1], rect[3])
        line = round(bottom, 1)
        node = None
        for run in self._runs:
            href_ok = run.node.href == href and run.page == page
            if href_ok and run.start_y >= bottom - _EPSILON and (run.end_y is None or run.end_y <= top + _EPSILON) and line not in run.lines:
                run.lines.add(line)
                node = run.node
                break
        if node is None:
            node = next((run.node for run in reversed(self._runs) if run.node.href == href), None)
        if node is None:
            leaf = self._leaf()
            if leaf is not None:
                node = self.tree.add("Link", leaf, inline=True, href=href, contents=href.lstrip("#"))
        self.annots.setdefault(page, []).append(node.id if node is not None else None)
        return True

    def _in_artifact(self) -> bool:
        """Return whether what is drawn now is an artifact's: the innermost open node but a Link or Span is one."""
        for node in reversed(self._stack):
            if node.role not in _IN_TEXT:
                return node.artifact
        return False


def lift_links(markup: str) -> tuple[str, tuple[int | None, ...]]:
    """Return paragraph ``markup`` without the points of each link whose text holds no other point or image, and for
    each link ReportLab's parser numbers in what is returned (its ``<a href>`` and ``<link>`` tags, in order), the
    serial of the link (``Tree.link``) whose points were taken out, or None (a link still marked by its points).

    The points of such a link are written as ReportLab draws its text
    (``Tagger.link_record``) instead: each point in the markup is a fragment
    ReportLab parses, breaks lines around and calls back (a third of what
    tagging cost a long report, most of its points being links').
    """
    out: list[str] = []
    links: list[int | None] = []
    done = 0
    for m in _LIFTABLE.finditer(markup):
        if "<onDraw" in m.group(3) or "<img" in m.group(3):
            continue  # (a span, a footnote's mark or an image in the link: its points stay)
        before = markup[done:m.start()]
        _number_links(before, links)
        links.append(int(m.group(1)))
        out += (before, m.group(2), m.group(3), "</a>")
        done = m.end()
    if not out:
        return markup, ()
    out.append(markup[done:])
    return "".join(out), tuple(links)


def _number_links(markup: str, links: list[int | None]) -> None:
    """Append a None to ``links`` for each link tag in ``markup``: ``<link>``, and ``<a>`` but an anchor (``<a name>``),
    as ReportLab's parser numbers them (``ParaParser.start_a``, ``_handle_link``)."""
    for tag in _LINK_TAG.finditer(markup):
        if tag.group(1) == "a" and any(name.lower() == "name" for name in _ATTR_NAME.findall(tag.group(2))):
            continue
        links.append(None)


def settle_points(markup: str) -> tuple[str, tuple[int, ...]]:
    """Return paragraph ``markup`` with its link and span points where they cannot change how its lines break, and
    the serials of the links and spans it opens with (the outermost first; none: it opens with plain text).

    ReportLab breaks a word too long for a line (or hyphenates it) only when
    the word's first piece is text (``Paragraph.breakLines``); a point that
    opens a word would keep a long word whole, past the edge of the page. So
    a point after white space or a line break goes before them (that white
    space, drawn as nothing, is then the link's), and the links and spans a
    paragraph opens with lose their points: the tagger opens them as the
    paragraph starts drawing (``Tagger.open_leading``, from ``Para.drawOn``), in
    whatever leaf it is drawn (a block, a table cell, a footnote).
    """
    first: list[int] = []
    lead = _LEAD.match(markup)
    while lead:
        first.append(int(lead.group(2)))
        markup = lead.group(1) + markup[lead.end():]
        lead = _LEAD.match(markup)

    out: list[str] = []
    done = 0  # (the markup before this is in ``out``)
    for point in _POINT_MARKUP.finditer(markup):
        start = _gap_start(markup, point.start(), done)
        gap = markup[start:point.start()]
        if start > 0 and gap and _BREAKING.search(gap):
            out += (markup[done:start], point.group(0), gap)
        else:
            out.append(markup[done:point.end()])
        done = point.end()
    out.append(markup[done:])
    return "".join(out), tuple(first)


def _gap_start(markup: str, end: int, floor: int) -> int:
    """Return where the white space, line breaks and markup tags (``_TAGS``) just before ``end`` in ``markup`` begin
    (``end`` when there are none), not before ``floor``.

    Read backwards, a step a character or a tag, so that a long run of white
    space costs its length once (a regex searched forwards from each of its
    characters took time in its square: 19,000 spaces before a link, 12 s). A tag ends at
    the first ">" after its "<" (``_TAGS``: markup escapes both in attribute values).
    """
    i = end
    while i > floor:
        c = markup[i - 1]
        if c.isspace():  # (what ``\s`` matches in a str pattern)
            i -= 1
            continue
        if c != ">":
            break
        k = markup.rfind("<", floor, i - 1)
        if k < 0 or not (markup.startswith("<br/>", k) and k + 5 == i or _ONE_TAG.fullmatch(markup, k, i)):
            break
        i = k
    return i


def link_points(tree: Tree, href: str, text: str) -> tuple[str, str]:
    """Return the zero-width markup that marks where the text of a link to ``href`` showing ``text`` starts, and ends."""
    return _points(tree.link(href, text))


def span_points(tree: Tree, lang: str) -> tuple[str, str]:
    """Return the zero-width markup that marks where a span of text in ``lang`` starts, and ends."""
    return _points(tree.span(lang))


def _points(serial: int) -> tuple[str, str]:
    return f'<onDraw name="{TAG_CALLBACK}" label="b{serial}"/>', f'<onDraw name="{TAG_CALLBACK}" label="e{serial}"/>'


def table_cells(tree: Tree, table: Node, rows: int, columns: int, header_rows: int) -> list[list[Node]]:
    """Return the cells, by row, of the rows made in ``table``: a THead of its first ``header_rows`` (TH, each a column's
    header) and a TBody of the rest (TD)."""
    cells: list[list[Node]] = []
    head = tree.add("THead", table) if header_rows else None
    body = tree.add("TBody", table) if rows > header_rows else None
    for r in range(rows):
        if r < header_rows:
            row = tree.add("TR", head)
            cells.append([tree.add("TH", row, attrs={"Scope": "Column"}) for _ in range(columns)])
        else:
            row = tree.add("TR", body)
            cells.append([tree.add("TD", row) for _ in range(columns)])
    return cells


class TableTagger:
    """ReportLab's ``Table(renderCB=...)`` for one table: each cell drawn as its node's.

    ``node`` (a container, opened for each part drawn: its backgrounds and
    rules are decoration) holds ``cells[row][column]``, made beforehand in
    reading order. A part after the first opens with the header rows
    again (``repeat_rows``): those are page furniture.
    """

    def __init__(self, node: Node, cells: list[list[Node]], repeat_rows: int, repeat: Node):
        self.node = node
        self.cells = cells
        self.repeat_rows = repeat_rows
        self.repeat = repeat
        self._parts = 0  # parts drawn so far
        self._next = 0  # the next data row to draw
        self._row: int | None = None  # the data row being drawn (None: a repeated header row)
        self._cell: Node | None = None

    def __call__(self, table, event: str, *args) -> None:
        tagger = getattr(table.canv, "rg_tagger", None)
        if tagger is None:
            return
        canv = table.canv
        if event == "startTable":
            self._parts += 1
            tagger.begin(canv, self.node)
        elif event == "endTable":
            tagger.end(canv, self.node)
        elif event == "startRow":
            if self._parts > 1 and args[0] < self.repeat_rows:
                self._row = None
            else:
                self._row, self._next = self._next, self._next + 1
        elif event == "startCell":
            self._cell = self.repeat if self._row is None else self.cells[self._row][args[1]]
            tagger.begin(canv, self._cell)
        elif event == "endCell":
            tagger.end(canv, self._cell)
