"""The one rule for link targets: what may become a click action in a document others open.

Every link, from any source (a Markdown link or autolink in outline text,
``sources[].url``, a template's ``<a href>``), passes ``link_problem`` before
it reaches the document tree, and the writers check it again before they
write an action. Only these become links:

- ``http://`` and ``https://`` addresses with a host;
- ``mailto:`` addresses;
- internal anchors, ``#section-id``.

``www.example.org/page`` is read as ``https://www.example.org/page``
(``normalise``). Anything else (``javascript:``, ``file:``, ``data:``,
``vbscript:``, ``smb:``, ``pdf:``, ReportLab's ``document:``, UNC paths
``\\\\host\\share`` and ``//host/share``, relative paths that a viewer would
open from the disk) is refused: a located error in the outline or the
template, never plain text silently, never a link. No third-party import.
"""

from __future__ import annotations

import re

SCHEMES = ("http", "https", "mailto")
ANCHOR = re.compile(r"^#[A-Za-z0-9_.:-]+$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# ASCII controls, white space, backslash, and the characters that have no business in an address
_BAD = re.compile(r"[\x00-\x20\x7f-\x9f\\\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\ufff9-\ufffb]")
_HOST = re.compile(r"^//([^/?#@]*@)?(\[[0-9A-Fa-f:.]+\]|[^/?#:@\[\]]+)(:\d{1,5})?(?=[/?#]|$)")
MAX_LENGTH = 2000
EXPECTED = "expected an http:// or https:// address, a mailto: address, or #section-id"


def normalise(href: str) -> str:
    """Return ``href`` as the document will carry it: outer white space dropped, ``www.…`` made ``https://www.…``."""
    href = href.strip(" \t\r\n")
    if href[:4].lower() == "www.":
        return "https://" + href
    return href


def shown(href: str) -> str:
    """Return the address ``href`` as a document prints it (a link showing its own address):
    a ``mailto:`` link as the address alone (no scheme, no ``?subject=…``), any other as it is."""
    if href[:7].lower() == "mailto:":
        return href[7:].split("?", 1)[0]
    return href


def link_problem(href: str) -> str | None:
    """Return why ``href`` may not become a link (one phrase, saying what was expected), or None if it may.

    ``href`` is taken as the document would carry it (see ``normalise``);
    "" is no link at all and is allowed (the text stays plain).
    """
    if href == "":
        return None
    shown = href if len(href) <= 60 else href[:57] + "..."
    if len(href) > MAX_LENGTH:
        return f"link target of {len(href):,} characters is over the {MAX_LENGTH:,} allowed; {EXPECTED}"
    if href.startswith("#"):
        if ANCHOR.match(href):
            return None
        return f"internal link {shown!r} is not a section id (letters, digits, '_', '.', ':' and '-' only); {EXPECTED}"
    bad = _BAD.search(href)
    if bad:
        ch = bad.group()
        what = "a backslash" if ch == "\\" else "white space" if ch.isspace() or ch == "\u00a0" else f"character U+{ord(ch):04X}"
        return f"link target {shown!r} holds {what}; {EXPECTED}"
    m = _SCHEME.match(href)
    if m is None:
        if href.startswith("//"):
            return f"link target {shown!r} names no scheme (a network path); {EXPECTED}"
        return f"link target {shown!r} is a relative path, which a viewer would open from the disk; {EXPECTED}"
    scheme = m.group(1).lower()
    if scheme not in SCHEMES:
        return f"link scheme '{scheme}:' is not allowed in {shown!r}; {EXPECTED}"
    rest = href[m.end():]
    if scheme == "mailto":
        if not rest or rest.startswith("/"):
            return f"mailto link {shown!r} names no address; {EXPECTED}"
        return None
    host = _HOST.match(rest)
    if host is None or not host.group(2).strip("."):
        return f"{scheme} link {shown!r} names no host (expected {scheme}://host/...); {EXPECTED}"
    if host.group(3) and not 0 < int(host.group(3)[1:]) <= 65535:
        return f"{scheme} link {shown!r} names port {host.group(3)[1:]} (expected 1 to 65535); {EXPECTED}"
    return None


def is_safe(href: str) -> bool:
    """Return True if ``href`` may be written into a document as a link (the writers' last check)."""
    return href != "" and link_problem(href) is None
