"""The template budget: what one render of a pack may spend, and the sizes it is charged by.

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

This module holds the budget itself and how values are sized; what charges
it is in ``budget_ops`` (operators, ``%`` and ``str.format``, calls and
methods), ``budget_filters`` (Jinja2's filters and tests) and
``budget_hooks`` (the filters instrumented templates call), and
``env`` makes the environment that uses them all. Names with a leading
underscore are shared by these modules only.
"""

from __future__ import annotations

import contextlib
from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from contextvars import ContextVar
from dataclasses import dataclass
from itertools import islice
from typing import Any, Callable

from jinja2 import Undefined
from jinja2.utils import Namespace

from ..compat import jinja as compat
from ..loader import MAX_BODY


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
    are 5-9 times that (``tests/compose/test_budget.py`` checks a margin). An
    outline of many small parts spends most per value: 2,000 sections of a
    title and a line each (10,005 values) cost the deck 1.55 M steps, 78% of
    its scaled 1.92 M (the deck composes each part's slides, then the rules
    that join them, per part, whatever the part holds).
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
            work=base.work + 80 * values + 3 * chars // 2,
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


# The budget templates spend from. The modules that read it bind it by assignment (``_ACTIVE =
# budget._ACTIVE``), not by ``from .budget import _ACTIVE``: CPython (3.11-3.13) compiles a method
# call on an imported name as an attribute load and a call, which makes a bound method every time,
# and ``_ACTIVE.get()`` runs on every filter, loop and print of a render.
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


def _charged(b: Budget, items: Any, steps: int = 1, chars: int = 0) -> Iterator:
    """Yield ``items``, paying ``steps`` (and ``chars``) for each."""
    for item in items:
        b.work -= steps
        b.memory -= chars
        if b.work < 0 or b.memory < 0:
            b.check()
        yield item

