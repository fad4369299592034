"""The Jinja2 environment of a pack: sandboxed, autoescaped, strict — and budgeted.

A pack is hostile input, so rendering one is bounded in time and memory
(issue 11; see ``budget``): ``environment(folder)`` is the immutable sandbox
with every filter, test and global charged to the active ``Budget``
(``budget_filters``), every operator and call checked (``budget_ops``), and
every template instrumented before it is compiled to pay for its loops,
bodies and output (``budget_hooks``). A template over a limit stops with
``BudgetExceeded`` at the template line that overspent; ``render`` renders
within a budget.

The parts that need Jinja2's internals (rewriting templates before they are
compiled, ``str.format`` wrappers, ``namespace`` contents) live in
``reportgen.compat.jinja``; these modules use Jinja2's public sandbox hooks
(``call``, ``call_binop``, ``getitem``, ``finalize``, filters, tests, globals).
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateNotFound, Undefined, pass_context
from jinja2.filters import FILTERS
from jinja2.runtime import Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.tests import TESTS
from markupsafe import Markup

from .. import markup
from ..compat import jinja as compat
from . import budget
from .budget import Budget, BudgetExceeded, _paid, budget_for, current, render
from .budget_filters import _budgeted_filter, _budgeted_test, _markdown_filter, _wordcount
from .budget_hooks import _NAMES, _charge, _concat, _loop, _out, _scan, _tick
from .budget_ops import _check_binop, _check_call, _format, _lipsum, _safe_range
from .dates import date_text

_ACTIVE = budget._ACTIVE  # assigned, not imported, so that ``_ACTIVE.get()`` stays a method call (see ``budget._ACTIVE``)

__all__ = ["BudgetExceeded", "BudgetedEnvironment", "PackLoader", "budget_for", "environment", "render"]


class PackLoader(FileSystemLoader):
    """Load templates from a pack folder (then the folder of the pack it extends) only: a name or symlink leading outside is not found."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        real = os.path.realpath(filename)
        if not any(real.startswith(os.path.realpath(root) + os.sep) for root in self.searchpath):
            raise TemplateNotFound(f"{template} (it leads outside the pack folder)")
        return source, filename, uptodate


@pass_context
def _plain_cites(ctx, text: str) -> str:
    """Return plain ``text`` with ``[@id]`` as the source's number (``markup.plain_cites``) and straight quotes made
    the language's (``markup.quoted``)."""
    return markup.quoted(markup.plain_cites(str(text), ctx.get("cites")), ctx.get("quotes"))


def _plain_number(value: float) -> str:
    """Return ``6255`` for 6255.0 and ``2.5`` for 2.5 (exact, no float noise)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class BudgetedEnvironment(compat.BudgetedCompile, ImmutableSandboxedEnvironment):
    """The immutable sandbox, spending from the active ``Budget`` (see ``budget``)."""

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
def environment(folder: str, base: str = "") -> ImmutableSandboxedEnvironment:
    """Return the (cached) template environment for the pack at ``folder`` (templates it lacks from ``base``, the pack it extends)."""
    env = BudgetedEnvironment(
        loader=PackLoader([folder, base] if base else folder),
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
    env.filters["date_text"] = _budgeted_filter("date_text", date_text)  # in the document's language (``meta.lang``)
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
