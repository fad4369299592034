"""Every use of Jinja2's private or internal API in reportgen, in one place.

The template budget (``reportgen.compose.env`` and ``compose.budget*``) needs a
few hooks Jinja2 does not publish: a place to rewrite a template's syntax tree
before it is compiled, the marker Jinja2 puts on filters that take a context,
the wrapper Jinja2 ≥ 3.1.5 puts around ``str.format``, the formatter the
sandbox formats with, and the attributes of a ``namespace()``. Each is used
here only, with the Jinja2 versions it was checked against (all of 3.0.0-3.1.6
and the main branch of 2025, by reading their source; 3.1.6 by running the
tests). Anything that fails to import or changes shape here should fail loudly
in ``tests/compose/test_budget.py``, not quietly lose the budget.
"""

from __future__ import annotations

import types
from typing import Any, Callable

from jinja2 import nodes
from jinja2.sandbox import SandboxedEscapeFormatter, SandboxedFormatter
from jinja2.utils import Namespace
from jinja2.visitor import NodeTransformer

# Checked against Jinja2 3.0.0-3.1.6 and main: the generated module code and the
# runtime join template pieces with these two (``jinja2.runtime.markup_join`` when
# autoescaping, ``str_join`` otherwise); ``~`` is rewritten to call them after
# its operands are measured, so its result stays exactly what Jinja2 makes.
from jinja2.runtime import markup_join, str_join

# Checked against 3.0.0-3.1.6 and main: the attribute getter filters use for
# ``attribute="a.b"`` (public name, undocumented module-level helper).
from jinja2.filters import make_attrgetter

__all__ = [
    "BudgetedCompile",
    "passes",
    "str_format_target",
    "checked_formatter",
    "namespace_attrs",
    "markup_join",
    "str_join",
    "make_attrgetter",
]


def passes(func: Callable) -> str | None:
    """Return what Jinja2 passes ``func`` first: "context", "eval_context", "environment" or None.

    Checked against 3.0.0-3.1.6 and main: ``pass_context`` and friends set the
    (undocumented) ``jinja_pass_arg`` attribute to a member of the private
    ``_PassArg`` enum, whose member names are these strings.
    """
    arg = getattr(func, "jinja_pass_arg", None)
    return None if arg is None else arg.name


def str_format_target(obj: Any) -> tuple[str, bool] | None:
    """Return ``(the format string, is_format_map)`` if calling ``obj`` formats a string.

    ``obj`` is ``str.format``/``format_map`` bound to a string, as the sandbox
    hands it out: the bound method itself (Jinja2 3.0.0-3.1.4, which checks it
    in ``SandboxedEnvironment.call``), or the wrapper that Jinja2 3.1.5, 3.1.6
    and main make in ``SandboxedEnvironment.wrap_str_format`` with
    ``functools.update_wrapper`` (so its ``__wrapped__`` is the bound method).
    """
    if type(obj) is types.FunctionType and obj.__name__ in ("format", "format_map"):
        obj = getattr(obj, "__wrapped__", None)
    if isinstance(obj, (types.BuiltinMethodType, types.MethodType)) and obj.__name__ in ("format", "format_map") and isinstance(obj.__self__, str):
        return obj.__self__, obj.__name__ == "format_map"  # str.format, or Markup.format (a Python method)
    return None


def checked_formatter(env: Any, fmt: str, before: Callable[[Any, str], None], after: Callable[[str], None], convert: Callable[[Any, str], None]):
    """Return the sandbox's formatter for ``fmt`` with budget hooks around each field.

    ``before(value, spec)`` runs before a field is formatted, ``after(text)``
    after; ``convert(value, "r")`` before a ``!r``/``!s``/``!a`` conversion.
    Checked against 3.0.0-3.1.6 and main: ``SandboxedFormatter(env)`` and
    ``SandboxedEscapeFormatter(env, escape=...)`` (used for ``Markup`` format
    strings) are the classes the sandbox itself formats with; they are public
    names but undocumented.
    """
    from markupsafe import Markup

    base = SandboxedEscapeFormatter if isinstance(fmt, Markup) else SandboxedFormatter

    class Checked(base):  # type: ignore[misc, valid-type]
        def format_field(self, value: Any, format_spec: str) -> Any:
            before(value, format_spec)
            rv = super().format_field(value, format_spec)
            after(rv)
            return rv

        def convert_field(self, value: Any, conversion: str | None) -> Any:
            if conversion:
                convert(value, conversion)
            return super().convert_field(value, conversion)

    if isinstance(fmt, Markup):
        return Checked(env, escape=fmt.escape)
    return Checked(env)


