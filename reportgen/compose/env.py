"""The Jinja2 environment of a pack: sandboxed, autoescaped, strict — and budgeted.

A pack is hostile input, so rendering one is bounded in time and memory
(issue 11): a render has a ``Budget`` of

- **work**: loop iterations, calls, filters, tests and operators, each charged
  as it runs (a loop's or macro's body its size every time it runs; scanning a
  long text one step per 64 characters);
- **memory**: every text and list a template makes is counted before it is
  made where its size can be known (``'x' * n``, ``~``, ``%``, ``center``,
  ``format``, ``join``, ``replace``, slicing, ...) and after otherwise, and no
  single value may be larger than the largest document;
- **output**: the characters the template yields;

plus fixed limits on ``range()`` sizes, integer sizes and nesting depth. The
limits scale with the outline (see ``Limits``): measured on the largest
outline the loader accepts with the bundled pack, with a margin of several
times. A template over a limit stops with ``BudgetExceeded`` ("template budget
exceeded: ... (the limit is ...)") at the template line that overspent.

The parts that need Jinja2's internals (rewriting templates before they are
compiled, ``str.format`` wrappers, ``namespace`` contents) live in
``reportgen.compat.jinja``; this module uses Jinja2's public sandbox hooks
(``call``, ``call_binop``, ``getitem``, ``finalize``, filters, tests, globals).
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import types
from collections.abc import ItemsView, Iterator, KeysView, Mapping, Sized, ValuesView
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Any, Callable

from jinja2 import FileSystemLoader, StrictUndefined, TemplateNotFound, Undefined, pass_context, pass_environment, pass_eval_context
from jinja2.filters import FILTERS
from jinja2.runtime import Macro
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.tests import TESTS
from jinja2.utils import Namespace, generate_lorem_ipsum
from markupsafe import Markup
from pydantic import BaseModel

from .. import markup
from ..compat import jinja as compat
from ..loader import MAX_BODY


class PackLoader(FileSystemLoader):
    """Load templates from one pack folder only: a name or symlink leading outside is not found."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        root = os.path.realpath(self.searchpath[0])
        if not os.path.realpath(filename).startswith(root + os.sep):
            raise TemplateNotFound(f"{template} (it leads outside the pack folder)")
        return source, filename, uptodate


# --- the budget -------------------------------------------------------------------


class BudgetExceeded(Exception):
    """A template went over its budget; ``str()`` is the whole message."""

    def __init__(self, what: str, limit: str):
        super().__init__(f"template budget exceeded: {what} (the limit is {limit})")


SMALL = 4096  # a text or list this small is checked no further than against the memory left
RANGE_MAX = 100_000  # items in one range() (Jinja2's own sandbox limit)
INT_BITS = 256  # bits in an integer a template computes (about 77 digits)
DEPTH_MAX = 100  # levels of a value printed (calls nested too deep end in Python's RecursionError, reported as a budget)
MARKDOWN_MAX = 2 * MAX_BODY  # characters one |inline or |blocks parses (an outline field holds at most MAX_BODY)


@dataclass(frozen=True)
class Limits:
    """The budget of one render.

    The base limits are what any outline gets: ample for a pack that wraps a
    small outline in pages of boilerplate (the summit briefing spends under 1%
    of them), and small enough that a hostile template stops within about a
    second of CPU and some tens of MB. An outline with more values and text
    gets more, in proportion (``scaled``, asked only when the base runs out).

    Measured with the bundled pack: on an outline at all the loader's limits at
    once (2,000 sections, 20,000 points, 500 tables of 100,000 cells, 500
    charts of 50,000 values, 5,000 sources, 5,000,000 characters; 287,711 YAML
    values) the report and the deck each spend at most 3.6 M steps, 38 M
    memory units and 8.5 M characters of output, and on 25 bodies of 200,000
    characters 1.3 M steps, 20 M units and 5 M characters; the scaled limits
    are 5-7 times that (``tests/compose/test_budget.py`` checks a margin).
    """

    work: int = 1_000_000  # steps
    memory: int = 32_000_000  # units: a character of text is 1, a list item 8
    value: int = 8_000_000  # characters in one text (a list: value // 8 items)
    output: int = 8_000_000  # characters the template yields

    @classmethod
    def scaled(cls, values: int, chars: int) -> "Limits":
        """Return the limits for an outline of ``values`` YAML values holding ``chars`` characters of text."""
        base = cls()
        return cls(
            work=base.work + 40 * values + 3 * chars // 2,
            memory=base.memory + 250 * values + 16 * chars,
            value=base.value + 48 * values + 4 * chars,
            output=base.output + 48 * values + 4 * chars,
        )


