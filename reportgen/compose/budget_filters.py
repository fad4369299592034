"""Jinja2's filters and tests, each checked against the template budget before it runs and paid for after.

Part of the template budget (``budget``): ``_budgeted_filter`` wraps a Jinja2
filter with the pre-check its kind needs (``_pre_iter`` for filters that go
through a sequence, ``_pre_text`` for those that make text about as long as
their input, ``_pre_join``, ``_pre_format``, ``_pre_small``);
``_markdown_filter`` makes ``|inline`` and ``|blocks``; ``_budgeted_test``
wraps a Jinja2 test.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sized
from typing import Any, Callable

from jinja2 import Undefined, pass_context, pass_environment, pass_eval_context
from markupsafe import Markup

from ..compat import jinja as compat
from . import budget
from .budget import MARKDOWN_MAX, SMALL, Budget, BudgetExceeded, _charged, _count, _paid, _spend_on, current, text_size
from .budget_ops import printf_size, small_printf_size

_ACTIVE = budget._ACTIVE  # assigned, not imported, so that ``_ACTIVE.get()`` stays a method call (see ``budget._ACTIVE``)

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

def _lines(s: str) -> int:
    """Return an upper bound on ``len(s.splitlines()) + 1``."""
    return 2 + sum(s.count(c) for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


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
    if type(value) is str and not kwargs and small_printf_size(value, args) >= 0:
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
        rv = convert(text, ctx.get("cites"), ctx.get("markup_memo"), ctx.get("quotes"))
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