def namespace_attrs(ns: Namespace) -> dict:
    """Return the attributes of a ``namespace()`` object (its repr shows them all).

    Checked against 3.0.0-3.1.6 and main: ``Namespace`` keeps them in the
    private, name-mangled ``__attrs`` dict and lets ``_Namespace__attrs``
    through its ``__getattribute__``.
    """
    return object.__getattribute__(ns, "_Namespace__attrs")


# --- rewriting a template before it is compiled -----------------------------------

# Statements whose body runs again and again for one run of the statement that holds
# them: a loop's body per item, a macro's (or a call block's caller's) per call, a
# block's per render of it. Each such body is charged its size every time it runs.
_REPEATED = (nodes.For, nodes.Macro, nodes.CallBlock, nodes.Block)


def _cost(body: list) -> tuple[int, int]:
    """Return (nodes, characters of constant text) in ``body``, not counting repeated bodies inside."""
    count, chars = 0, 0
    todo = list(body)
    while todo:
        node = todo.pop()
        count += 1
        if isinstance(node, nodes.TemplateData):
            chars += len(node.data)
        elif isinstance(node, nodes.Const) and isinstance(node.value, str):
            chars += len(node.value)
        if isinstance(node, _REPEATED):
            # the statement itself runs here; its body is charged where it runs
            todo.extend(node.iter_child_nodes(exclude=("body", "test")))
        else:
            todo.extend(node.iter_child_nodes())
    return count, chars


def _paid_for(node: nodes.Node, text_filters: frozenset) -> bool:
    """Return whether printing ``node`` needs no measuring: constant text, the result of a filter
    that made text and paid for it, or of a call (``call`` pays for its result and measures it)."""
    if isinstance(node, (nodes.TemplateData, nodes.Call)):
        return True
    return isinstance(node, nodes.Filter) and node.name in text_filters


class _Instrument(NodeTransformer):
    def __init__(self, names: dict):
        self.names = names

    def _filter(self, name: str, node: nodes.Expr, *args: nodes.Expr, lineno: int) -> nodes.Filter:
        return nodes.Filter(node, self.names[name], list(args), [], None, None, lineno=lineno)

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        items = nodes.Tuple(list(node.nodes), "load", lineno=node.lineno)
        return self._filter("concat", items, lineno=node.lineno)

    def visit_Output(self, node: nodes.Output) -> nodes.Node:
        self.generic_visit(node)
        node.nodes = [child if _paid_for(child, self.names["text"]) else self._filter("out", child, lineno=child.lineno) for child in node.nodes]
        return node

    def visit_Compare(self, node: nodes.Compare) -> nodes.Node:
        self.generic_visit(node)
        node.expr = self._filter("scan", node.expr, lineno=node.lineno)
        for op in node.ops:
            op.expr = self._filter("scan", op.expr, lineno=node.lineno)
        return node


def _charge(names: dict, body: list, lineno: int) -> None:
    count, chars = _cost(body)
    charge = nodes.Filter(nodes.Const(count + 1, lineno=lineno), names["charge"], [nodes.Const(chars, lineno=lineno)], [], None, None, lineno=lineno)
    body.insert(0, nodes.ExprStmt(charge, lineno=lineno))