class Budget:
    """What one render may still spend; raises ``BudgetExceeded`` when it runs out.

    ``size`` (optional) returns the outline's (values, characters); it is asked
    only when the base limits run out, to grow them once to the outline's.
    """

    __slots__ = ("work", "memory", "limits", "_size")

    def __init__(self, size: Callable[[], tuple[int, int]] | None = None, limits: Limits | None = None):
        self.limits = limits or Limits()
        self.work = self.limits.work  # left to spend
        self.memory = self.limits.memory
        self._size = size

    @contextlib.contextmanager
    def active(self):
        """Make this the budget templates spend from, in this thread or task."""
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            _ACTIVE.reset(token)

    def grow(self) -> bool:
        """Raise the limits to the outline's, once; return whether they grew."""
        if self._size is None:
            return False
        size, self._size = self._size, None
        new = Limits.scaled(*size())
        old = self.limits
        self.work += new.work - old.work
        self.memory += new.memory - old.memory
        self.limits = new
        return True

    def spend(self, steps: int) -> None:
        self.work -= steps
        if self.work < 0:
            self.out_of_work()

    def out_of_work(self) -> None:
        if not (self.grow() and self.work >= 0):
            raise BudgetExceeded("too many steps of work: loop iterations, calls, filters and operations", f"{self.limits.work:,} steps")

    def take(self, units: int) -> None:
        self.memory -= units
        if self.memory < 0:
            self.out_of_memory()

    def out_of_memory(self) -> None:
        if not (self.grow() and self.memory >= 0):
            raise BudgetExceeded("the templates made too much text and lists in all", f"{self.limits.memory:,} characters, a list item counting 8")

    def check(self) -> None:
        if self.work < 0:
            self.out_of_work()
        if self.memory < 0:
            self.out_of_memory()

    def allow(self, size: int, what: str, unit: str = "characters") -> None:
        """Refuse making a text of ``size`` characters (a list of ``size`` items) over the limits."""
        if size < SMALL and 8 * size < self.memory:
            return
        if size > self.limit_for(unit) and not (self.grow() and size <= self.limit_for(unit)):
            raise BudgetExceeded(f"{what} would make {'a text' if unit == 'characters' else 'a list'} of {size:,} {unit}", f"{self.limit_for(unit):,} {unit}")
        if (size if unit == "characters" else 8 * size) > self.memory:
            self.grow()
            if (size if unit == "characters" else 8 * size) > self.memory:
                self.memory = -1
                self.out_of_memory()

    def past(self, size: int) -> bool:
        """Return whether a text of ``size`` characters is past the largest allowed (growing the limits first)."""
        return size > self.limits.value and not (self.grow() and size <= self.limits.value)

    def limit_for(self, unit: str) -> int:
        return self.limits.value if unit == "characters" else self.limits.value // 8

    def text(self, size: int, what: str) -> None:
        """Refuse making a text of ``size`` characters over the limits; else pay for it."""
        self.allow(size, what)
        self.take(size)

    def items(self, count: int, what: str) -> None:
        """Refuse making a list of ``count`` items over the limits; else pay for it."""
        self.allow(count, what, "items")
        self.take(8 * count)

    def peak(self, units: int, what: str) -> None:
        """Refuse a step that needs ``units`` of scratch memory at once (not kept) over the limit."""
        if units > 8 * self.limits.value and not (self.grow() and units <= 8 * self.limits.value):
            raise BudgetExceeded(f"{what} would need about {units:,} units of memory at once", f"{8 * self.limits.value:,}")


_ACTIVE: ContextVar[Budget | None] = ContextVar("reportgen_template_budget", default=None)


def current() -> Budget:
    """Return the budget being spent; outside a render, a fresh one (so sizes are still checked)."""
    b = _ACTIVE.get()
    return b if b is not None else Budget()


def budget_for(data: object) -> Budget:
    """Return a budget for rendering the outline whose plain YAML data is ``data``."""
    return Budget(size=lambda: data_size(data))


def data_size(data: object) -> tuple[int, int]:
    """Return (values, characters of text) in plain YAML ``data``."""
    values = chars = 0
    todo = [data]
    while todo:
        v = todo.pop()
        values += 1
        if isinstance(v, str):
            chars += len(v)
        elif isinstance(v, dict):
            todo.extend(v.values())
            values += len(v)  # the keys
            chars += sum(len(k) for k in v if isinstance(k, str))
        elif isinstance(v, list):
            todo.extend(v)
    return values, chars


def render(template, budget: Budget, context: dict) -> str:
    """Return ``template`` rendered with ``context`` within ``budget`` (which must be active).

    The output is counted 64 pieces at a time (a loop per piece would cost
    as much as the rest of the budget's bookkeeping); over the limit, the
    error is raised inside the template, where it was making its output.
    """
    out: list[str] = []
    made = 0
    gen = template.generate(context)
    while True:
        batch = list(islice(gen, 64))
        if not batch:
            return "".join(out)
        made += sum(map(len, batch))
        if made > budget.limits.output and not (budget.grow() and made <= budget.limits.output):
            error = BudgetExceeded("the output is too long", f"{budget.limits.output:,} characters")
            if len(batch) == 64:  # the template is still running: raise it there, so the message names a line
                gen.throw(error)
            raise error
        out += batch


# --- sizes ------------------------------------------------------------------------

_CONTAINERS = (list, tuple, dict, set, frozenset, KeysView, ValuesView, ItemsView)


