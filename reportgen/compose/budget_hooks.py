"""The filters instrumented templates call: paying for loops, bodies, ``~``, comparisons and printing.

Part of the template budget (``budget``): ``compat.jinja.instrument`` rewrites
every template to call these (under the names in ``_NAMES``), and
``BudgetedEnvironment.call`` measures a call's result with ``_out``.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Undefined, pass_context, pass_eval_context
from markupsafe import Markup

from ..compat import jinja as compat
from . import budget
from .budget import _CONTAINERS, SMALL, Budget, _charged, _spend_on, current, text_size
from .budget_filters import _TEXT

_ACTIVE = budget._ACTIVE  # assigned, not imported, so that ``_ACTIVE.get()`` stays a method call (see ``budget._ACTIVE``)

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

