"""What operators, ``%`` and ``str.format``, calls and methods would make, checked before they make it.

Part of the template budget (``budget``): ``BudgetedEnvironment`` (``env``)
hands every ``*``, ``**``, ``%`` and ``+`` to ``_check_binop``, every call to
``_check_call`` (a ``str`` method to ``_check_str_method``) or, for
``str.format``, to ``_format``; ``printf_size`` also sizes ``|format``.
``_safe_range`` and ``_lipsum`` are the ``range`` and ``lipsum`` templates call.
"""

from __future__ import annotations

import math
import re
import types
from collections.abc import Mapping, Sized
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.utils import generate_lorem_ipsum
from markupsafe import Markup
from pydantic import BaseModel

from ..compat import jinja as compat
from .budget import _CONTAINERS, INT_BITS, RANGE_MAX, SMALL, Budget, BudgetExceeded, _charged, _count, _paid, current, text_size


# --- `%` and str.format -----------------------------------------------------------


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


def small_printf_size(fmt: str, values: tuple) -> int:
    """Return the size bound of the usual ``"sections[%d]" % i`` (a short format of simple fields, short
    values) when it is under ``SMALL``, else -1 (then ``printf_size`` measures it in full)."""
    if len(fmt) > 256 or (n := _printf_simple(fmt)) < 0:
        return -1
    size = len(fmt) + 432 * n
    for v in values:
        kind = type(v)
        if kind is str or kind is Markup:
            size += 10 * len(v)
        elif kind is not int and kind is not float and kind is not bool and v is not None:
            return -1
    return size if size < SMALL else -1


def printf_size(fmt: str, values: Any, b: Budget) -> int:
    """Return an upper bound on the length of ``fmt % values``, refusing a width over the limit."""
    if "%" not in fmt:
        return len(fmt)
    small = small_printf_size(fmt, values if type(values) is tuple else (values,))
    if small >= 0:
        return small
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


# --- the functions templates call ---------------------------------------------------


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