def text_size(value: Any, b: Budget, mode: str = "str", indent: int = 0, depth: int = 0, memo: dict | None = None, what: str | None = None) -> int:
    """Return an upper bound on the length of ``value`` as text, without making it.

    ``mode``: "str" (``str(value)``), "repr" (inside a container) or "json"
    (``tojson``); ``indent``: spaces per level (pretty printing). Walking a
    container costs a step per item; a walk stops early once past the
    largest text allowed: with ``what``, refusing it as ``what``, else
    returning the size so far (more than any limit). An object of another kind
    (the outline, a macro) cannot hold what a template made, so its text is
    bounded by the input: it is made once and measured.
    """
    if isinstance(value, str):
        n = len(value)
        if mode == "str":
            return n
        if mode == "json":
            return 12 * n + 2  # \uXXXX and surrogate pairs
        return (4 if value.isascii() else 10) * n + 2  # \x00 ... \U0001f600
    if isinstance(value, (bytes, bytearray)):
        return 4 * len(value) + 3
    if value is None or isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return value.bit_length() * 10 // 33 + 2
    if isinstance(value, float):
        return 24
    if isinstance(value, Undefined):
        return 0
    if depth >= DEPTH_MAX:
        raise BudgetExceeded(f"a value nested more than {DEPTH_MAX} levels deep", f"{DEPTH_MAX} levels")
    memo = {} if memo is None else memo  # an object met again (``[x] * 1000``) is measured once
    if isinstance(value, Namespace):
        return 13 + text_size(compat.namespace_attrs(value), b, "repr" if mode == "str" else mode, indent, depth + 1, memo, what)
    if isinstance(value, _CONTAINERS):
        inner = "repr" if mode == "str" else mode
        b.spend(1 + len(value))
        pad = indent * (depth + 1) + 1 if indent else 0
        total = 16  # brackets, a view's or named tuple's name
        pairs = value.items() if isinstance(value, Mapping) else value
        for item in pairs:
            if isinstance(value, (Mapping, ItemsView)):
                k, v = item
                total += text_size(k, b, inner, indent, depth + 1, memo, what) + text_size(v, b, inner, indent, depth + 1, memo, what) + 4 + pad
            else:
                total += text_size(item, b, inner, indent, depth + 1, memo, what) + 2 + pad
            if b.past(total):
                if what:
                    raise BudgetExceeded(f"{what} would make a text of more than {b.limits.value:,} characters", f"{b.limits.value:,} characters")
                return total
        return total
    key = id(value)
    if key not in memo:
        text = str(value) if mode == "str" else repr(value)
        b.spend(1 + (len(text) >> 6))
        memo[key] = len(text)
    return memo[key]


def _spend_on(b: Budget, value: Any) -> None:
    """Pay for scanning ``value``: a step per 64 characters of text, per item of a container."""
    if isinstance(value, str):
        b.spend(1 + (len(value) >> 6))
    elif isinstance(value, _CONTAINERS):
        b.spend(1 + len(value))
    else:
        b.spend(1)


def _paid(b: Budget, rv: Any) -> Any:
    """Pay for a result just made (a text its length, a list 8 a item) and return it."""
    if isinstance(rv, str):
        b.take(len(rv))
    elif isinstance(rv, (list, tuple, dict, set, frozenset)):
        b.take(8 * len(rv))
    return rv