def instrument(template: nodes.Template, names: dict) -> nodes.Template:
    """Rewrite ``template`` (in place) so that running it spends from the budget.

    ``names`` maps "charge", "tick", "loop", "out", "concat" and "scan" to
    the names of filters registered on the environment, and "text" to the
    names of filters whose result is text they have paid for already:

    - a loop's iterable passes through ``loop(context, it, nodes, chars)``,
      which pays for running the body (its static size) once per item: all at
      once for a sized iterable, item by item otherwise (the loop's ``if``
      test included); a recursive loop, whose ``loop()`` calls bypass its
      iterable, instead pays at the start of its body and test, through
      ``charge(context, nodes, chars)`` and ``tick(context, 1)``;
    - every macro, call block and block body and the template's own body
      first calls ``charge``, so work and constant text are paid for every
      time they run;
    - every ``{{ value }}`` passes through ``out``, which measures it before
      it is turned into text, but for the results of calls (paid for and
      measured as they return) and of ``text`` filters;
    - ``a ~ b`` becomes ``concat(eval_ctx, (a, b))``, which measures the
      operands before joining them as Jinja2 would;
    - the operands of comparisons (``==``, ``in``, ...) pass through
      ``scan``, which pays for comparing long values.

    ``charge``, ``tick`` and ``loop`` take the context (``pass_context``), so
    the optimizer never folds them away at compile time. ExprStmt, Filter,
    Const, Tuple, And and NodeTransformer are the documented extension API of
    ``jinja2.nodes``/``jinja2.visitor``; what this relies on beyond them is
    how the code generator compiles them (an ExprStmt is run for its effect;
    a context filter is called at run time, a plain one on constants may be
    called at compile time), checked against 3.0.0-3.1.6 and main.
    """
    _Instrument(names).visit(template)
    for node in list(template.find_all(_REPEATED)):
        if isinstance(node, nodes.For) and not node.recursive:
            count, chars = _cost(node.body)
            ln = node.lineno
            node.iter = nodes.Filter(node.iter, names["loop"], [nodes.Const(count + 1 + (node.test is not None), lineno=ln), nodes.Const(chars, lineno=ln)], [], None, None, lineno=ln)
            continue
        if isinstance(node, nodes.For) and node.test is not None:
            tick = nodes.Filter(nodes.Const(1, lineno=node.lineno), names["tick"], [], [], None, None, lineno=node.lineno)
            node.test = nodes.And(tick, node.test, lineno=node.lineno)
        _charge(names, node.body, node.lineno)
    first = template.body[0].lineno if template.body else 1
    _charge(names, template.body, first)
    return template


class BudgetedCompile:
    """Environment mixin: instrument every template (see ``instrument``) before it is compiled.

    Checked against 3.0.0-3.1.6 and main: ``Environment._generate(source,
    name, filename, defer_init=False)`` is the private step between parsing
    (``_parse``) and compiling to Python, called by ``Environment.compile``
    for every template loaded; ``env.parse()`` (used by ``reportgen.deps``)
    does not go through it.
    """

    budget_filter_names: dict = {}
    KEPT_TREES = 64  # parsed templates kept for their compiling (a pack has a handful)

    def parse_once(self, source: str) -> nodes.Template:
        """Return ``source`` parsed (as the public ``parse`` does), the tree kept for compiling the same source next.

        ``reportgen.deps`` reads which templates a template names before
        composing compiles it: ``_parse``, the step ``Environment.compile``
        takes from a template's source to its tree (checked against 3.0.0-3.1.6
        and main), then takes the kept tree instead of parsing the source again.
        The tree is only read here; compiling instruments it in place, once.
        """
        tree = super()._parse(source, None, None)  # type: ignore[misc]
        kept = self.__dict__.setdefault("_rg_kept", {})
        if len(kept) >= self.KEPT_TREES:
            kept.clear()
        kept[source] = tree
        return tree

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = self.__dict__.get("_rg_kept", {}).pop(source, None)
        return tree if tree is not None else super()._parse(source, name, filename)  # type: ignore[misc]

    def _generate(self, source: nodes.Template, name: str | None, filename: str | None, defer_init: bool = False) -> str:
        instrument(source, self.budget_filter_names)
        return super()._generate(source, name, filename, defer_init=defer_init)  # type: ignore[misc]
