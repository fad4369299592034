"""Read YAML into plain values, with the source position of every value.

Safe by construction: nodes are walked by hand, no constructor runs, so no
Python object is ever made from a tag. Plain scalars stay text exactly as
typed (``no`` stays "no", ``1.10`` stays "1.10"); only ``~``, ``null`` and an
empty value become ``None``. Numbers and booleans are made later, by the
schema, only where the schema asks for them. Duplicate keys, non-text keys,
unknown tags, too-deep nesting and alias bombs are problems with a location.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from .errors import InputError, Problem

try:  # libyaml's parser is ~10x faster; the positions it reports are the same
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

MAX_DEPTH = 64
MAX_NODES = 1_000_000  # values after aliases are expanded
MAX_BYTES = 8 * 1024 * 1024  # a file larger than this is refused before it is read

_NULLS = {"", "~", "null", "Null", "NULL"}
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")}
# C0 controls other than tab/newline/CR, DEL and C1 controls, surrogates, non-characters.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

_BREAKS = re.compile("[\t\n\r\x85\u2028\u2029]")  # allowed in text, not in a key (messages name keys on one line)
Path = tuple  # of str keys and int indexes


@dataclass
class Source:
    """A parsed YAML document: its data and where each value stood."""

    file: str
    data: object
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)  # value positions
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)  # key positions
    warnings: list[Problem] = field(default_factory=list)  # what the reader found but did not refuse (mdsource: constructs it does not keep)
    deps: list[str] = field(default_factory=list)  # files besides this one the data was read from (a bibliography), absolute
    files: dict[Path, str] = field(default_factory=dict)  # a part read from another file (a bibliography's sources[3]) → that file, for messages

    def where(self, path: Path, key: bool = False) -> tuple[int, int]:
        """Return (line, col) of ``path``, or of its nearest enclosing value."""
        table = self.key_marks if key else self.marks
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if not key and p in self.marks:
                return self.marks[p]
            p = p[:-1]
        return self.marks.get((), (1, 1))

    def problem(self, path: Path, message: str, key: bool = False) -> Problem:
        line, col = self.where(path, key)
        return Problem(self.file_of(path), line, col, message, format_path(path))

    def file_of(self, path: Path) -> str:
        """Return the file the value at ``path`` was read from: ``file``, or another one ``files`` names."""
        p = tuple(path)
        while self.files and p:
            if p in self.files:
                return self.files[p]
            p = p[:-1]
        return self.file


def format_path(path: Path) -> str:
    """Return ``sections[2].title`` for ``("sections", 2, "title")``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _pos(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def describe_char(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def parse(text: str, file: str) -> Source:
    """Return the ``Source`` of YAML ``text``; raise ``InputError`` listing every problem."""
    if not text.strip():
        raise InputError(Problem(file, 1, 1, "the file is empty (expected a mapping of outline fields)"))
    try:
        _check_depth(text, file)  # before compose: libyaml's composer recurses in C and would crash
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark else (0, 0)
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        raise InputError(Problem(file, line, col, f"YAML syntax error: {what}")) from None
    except yaml.reader.ReaderError as exc:  # a character YAML itself does not allow
        pos = exc.position
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        ch = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise InputError(Problem(file, line, col, f"character {describe_char(ch)} is not allowed in YAML (control character or non-character)")) from None
    except yaml.YAMLError as exc:
        raise InputError(Problem(file, 0, 0, "YAML error: " + " ".join(str(exc).split()))) from None
    if node is None:
        raise InputError(Problem(file, 1, 1, "the file holds no YAML document (expected a mapping of outline fields)"))
    src = Source(file, None)
    problems: list[Problem] = []
    budget = [MAX_NODES]
    src.data = _walk(node, (), 0, src, problems, budget, {})
    if problems:
        raise InputError(problems)
    return src


def _check_depth(text: str, file: str) -> None:
    """Raise ``InputError`` at the first collection nested deeper than ``MAX_DEPTH`` (a streaming scan)."""
    if text.count("[") + text.count("{") + text.count("-") + text.count(":") <= MAX_DEPTH:
        return  # too few openers to nest that deep
    depth = 0
    try:
        for ev in yaml.parse(text, Loader=_Loader):
            if isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise InputError(Problem(file, *_pos(ev.start_mark), f"nesting deeper than {MAX_DEPTH} levels"))
            elif isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # newer libyaml refuses deep nesting itself, possibly before the events reach us
        if "nesting depth" in str(exc.problem or "") and exc.problem_mark is not None:
            raise InputError(Problem(file, *_pos(exc.problem_mark), f"nesting deeper than {MAX_DEPTH} levels")) from None
        return  # any other syntax error is reported, located, by the real parse


def _walk(node, path: Path, depth: int, src: Source, problems: list[Problem], budget: list[int], seen: dict):
    """Return the plain value of ``node``; an aliased node is converted once and shared.

    ``budget`` counts values as if every alias were expanded, so an alias bomb
    is refused after a walk of its distinct nodes only.
    """
    if id(node) in seen:  # an alias: reuse the value, charge its expanded size
        value, size = seen[id(node)]
        budget[0] -= size
        if budget[0] < 0:
            raise InputError(src.problem(path, f"the document expands to over {MAX_NODES:,} values through aliases; write the values out or use fewer aliases"))
        return value
    before = budget[0]
    value = _convert(node, path, depth, src, problems, budget, seen)
    if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
        seen[id(node)] = (value, before - budget[0])
    return value


def _convert(node, path: Path, depth: int, src: Source, problems: list[Problem], budget: list[int], seen: dict):
    budget[0] -= 1
    if budget[0] < 0:
        raise InputError(src.problem(path, f"the document holds over {MAX_NODES:,} values"))
    if depth > MAX_DEPTH:
        raise InputError(Problem(src.file, *_pos(node.start_mark), f"nesting deeper than {MAX_DEPTH} levels", format_path(path)))
    src.marks[path] = _pos(node.start_mark)
    tag = node.tag
    if tag not in _ALLOWED_TAGS:
        problems.append(
            Problem(src.file, *_pos(node.start_mark), f"unsupported tag {tag.replace(_CORE, '!!')} (expected plain text, lists and mappings)", format_path(path))
        )
        return None
    if isinstance(node, yaml.ScalarNode):
        value = node.value
        if not node.style and value in _NULLS:  # plain style: None (Python parser) or "" (libyaml)
            return None
        bad = _BAD_CHARS.search(value)
        if bad:
            problems.append(
                Problem(src.file, *_pos(node.start_mark), f"character {describe_char(bad.group())} is not allowed in text (control character or non-character)", format_path(path))
            )
        return value
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, path + (i,), depth + 1, src, problems, budget, seen) for i, item in enumerate(node.value)]
    # MappingNode
    out: dict[str, object] = {}
    for knode, vnode in node.value:
        if not isinstance(knode, yaml.ScalarNode) or knode.tag not in _ALLOWED_TAGS:
            problems.append(Problem(src.file, *_pos(knode.start_mark), "a key must be plain text", format_path(path)))
            continue
        key = knode.value
        bad = _BAD_CHARS.search(key) or _BREAKS.search(key)
        if bad:
            problems.append(Problem(src.file, *_pos(knode.start_mark), f"a key must be plain text on one line; this one holds {describe_char(bad.group())} ({key[:40]!r})", format_path(path)))
            continue
        if key in out:
            first = src.key_marks.get(path + (key,), (0, 0))
            problems.append(
                Problem(src.file, *_pos(knode.start_mark), f"duplicate key '{key}' (first at line {first[0]}); each key may appear once", format_path(path))
            )
            continue
        src.key_marks[path + (key,)] = _pos(knode.start_mark)
        out[key] = _walk(vnode, path + (key,), depth + 1, src, problems, budget, seen)
    return out


def read(path: str, display: str | None = None) -> Source:
    """Return the ``Source`` of the YAML file at ``path`` (``display`` names it in messages)."""
    name = display or path
    return parse(read_text(path, name), name)


def read_text(path: str, name: str, limit: int = MAX_BYTES, advice: str = "split it into several outlines") -> str:
    """Return the text of the file at ``path``, refused (``InputError`` naming ``name``) if it is not a regular
    file, is over ``limit`` bytes (judged before it is read) or is not UTF-8."""
    from .safety import regular_file

    why = regular_file(path)
    if why:
        raise InputError(Problem(name, 0, 0, why))
    try:
        with open(path, "rb") as fh:
            raw = fh.read(limit + 1)
        if len(raw) > limit:
            raise InputError(Problem(name, 0, 0, f"the file is over {limit // 1048576} MB; {advice}"))
    except OSError as exc:
        raise InputError(Problem(name, 0, 0, f"cannot read file: {exc.strerror}")) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(Problem(name, line, col, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")) from None
    return text