def _count(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return default


def _lines(s: str) -> int:
    """Return an upper bound on ``len(s.splitlines()) + 1``."""
    return 2 + sum(s.count(c) for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _width(spec: str, b: Budget, what: str) -> int:
    """Return the largest number in a format spec (a width or precision), refusing one over the limit."""
    w = max((int(d) for d in re.findall(r"\d+", spec)), default=0) if spec else 0
    if w > b.limits.value:
        b.allow(w, what)
    return w


_PRINTF = re.compile(r"%(?:\(([^)]*)\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.?)", re.S)


def _printf_fields(fmt: str) -> tuple[tuple, ...]:
    """Return the conversions of printf-style ``fmt``: (key, width, precision, conversion) each."""
    return tuple(m.groups() for m in _PRINTF.finditer(fmt) if m.group(4) != "%")


_SIMPLE: dict[str, int] = {}  # format → what _printf_simple says (short formats only; cleared when large)


def _printf_simple(fmt: str) -> int:
    """Return the number of conversions of ``fmt`` if all are positional with widths under 100, else -1."""
    n = _SIMPLE.get(fmt)
    if n is None:
        fields = _printf_fields(fmt)
        bad = any(key is not None or width == "*" or precision == "*" or len(width or "") > 2 or len(precision or "") > 2 for key, width, precision, _c in fields)
        n = -1 if bad else len(fields)
        if len(_SIMPLE) > 1024:
            _SIMPLE.clear()
        _SIMPLE[fmt] = n
    return n


def printf_size(fmt: str, values: Any, b: Budget) -> int:
    """Return an upper bound on the length of ``fmt % values``, refusing a width over the limit."""
    if "%" not in fmt:
        return len(fmt)
    if len(fmt) <= 256 and (n := _printf_simple(fmt)) >= 0:  # the usual "sections[%d]" % i: short fields, short values
        size = len(fmt) + 432 * n
        for v in values if type(values) is tuple else (values,):
            kind = type(v)
            if kind is str or kind is Markup:
                size += 10 * len(v)
            elif kind is not int and kind is not float and kind is not bool and v is not None:
                break
        else:
            if size < SMALL:
                return size
    positional = values if isinstance(values, tuple) else (values,)
    mapping = values if hasattr(values, "__getitem__") and not isinstance(values, (tuple, str)) else None
    size, i = len(fmt), 0

    def star(spec: str | None) -> int:
        nonlocal i
        if not spec:
            return 0
        if spec == "*":
            v = positional[i] if i < len(positional) else 0
            i += 1
            n = _count(v)
        else:
            n = int(spec)
        if n > b.limits.value:
            b.allow(n, "`%` formatting with a width of " + f"{n:,}")
        return max(n, 0)

    for key, width, precision, conv in _printf_fields(fmt):
        if conv == "%":
            continue
        w, p = star(width), star(precision)
        if key is not None:
            try:
                v = mapping[key] if mapping is not None else None
            except Exception:  # Python reports it when it formats
                v = None
        else:
            v = positional[i] if i < len(positional) else None
            i += 1
        if conv in ("s", "r", "a"):
            n = text_size(v, b, "str" if conv == "s" else "repr", what="`%` formatting")
        elif conv in ("e", "E", "f", "F", "g", "G"):
            n = 330 + p
        elif isinstance(v, float):  # d i o u x X c: a number's digits
            n = 330
        elif isinstance(v, int):
            n = v.bit_length() // 2 + 4  # octal digits, the most of d i o u x X
        else:
            n = 8
        size += max(w, n, p) + 2
        if b.past(size):
            break
    return size


def _format(env, b: Budget, fmt: str, args: tuple, kwargs: dict, is_map: bool) -> str:
    """``fmt.format(*args, **kwargs)`` as the sandbox does it, each field measured before it is made."""
    if is_map:
        if kwargs or len(args) != 1:
            raise TypeError("format_map() takes exactly one positional argument")
        kwargs, args = args[0], ()
    made = [len(fmt)]
    what = "format()"

    def before(value: Any, spec: str) -> None:
        size = max(_width(spec, b, what), text_size(value, b, what=what) * (5 if isinstance(fmt, Markup) else 1)) + 400
        if made[0] + size > b.limits.value:
            b.allow(made[0] + size, what)

    def after(text: str) -> None:
        made[0] += len(text)
        b.take(len(text))

    def convert(value: Any, conversion: str) -> None:
        size = text_size(value, b, "str" if conversion == "s" else "repr", what=what)
        if made[0] + size > b.limits.value:
            b.allow(made[0] + size, what)

    b.spend(1 + (len(fmt) >> 6))
    formatter = compat.checked_formatter(env, fmt, before, after, convert)
    return type(fmt)(formatter.vformat(fmt, args, kwargs))


# --- operators, calls, subscripts ------------------------------------------------------


def _check_binop(b: Budget, op: str, left: Any, right: Any) -> None:
    if op == "*":
        if isinstance(right, int) and isinstance(left, (str, bytes, list, tuple)):
            seq, n = left, right
        elif isinstance(left, int) and isinstance(right, (str, bytes, list, tuple)):
            seq, n = right, left
        else:
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > INT_BITS:
                _too_many_bits("`*`", left.bit_length() + right.bit_length())
            return
        size = len(seq) * max(n, 0)
        if isinstance(seq, (str, bytes)):
            b.text(size, "`*`")
            b.spend(1 + (size >> 6))
        else:
            b.items(size, "`*`")
            b.spend(1 + size)
    elif op == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            bits = math.log2(abs(left)) * right
            if bits > INT_BITS:
                _too_many_bits("`**`", bits)
    elif op == "%":
        if isinstance(left, (str, bytes)):
            fmt = left.decode("latin-1") if isinstance(left, bytes) else left
            size = printf_size(fmt, right, b) * (5 if isinstance(left, Markup) else 1)
            b.text(size, "`%` formatting")
            b.spend(1 + (size >> 6))
    elif op == "+":
        if isinstance(left, (str, bytes)) and isinstance(right, (str, bytes)):
            size = len(left) + len(right) * (5 if isinstance(left, Markup) and not isinstance(right, Markup) else 1)
            b.text(size, "`+`")
            b.spend(1 + (size >> 6))
        elif isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
            size = len(left) + len(right)
            b.items(size, "`+`")
            b.spend(1 + size)


def _too_many_bits(what: str, bits: float) -> None:
    raise BudgetExceeded(f"{what} would make a number of about {int(bits):,} bits", f"{INT_BITS} bits")


# str (and bytes, Markup) methods that make something larger than what they are given
_CASE = {"upper", "lower", "title", "capitalize", "swapcase", "casefold"}  # 'ß'.upper() == 'SS', up to 3 characters
_SPLIT = {"split", "rsplit", "splitlines", "partition", "rpartition"}


def _check_str_method(b: Budget, s: str | bytes, name: str, args: tuple, kwargs: dict) -> tuple:
    """Check a call of method ``name`` of ``s``; return its args (an iterator to join: as a list)."""
    n = len(s)
    b.spend(1 + (n >> 6))
    what = f"{type(s).__name__}.{name}()"

    def arg(i: int, key: str, default: Any = None) -> Any:
        return args[i] if len(args) > i else kwargs.get(key, default)

    if name in ("center", "ljust", "rjust", "zfill"):
        b.allow(max(n, _count(arg(0, "width"))), what)
    elif name == "expandtabs":
        tab = s.count("\t" if isinstance(s, str) else b"\t")
        b.allow(n + tab * max(_count(arg(0, "tabsize", 8), 8), 0), what)
    elif name == "replace":
        old, new, count = arg(0, "old", ""), arg(1, "new", ""), _count(arg(2, "count", -1), -1)
        if isinstance(old, (str, bytes)) and isinstance(new, (str, bytes)):
            b.spend(1 + ((len(old) + len(new)) >> 6))
            hits = s.count(old) if old else n + 1
            if count >= 0:
                hits = min(hits, count)
            b.allow(n + hits * max(len(new) - len(old), 0), what)
    elif name == "join" and args:
        items = args[0]
        if not isinstance(items, (str, bytes)):
            items = list(_charged(b, items)) if not isinstance(items, Sized) else items
            b.spend(1 + len(items))
            args = (items, *args[1:])
            total = n * max(len(items) - 1, 0)
            for item in items:
                total += text_size(item, b) if isinstance(item, (str, bytes)) or hasattr(item, "__html__") else 0
                if b.past(total):
                    break
            b.allow(total * (5 if isinstance(s, Markup) else 1), what)
        else:
            b.allow(n * len(items) + len(items), what)
    elif name in _CASE:
        b.allow(3 * n, what)
    elif name in _SPLIT:
        b.peak(64 * (n + 1), what)
    elif name == "translate":
        table = arg(0, "table", {})
        longest = 1
        if isinstance(table, Mapping):
            b.spend(1 + len(table))
            longest = max((len(v) for v in table.values() if isinstance(v, (str, bytes))), default=1)
        b.allow(n * max(longest, 1), what)
    elif name in ("encode", "hex"):
        b.allow(4 * n, what)
    return args


def _charged(b: Budget, items: Any, steps: int = 1, chars: int = 0) -> Iterator:
    """Yield ``items``, paying ``steps`` (and ``chars``) for each."""
    for item in items:
        b.work -= steps
        b.memory -= chars
        if b.work < 0 or b.memory < 0:
            b.check()
        yield item


_PYDANTIC = frozenset(a for a in dir(BaseModel) if not a.startswith("_"))
# methods of lists, tuples, dicts and sets that go through all their items
_SCANNING = {"index", "count", "copy", "union", "intersection", "difference", "symmetric_difference", "issubset", "issuperset", "isdisjoint"}


def _check_call(env, b: Budget, obj: Any, args: tuple, kwargs: dict) -> tuple:
    """Check a call of ``obj`` before it is made; return its args (maybe materialized)."""
    kind = type(obj)
    if kind is types.BuiltinMethodType or kind is types.MethodType:
        b.spend(1)  # looking a method up in the sandbox takes time too
        owner = getattr(obj, "__self__", None)
        name = obj.__name__
        if isinstance(owner, (str, bytes)):
            return _check_str_method(b, owner, name, args, kwargs)
        elif isinstance(owner, int) and name == "to_bytes":
            length = args[0] if args else kwargs.get("length", 1)
            b.allow(_count(length), "int.to_bytes()")
        elif isinstance(owner, _CONTAINERS) and name in _SCANNING:
            b.spend(len(owner))
        elif owner is dict and name == "fromkeys" and args:
            items = args[0]
            b.spend(len(items) if isinstance(items, Sized) else 1)
            if isinstance(items, Sized):
                b.allow(len(items), "dict.fromkeys()", "items")
        elif name in _PYDANTIC and (isinstance(owner, BaseModel) or (isinstance(owner, type) and issubclass(owner, BaseModel))):
            # pydantic's own methods are not for templates: model_dump_json(indent=...) makes
            # unbounded text, model_copy copies the outline, parse_file reads files
            raise SecurityError(f"{getattr(owner, '__name__', type(owner).__name__)}.{name}() is not available to templates")
    return args


def _safe_range(*args: int) -> range:
    rng = range(*args)
    start, stop, step = rng.start, rng.stop, rng.step
    size = max(0, (stop - start + step - (1 if step > 0 else -1)) // step)
    if size > RANGE_MAX:
        raise BudgetExceeded(f"range() of {size:,} items", f"{RANGE_MAX:,} items")
    current().spend(1)
    return rng


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    b = current()
    words = _count(n) * _count(max)
    b.allow(12 * words + 16 * _count(n), "lipsum()")
    b.spend(1 + (words >> 3))
    return _paid(b, generate_lorem_ipsum(n, html, min, max))


# --- filters and tests --------------------------------------------------------------

# Filters whose result is text no longer than a factor times their input's (as text)
_TEXT = {
    "capitalize": 3, "lower": 3, "upper": 3, "title": 3, "trim": 1, "striptags": 1, "string": 1, "safe": 1,
    "e": 6, "escape": 6, "forceescape": 6, "urlencode": 12, "truncate": 1, "filesizeformat": 0,
    "center": 1, "indent": 1, "wordwrap": 2, "replace": 1, "format": 1, "urlize": 24, "wordcount": 0,
}
# ... that split their input into many pieces while they work (~64 units each)
_PIECES = {"title", "striptags", "urlize", "wordwrap", "indent"}
# Filters that go through a whole sequence at once (a step an item); those that keep a list of it
_SCAN = {"list", "sort", "dictsort", "groupby", "min", "max", "sum", "join", "slice", "reverse", "tojson", "pprint", "xmlattr", "urlencode"}
_MATERIAL = {"list", "sort", "dictsort", "groupby", "sum", "join", "slice", "reverse"}
# Filters that go through a sequence lazily, as their result is used (paid for by its user)
_LAZY = {"map", "select", "reject", "selectattr", "rejectattr", "unique", "batch", "items"}


def _pre_iter(name: str, b: Budget, env, ctx, value: Any, args: tuple, kwargs: dict) -> tuple[Any, tuple, dict]:
    """Check a filter that goes through a sequence; return its (value, args, kwargs), maybe materialized."""

    def arg(i: int, key: str, default: Any = None) -> Any:
        return args[i] if len(args) > i else kwargs.get(key, default)

    what = f"|{name}"
    b.spend(2)
    if isinstance(value, Undefined):
        pass
    elif name in _LAZY and not isinstance(value, Mapping) and hasattr(value, "__iter__"):
        value = _charged(b, value)  # paid for as its items are used
    elif isinstance(value, str):
        b.spend(1 + len(value))
        if name in _MATERIAL:
            b.peak((8 if value.isascii() else 80) * len(value), what)
    elif isinstance(value, Sized):
        b.spend(1 + len(value))
        if name in _MATERIAL:
            b.peak(8 * len(value), what)
    elif hasattr(value, "__iter__"):
        value = _charged(b, value)
    if name == "sum":
        start = arg(1, "start", 0)
        if isinstance(start, (list, tuple)):  # adding lists copies them: the work grows with the square
            items = list(value)
            attribute = arg(0, "attribute")
            if attribute is not None:
                getter = compat.make_attrgetter(env, attribute)
                items = [getter(item) for item in items]
                args, kwargs = (None, *args[1:]), {k: v for k, v in kwargs.items() if k != "attribute"}
            made, cost = len(start), 0
            for item in items:
                made += len(item) if isinstance(item, Sized) else 1
                cost += made
            b.spend(cost)
            b.allow(made, what, "items")
            return items, args, kwargs
    elif name == "batch":
        if arg(1, "fill_with") is not None:
            b.allow(_count(arg(0, "linecount")), what, "items")
    elif name == "slice":
        slices = _count(arg(0, "slices"))
        b.allow(slices, what, "items")
        b.take(64 * max(slices, 0))
        b.spend(1 + max(slices, 0))
    elif name == "tojson":
        indent = _count(arg(0, "indent"))
        b.allow(max(indent, 0), what)
        b.allow(text_size(value, b, "json", indent, what=what), what)
    elif name == "pprint":
        b.allow(text_size(value, b, "repr", 1, what=what), what)
    elif name == "xmlattr":
        b.allow(6 * text_size(value, b, what=what), what)
    elif name == "urlencode":
        b.allow(12 * text_size(value, b, what=what), what)
    return value, args, kwargs


def _pre_text(name: str, b: Budget, env, ctx, value: Any, args: tuple, kwargs: dict) -> tuple[Any, tuple, dict]:
    """Check a filter whose result is text about as long as its input (or a set width)."""

    def arg(i: int, key: str, default: Any = None) -> Any:
        return args[i] if len(args) > i else kwargs.get(key, default)

    what = f"|{name}"
    factor = _TEXT[name]
    size = len(value) if isinstance(value, str) else text_size(value, b, what=what)
    b.work -= 2 + (size >> 6)
    if b.work < 0:
        b.out_of_work()
    if name in _PIECES:
        b.peak(64 * (size + 1), what)
    if name == "center":
        b.allow(max(size, _count(arg(0, "width", 80))), what)
    elif name == "indent":
        width = arg(0, "width", 4)
        indention = len(width) if isinstance(width, str) else max(_count(width), 0)
        b.allow(indention, what)
        b.allow(size + _lines(value if isinstance(value, str) else "") * indention + indention, what)
    elif name == "wordwrap":
        wrap = arg(2, "wrapstring") or env.newline_sequence
        b.allow(size + (size + 1) * len(str(wrap)), what)
    elif name == "truncate":
        b.allow(size + len(str(arg(2, "end", "..."))), what)
    elif name == "replace":
        old, new, count = str(arg(0, "old", "")), str(arg(1, "new", "")), _count(arg(2, "count", -1), -1)
        text = value if isinstance(value, str) else ""
        hits = text.count(old) if old else size + 1
        if count >= 0:
            hits = min(hits, count)
        escaped = (hasattr(arg(0, "old"), "__html__") or hasattr(arg(1, "new"), "__html__")) and not hasattr(value, "__html__")
        b.allow(size * (5 if escaped else 1) + hits * max(len(new) - len(old), 0), what)
    elif name == "format":
        b.allow(printf_size(value if isinstance(value, str) else str(value), kwargs or args, b), what)
    elif name == "urlize":
        extra = len(str(arg(3, "target") or "")) + len(str(arg(4, "rel") or ""))
        b.allow(factor * size + (size // 2 + 1) * extra, what)
    elif factor * size > 4096:
        b.allow(factor * size, what)
    return value, args, kwargs


def _pre_format(name: str, b: Budget, env, ctx, value: Any, args: tuple, kwargs: dict) -> tuple[Any, tuple, dict]:
    """Check ``|format``: the usual ``"sections[%d]"|format(i)`` at once, anything else as a text filter."""
    if type(value) is str and len(value) <= 256 and not kwargs and (n := _printf_simple(value)) >= 0:
        size = len(value) + 432 * n
        for v in args:
            kind = type(v)
            if kind is str or kind is Markup:
                size += 10 * len(v)
            elif kind is not int and kind is not float and kind is not bool and v is not None:
                break
        else:
            if size < SMALL:
                b.work -= 2
                if b.work < 0:
                    b.out_of_work()
                return value, args, kwargs
    return _pre_text(name, b, env, ctx, value, args, kwargs)


def _pre_small(name: str, b: Budget, env, ctx, value: Any, args: tuple, kwargs: dict) -> tuple[Any, tuple, dict]:
    """Check a filter with a small result (abs, int, default, length, first, ...)."""
    if isinstance(value, str):
        b.work -= 2 + (len(value) >> 6)
        if b.work < 0:
            b.out_of_work()
    else:
        b.spend(2)
    return value, args, kwargs


def _pre_join(name: str, b: Budget, env, ctx, value: Any, args: tuple, kwargs: dict) -> tuple[Any, tuple, dict]:
    """Check ``|join``: measure the items (and what escaping them adds) before joining."""
    sep = args[0] if args else kwargs.get("d", "")
    if type(value) in (list, tuple) and len(value) < 256 and not kwargs and len(args) <= 1 and type(sep) is str and len(sep) < 256:
        size = len(sep) * len(value)  # the usual case: a short list of short texts
        for item in value:
            if type(item) is not str:
                break
            size += len(item)
        else:
            if size < SMALL:
                b.spend(2 + len(value))
                return value, args, kwargs
    seplen = text_size(sep, b, what="|join")
    if isinstance(value, str):  # joins the characters
        b.spend(1 + len(value))
        b.allow(len(value) * (1 + seplen) * (5 if hasattr(sep, "__html__") else 1), "|join")
        return value, args, kwargs
    if isinstance(value, Sized) and not isinstance(value, Undefined):
        b.spend(1 + len(value))
        b.peak(8 * len(value), "|join")
        items = list(value)
    elif hasattr(value, "__iter__") and not isinstance(value, Undefined):
        items = list(_charged(b, value))
    else:
        return value, args, kwargs
    attribute = args[1] if len(args) > 1 else kwargs.get("attribute")
    if attribute is not None:
        getter = compat.make_attrgetter(env, attribute)
        items = [getter(item) for item in items]
        args, kwargs = args[:1], {k: v for k, v in kwargs.items() if k != "attribute"}
    total, plain, markup_ = seplen * max(len(items) - 1, 0), 0, hasattr(sep, "__html__")
    for item in items:
        n = text_size(item, b, what="|join")
        total += n
        if hasattr(item, "__html__"):
            markup_ = True
        else:
            plain += n
        if b.past(total):
            break
    b.allow(total + (4 * plain if markup_ and ctx.eval_ctx.autoescape else 0), "|join")
    return items, args, kwargs


def _wordcount(s: Any) -> int:
    """``|wordcount`` without making a list of the words (Jinja2's counts ``\\w+`` matches)."""
    return sum(1 for _ in re.finditer(r"\w+", s if isinstance(s, str) else str(s)))


def _budgeted_filter(name: str, func: Callable) -> Callable:
    """Return ``func`` (a Jinja2 filter) checked against the budget before and paid for after.

    The wrapper takes the context (so the optimizer never runs it at compile
    time, where nothing pays) and passes ``func`` what it asks for.
    """
    passes = compat.passes(func)
    if name == "join":
        pre = _pre_join
    elif name == "format":
        pre = _pre_format
    elif name in _SCAN or name in _LAZY:
        pre = _pre_iter
    elif name in _TEXT:
        pre = _pre_text
    else:
        pre = _pre_small

    small = pre is _pre_small

    @pass_context
    def run(ctx, value, *args, **kwargs):
        b = _ACTIVE.get()
        if b is None:
            b = Budget()
        if small:
            b.work -= 2 + (len(value) >> 6 if type(value) is str else 0)
            if b.work < 0:
                b.out_of_work()
        else:
            value, args, kwargs = pre(name, b, ctx.environment, ctx, value, args, kwargs)
        if passes is None:
            rv = func(value, *args, **kwargs)
        elif passes == "context":
            rv = func(ctx, value, *args, **kwargs)
        elif passes == "eval_context":
            rv = func(ctx.eval_ctx, value, *args, **kwargs)
        else:
            rv = func(ctx.environment, value, *args, **kwargs)
        kind = type(rv)
        if kind is Markup or kind is str:
            b.memory -= len(rv)
            if b.memory < 0:
                b.out_of_memory()
        elif kind is not int and kind is not float and kind is not bool:
            _paid(b, rv)
        return rv

    run.__name__ = run.__qualname__ = f"budgeted_{name}"
    run.__doc__ = func.__doc__
    return run


def _markdown_filter(name: str, convert: Callable) -> Callable:
    """Return the ``|inline``/``|blocks`` filter: Markdown → markup, paid for (the hottest filters)."""

    @pass_context
    def run(ctx, text):
        b = _ACTIVE.get()
        if b is None:
            b = Budget()
        if isinstance(text, str):
            n = len(text)
            if n > 4096:
                if n > MARKDOWN_MAX:
                    raise BudgetExceeded(f"|{name} of a text of {n:,} characters", f"{MARKDOWN_MAX:,} characters")
                b.allow(8 * n, f"|{name}")
            b.work -= 2 + (n >> 2)  # parsing Markdown: slower than most
        else:
            b.spend(2 + (text_size(text, b, what=f"|{name}") >> 2))
        rv = convert(text, ctx.get("cites"), ctx.get("markup_memo"))
        b.memory -= len(rv)
        if b.work < 0 or b.memory < 0:
            b.check()
        return rv

    run.__name__ = run.__qualname__ = name
    return run


def _budgeted_test(func: Callable) -> Callable:
    """Return ``func`` (a Jinja2 test) paying for scanning its arguments."""
    passes = compat.passes(func)
    skip = 0 if passes is None else 1

    def run(*args, **kwargs):
        b = current()
        b.spend(2)  # Jinja2's own machinery around a test takes a few steps' time
        for a in args[skip:]:
            _spend_on(b, a)
        return func(*args, **kwargs)

    run.__name__ = run.__qualname__ = f"budgeted_{getattr(func, '__name__', 'test')}"
    if passes is not None:  # Jinja2 passes the test what it asked for, as before
        run = {"environment": pass_environment, "eval_context": pass_eval_context, "context": pass_context}[passes](run)
    return run


@pass_context
def _plain_cites(ctx, text: str) -> str:
    """Return plain ``text`` with ``[@id]`` as the source's number (``markup.plain_cites``)."""
    return markup.plain_cites(str(text), ctx.get("cites"))


def _plain_number(value: float) -> str:
    """Return ``6255`` for 6255.0 and ``2.5`` for 2.5 (exact, no float noise)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# the filters instrumented templates call (see ``compat.jinja.instrument``), and the filters
# whose result is text they have paid for (printed without measuring it again)
_NAMES = {
    "charge": "_rg_charge", "tick": "_rg_tick", "loop": "_rg_loop", "out": "_rg_out", "concat": "_rg_concat", "scan": "_rg_scan",
    "text": frozenset({"_rg_concat", "inline", "blocks", "number", "cites", "format", "join", "tojson", "pprint", "xmlattr", "urlencode", *(set(_TEXT) - {"wordcount"})}),
}


@pass_context
def _loop(ctx, items: Any, steps: int, chars: int) -> Any:
    """Pay for a loop over ``items`` whose body has ``steps`` nodes and ``chars`` characters of text: now, or per item."""
    b = _ACTIVE.get()
    if b is None or isinstance(items, Undefined):
        return items
    if type(items) in (list, tuple, dict, str, range, Markup):
        n = len(items)
    else:
        try:
            n = len(items)
        except TypeError:  # an iterator: pay as it goes
            return _charged(b, items, steps, chars)
    b.work -= n * steps
    b.memory -= n * chars
    if b.work < 0 or b.memory < 0:
        b.check()
    return items


@pass_context
def _charge(ctx, steps: int, chars: int) -> str:
    """Pay for running a body of ``steps`` nodes holding ``chars`` characters of constant text."""
    b = _ACTIVE.get()
    if b is not None:
        b.work -= steps
        b.memory -= chars
        if b.work < 0 or b.memory < 0:
            b.check()
    return ""


@pass_context
def _tick(ctx, steps: int) -> bool:
    """Pay for a loop test on one item."""
    b = _ACTIVE.get()
    if b is not None:
        b.work -= steps
        if b.work < 0:
            b.out_of_work()
    return True


@pass_eval_context
def _concat(eval_ctx, parts: tuple) -> str:
    """``a ~ b ~ ...``: measure the operands, then join them as Jinja2 does."""
    b = _ACTIVE.get()
    if b is None:
        b = Budget()
    size = 0
    for p in parts:  # the usual case: a few short texts and numbers
        kind = type(p)
        if kind is str or kind is Markup:
            size += len(p)
        elif kind is not int:
            break
    else:
        if size < SMALL:
            b.work -= 1
            b.memory -= 5 * size
            if b.work < 0 or b.memory < 0:
                b.check()
            return (compat.markup_join if eval_ctx.autoescape else compat.str_join)(parts)
    size, plain, markup_ = 0, 0, False
    for p in parts:
        if isinstance(p, str):
            size += len(p)
            if isinstance(p, Markup) or hasattr(p, "__html__"):
                markup_ = True
            else:
                plain += len(p)
        else:
            n = text_size(p, b, what="`~`")
            size += n
            plain += n
    if markup_:
        size += 4 * plain  # the plain parts get escaped
    b.text(size, "`~`")
    b.spend(1 + (size >> 6))
    return (compat.markup_join if eval_ctx.autoescape else compat.str_join)(parts)


def _scan(value: Any) -> Any:
    """Pay for comparing ``value`` (a step per 64 characters or per item); return it."""
    if isinstance(value, (str, *_CONTAINERS)):
        b = _ACTIVE.get()
        if b is not None:
            _spend_on(b, value)
    return value


def _out(value: Any) -> Any:
    """Pay for printing ``value`` (``{{ value }}``); refuse to make a text of it over the limit."""
    kind = type(value)
    if kind is Markup or kind is str:
        b = _ACTIVE.get()
        if b is not None:
            b.memory -= len(value)
            if b.memory < 0:
                b.out_of_memory()
        return value
    if kind is int or kind is float or kind is bool or value is None or isinstance(value, Undefined) or hasattr(value, "__html__"):
        return value
    b = current()
    size = text_size(value, b, what="printing a value")
    b.text(size, "printing a value")
    b.spend(1 + (size >> 6))
    return value


class BudgetedEnvironment(compat.BudgetedCompile, ImmutableSandboxedEnvironment):
    """The immutable sandbox, spending from the active ``Budget`` (module docstring)."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    budget_filter_names = _NAMES

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        b = current()
        b.work -= 1
        if b.work < 0:
            b.out_of_work()
        _check_binop(b, operator, left, right)
        return self.binop_table[operator](left, right)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if type(argument) is slice and isinstance(obj, (str, bytes, list, tuple)):
            b = current()
            n = len(range(*argument.indices(len(obj))))
            b.spend(1 + (n >> 6))
            b.take(n if isinstance(obj, (str, bytes)) else 8 * n)
        return super().getitem(obj, argument)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805  (names as in Jinja2's, so no keyword clashes)
        b = _ACTIVE.get()
        if b is None:
            b = Budget()
        if type(__obj) is Macro:
            b.work -= 5  # a macro call takes the time of several steps
            if b.work < 0:
                b.out_of_work()
        else:
            b.spend(1)
            target = compat.str_format_target(__obj)
            if target is not None:
                if not __self.is_safe_callable(__obj):
                    return super().call(__context, __obj, *args, **kwargs)  # the sandbox refuses it
                return _format(__self, b, target[0], args, kwargs, target[1])
            args = _check_call(__self, b, __obj, args, kwargs)
        rv = ImmutableSandboxedEnvironment.call(__self, __context, __obj, *args, **kwargs)
        kind = type(rv)
        if kind is Markup or kind is str:
            b.memory -= len(rv)
            if b.memory < 0:
                b.out_of_memory()
            return rv
        if kind is int or kind is float or kind is bool or rv is None or isinstance(rv, Undefined):
            return rv
        _out(rv)  # printing a call's result is not measured again: measure it here, as if it were printed
        return _paid(b, rv)


@lru_cache(maxsize=16)
def environment(folder: str) -> ImmutableSandboxedEnvironment:
    """Return the (cached) template environment for the pack at ``folder``."""
    env = BudgetedEnvironment(
        loader=PackLoader(folder),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,  # a pack edited while a process runs is re-read
    )
    for name, func in FILTERS.items():
        env.filters[name] = _budgeted_filter(name, func)
    env.filters["wordcount"] = _budgeted_filter("wordcount", _wordcount)
    env.filters["inline"] = _markdown_filter("inline", markup.inline)
    env.filters["blocks"] = _markdown_filter("blocks", markup.blocks)
    env.filters["number"] = _budgeted_filter("number", _plain_number)
    env.filters["cites"] = _budgeted_filter("cites", _plain_cites)
    for name, func in TESTS.items():
        env.tests[name] = _budgeted_test(func)
    env.filters[_NAMES["charge"]] = _charge
    env.filters[_NAMES["tick"]] = _tick
    env.filters[_NAMES["concat"]] = _concat
    env.filters[_NAMES["scan"]] = _scan
    env.filters[_NAMES["loop"]] = _loop
    env.filters[_NAMES["out"]] = _out
    env.globals["range"] = _safe_range
    env.globals["lipsum"] = _lipsum
    return env
