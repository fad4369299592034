"""What a page's marked content holds, and whose each painting operator is: shared by every way a page is marked.

Three readings put the tagger's points (``tags.point``) into marked-content
sequences, with the same owners and MCIDs: ``ua_page``, on the canvas's
operators as each page is finished (the usual way); ``ua_scan``, on a page's
bytes, once ReportLab has joined them; ``ua_content``, on pikepdf's parse of them (for a
page the other two do not expect). None of them is pikepdf but the last.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import dataclass, field

if TYPE_CHECKING:
    from .tags import Tree


LAYOUT = ("a", -1)  # what a container draws itself, or what no node holds: a layout artifact


@dataclass
class PageContent:
    """A page's content rewritten: its instructions, what its MCIDs hold, and what nothing held."""

    instructions: list = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)  # in stream order: ("mc", node id, mcid), ("kid", node id)
    untagged: list[str] = field(default_factory=list)  # the painting operators no node held (drawn as artifacts)


def owner_of(tree: Tree, stack: list[int]) -> tuple[str, int] | None:
    """Return the sequence what is painted under the open nodes ``stack`` belongs in: ("n", a leaf's id) for its
    MCIDs, ("a", an artifact's id), ("a", -1) for decoration; None under no node."""
    if not stack:
        return None
    node = tree.nodes[stack[-1]]
    if node.artifact:
        return ("a", node.id)
    if node.container:
        return LAYOUT
    return ("n", node.id)


def sequence_start(tree: Tree, key: tuple[str, int], mcid: int) -> str:
    """Return the operator that opens ``key``'s sequence (``owner_of``), a leaf's numbered ``mcid``."""
    kind, nid = key
    if kind == "a":
        props = tree.nodes[nid].props if nid >= 0 else {}
        entries = " ".join(f"/{k} /{v}" for k, v in props.items())
        return f"/Artifact <<{entries}>> BDC" if props else "/Artifact BMC"
    return f"/{tree.nodes[nid].role} <</MCID {mcid}>> BDC"
