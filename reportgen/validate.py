"""Validate a parsed YAML ``Source`` into a pydantic model, every problem located.

Turns pydantic's errors into ``Problem`` lines that say what was expected and
what was received, with a "did you mean" hint for misspelt keys.
"""

from __future__ import annotations

import difflib
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem
from .yamlsrc import Source

M = TypeVar("M", bound=BaseModel)

_EXPECTED = {
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "float_parsing": "a number",
    "float_type": "a number",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "date_from_datetime_parsing": "a date as YYYY-MM-DD",
    "date_parsing": "a date as YYYY-MM-DD",
    "date_type": "a date as YYYY-MM-DD",
    "finite_number": "a finite number",
}


def describe(value: object) -> str:
    """Return a short phrase naming what ``value`` is, for 'got …' in messages."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):  # as YAML and TOML write it
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text {shown!r}"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _fields(model: type[BaseModel], loc: tuple) -> list[str]:
    """Return the field names allowed at ``loc`` (the mapping holding the bad key)."""
    current: object = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        current = _model_in(info.annotation)
    names = list(getattr(current, "model_fields", {}).keys()) if current else []
    return [n for n in names if n != "root"]  # set by reportgen, not by users


def _model_in(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found:
            return found
    return None


def message_for(err: dict, model: type[BaseModel]) -> tuple[tuple, str, bool]:
    """Return (path, message, points_at_key) for one pydantic error."""
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))
    kind = err["type"]
    got = err.get("input")
    if kind == "missing":
        return loc, "required field is missing", False
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _fields(model, loc[:-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        expected = f"; expected one of: {', '.join(allowed)}" if allowed else ""
        return loc, f"unknown field '{key}'{hint}{expected}", True
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return loc, f"expected one of {expected}, got {describe(got)}", False
    if kind in ("too_short", "too_long"):
        return loc, f"{err['msg'].lower()} (got {describe(got)})", False
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[kind]
        limit = next(iter(err.get("ctx", {}).values()), "")
        limit = f"{limit:g}" if isinstance(limit, float) else limit
        return loc, f"expected a number {sign} {limit}, got {describe(got)}", False
    if kind == "value_error":
        return loc, str(err.get("ctx", {}).get("error", err["msg"])), False
    if kind == "string_type" and got is None and loc and loc[-1] == "format":  # a chart's `format: #,##0`
        return loc, 'expected a number format, got nothing (an empty value); in YAML " #" starts a comment: quote the format, as in format: "#,##0"', False
    if kind in _EXPECTED:
        return loc, f"expected {_EXPECTED[kind]}, got {describe(got)}", False
    return loc, f"{err['msg']} (got {describe(got)})", False


def validate(model: type[M], src: Source) -> M:
    """Return ``src.data`` validated as ``model``; raise ``InputError`` with all problems."""
    if not isinstance(src.data, dict):
        raise InputError(src.problem((), f"expected a mapping of fields at the top of the file, got {describe(src.data)}"))
    try:
        return model.model_validate(src.data)
    except ValidationError as exc:
        problems: list[Problem] = []
        seen = set()
        for err in exc.errors(include_url=False):
            loc, msg, at_key = message_for(err, model)
            p = src.problem(loc, msg, key=at_key)
            if (p.line, p.col, p.path, p.message) not in seen:
                seen.add((p.line, p.col, p.path, p.message))
                problems.append(p)
        problems.sort(key=lambda p: (p.line, p.col))
        raise InputError(problems) from None
