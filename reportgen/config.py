"""Project configuration: ``reportgen.toml``, or ``[tool.reportgen]`` in ``pyproject.toml``.

Every option is typed and documented here; unknown keys and wrong types are
reported as ``file:line:col: key: what is wrong`` like outline problems. Types
are strict: ``jobs = "2"`` or ``strict = "yes"`` is an error, never coerced.
Command-line flags override the file. Paths are relative to the file's folder.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from .errors import InputError, Problem

FILES = ("reportgen.toml", "pyproject.toml")
MAX_BYTES = 1024 * 1024  # a pyproject.toml is rarely over a few KB


@dataclass(frozen=True)
class ProjectConfig:
    """The options a project can set once instead of on every command line."""

    inputs: str = "inputs"  # folder of outlines built when no path is given
    templates: str = "templates"  # folder of template packs
    build: str = "build"  # output folder
    formats: tuple[str, ...] = ("pdf", "pptx")  # pdf, pptx
    template: str = ""  # pack for outlines that name none ("" = briefing)
    jobs: int = 0  # parallel processes; 0 = one per usable CPU, never more than the outputs
    strict: bool = False  # fit and glyph warnings fail the build
    pdf_standard: str = "ua-1"  # what the PDFs claim: ua-1 (tagged, PDF/UA-1), a-2b, a-3b (tagged, PDF/A), none (untagged)
    dask: str = ""  # build renders on this Dask cluster: a scheduler's address, or local / local:N ("" = on this machine)
    root: str = "."  # the folder holding the config file (set by ``load_config``)


def _schema():
    """Return the pydantic model that checks a config file (built only when there is one)."""
    from typing import Annotated, Literal

    from pydantic import AfterValidator, BaseModel, ConfigDict, Field

    def plain(value: str) -> str:
        bad = next((c for c in value if ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or 0xD800 <= ord(c) <= 0xDFFF), None)
        if bad is not None:
            raise ValueError(f"holds the character U+{ord(bad):04X}; expected a folder or pack name without control characters")
        return value

    Name = Annotated[str, AfterValidator(plain)]

    def cluster(value: str) -> str:
        from .build.cluster import dask_target

        if value:
            dask_target(value)  # a ValueError says what is expected
        return value

    class Schema(BaseModel):
        # strict: TOML has real types, so "2", 2.0, true or "yes" are never coerced (issue 13 item 6);
        # a TOML array arrives as a Python list, which strict mode accepts for ``formats``
        model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

        inputs: Name = "inputs"
        templates: Name = "templates"
        build: Name = "build"
        formats: list[Literal["pdf", "pptx"]] = Field(default_factory=lambda: ["pdf", "pptx"], min_length=1)
        template: Name = ""
        jobs: int = Field(default=0, ge=0)
        strict: bool = False
        pdf_standard: Literal["ua-1", "a-2b", "a-3b", "none"] = "ua-1"  # (``writers.PDF_STANDARDS``)
        dask: Annotated[str, AfterValidator(plain), AfterValidator(cluster)] = ""
        root: str = "."

    return Schema


_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\s*(#.*)?$")
_KEY = re.compile(r"^(\s*)([A-Za-z0-9_\-]+)\s*=\s*")


def _marks(text: str, table: tuple[str, ...]) -> tuple[dict, dict]:
    """Return (value marks, key marks) for the keys of ``table`` in TOML ``text``."""
    values: dict = {}
    keys: dict = {}
    current: tuple[str, ...] = ()
    for n, line in enumerate(text.splitlines(), 1):
        m = _HEADER.match(line)
        if m:
            current = tuple(part.strip().strip('"') for part in m.group(1).split("."))
            if current == table:
                values[()] = (n, 1)
            continue
        m = _KEY.match(line)
        if m and current == table:
            keys[(m.group(2),)] = (n, len(m.group(1)) + 1)
            values[(m.group(2),)] = (n, m.end() + 1)
    return values, keys


def load_config(start: str = ".") -> ProjectConfig:
    """Return the project config found in folder ``start`` (defaults when there is none)."""
    for name in FILES:
        path = os.path.join(start, name)
        if not os.path.isfile(path):
            continue
        import tomllib  # here: a folder without a config file does not import it (3 ms)

        shown = os.path.relpath(path) if not os.path.isabs(start) else path
        from .safety import TooLarge, read_limited

        try:
            raw = read_limited(path, MAX_BYTES)
        except TooLarge:
            raise InputError(Problem(shown, 0, 0, f"the file is over {MAX_BYTES // 1024} KB; a project config is a few lines")) from None
        except OSError as exc:
            raise InputError(Problem(shown, 0, 0, f"cannot read the file: {exc.strerror or exc}")) from None
        try:
            text = raw.decode("utf-8")
            data = tomllib.loads(text)
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            m = re.search(r"line (\d+), column (\d+)", str(exc))
            line, col = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
            raise InputError(Problem(shown, line, col, f"not valid TOML: {str(exc).split(' (at')[0]}")) from None
        except RecursionError:
            raise InputError(Problem(shown, 0, 0, "not valid TOML for reportgen: arrays or tables nested too deeply")) from None
        if name == "pyproject.toml" and not isinstance(data.get("tool", {}), dict):
            continue
        table = ("reportgen",) if name == "reportgen.toml" else ("tool", "reportgen")
        section = data if name == "reportgen.toml" else data.get("tool", {}).get("reportgen")
        if section is None:
            continue
        if not isinstance(section, dict):
            raise InputError(Problem(shown, 0, 0, f"tool.reportgen: expected a table ([tool.reportgen]), got {type(section).__name__}"))
        from .validate import validate
        from .yamlsrc import Source

        values, keys = _marks(text, () if name == "reportgen.toml" else table)
        src = Source(shown, {**section, "root": os.path.abspath(start)}, values, keys)
        if not values:
            src.marks[()] = (1, 1)
        checked = validate(_schema(), src)
        return ProjectConfig(**{**checked.model_dump(), "formats": tuple(checked.formats)})
    return ProjectConfig(root=os.path.abspath(start))
