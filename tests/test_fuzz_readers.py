"""Every reader is hostile territory: random bytes and random structures never make exit 1 (issue 11).

Promise: whatever the outline, the project config, a pack's theme, the
build manifest or a slide master holds, reportgen answers exit 0 (it was
fine) or exit 2 (one located line per problem), never exit 1 and never a
traceback, in bounded time. Hypothesis, fixed seed, bounded examples; each
example runs the real command line in-process.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import string
import time
import zipfile

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from reportgen.cli import main

from conftest import FIXTURES, TEMPLATES

FUZZ = settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
GOOD = "title: A brief\nsections:\n  - title: One\n    points: [a, b]\n    body: Some *text*.\n"

# Random YAML-able values: the shapes a hostile or careless file can have.
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.sampled_from(["", "~", "no", "1e308", "-1e308", "nan", ".inf", "2021-13-45", "#ZZZ", "0pt", "-5mm", "1e-308"]),
)
KEYS = st.one_of(st.sampled_from([
    "title", "sections", "points", "body", "table", "chart", "figure", "quote", "sources", "columns", "rows", "align",
    "type", "categories", "series", "values", "name", "palette", "fonts", "sizes", "page", "margins", "deck", "layouts",
    "families", "regular", "logo", "master", "footer", "marking", "inputs", "templates", "build", "formats", "template",
    "jobs", "strict", "url", "id", "path", "alt", "subsections", "summary", "date", "leading", "body_min", "chart",
]), st.text(string.ascii_letters + "_", min_size=1, max_size=12))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(KEYS, inner, max_size=6)), max_leaves=40)


def run(*argv) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    text = out.getvalue() + err.getvalue()
    assert code in (0, 2), f"exit {code}:\n{text}"
    assert "Traceback" not in text and "internal error" not in text, text
    return code, text


def dump(value) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False).encode("utf-8")


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- outlines ----------------------------------------------------------------------


@FUZZ
@given(data=st.one_of(st.binary(max_size=400), VALUES.map(dump), st.builds(lambda v: GOOD.encode() + dump({"sections": [v]})[9:], VALUES)))
def test_fuzz_outline(here, data):
    (here / "x.yaml").write_bytes(data)
    start = time.perf_counter()
    run("validate", "x.yaml", "--templates", TEMPLATES)
    assert time.perf_counter() - start < 10


# --- project config ----------------------------------------------------------------


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return repr(v) if v == v and abs(v) != float("inf") else "nan"
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v if x is not None and not isinstance(x, dict)) + "]"
    return '"x"'


@FUZZ
@given(
    which=st.sampled_from(["reportgen.toml", "pyproject.toml"]),
    data=st.one_of(st.binary(max_size=300), st.dictionaries(KEYS, VALUES, max_size=6)),
)
def test_fuzz_project_config(here, which, data):
    for name in ("reportgen.toml", "pyproject.toml"):
        if (here / name).exists():
            os.unlink(here / name)
    if isinstance(data, dict):
        body = "".join(f"{k} = {toml_value(v)}\n" for k, v in data.items() if v is not None and not isinstance(v, dict))
        text = body if which == "reportgen.toml" else "[tool.reportgen]\n" + body
        (here / which).write_text(text, encoding="utf-8")
    else:
        (here / which).write_bytes(data)
    (here / "x.yaml").write_text(GOOD)
    run("validate", "x.yaml", "--templates", TEMPLATES)


# --- themes ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def theme_text():
    with open(os.path.join(TEMPLATES, "briefing", "theme.yaml"), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def pack_with(here, theme: bytes):
    folder = here / "templates" / "mine"
    if not folder.exists():
        shutil.copytree(os.path.join(TEMPLATES, "briefing"), folder)
    (folder / "theme.yaml").write_bytes(theme)
    (here / "x.yaml").write_text(GOOD)


@FUZZ
@given(data=st.one_of(st.binary(max_size=300), VALUES.map(dump)))
def test_fuzz_theme_whole(here, data):
    pack_with(here, data)
    run("validate", "x.yaml", "-t", "mine", "--templates", str(here / "templates"))


@FUZZ
@given(path=st.sampled_from([("sizes",), ("page", "margins"), ("page",), ("palette",), ("fonts",), ("deck",), ("marking",), ("deck", "layouts")]), value=VALUES)
def test_fuzz_theme_fields(here, theme_text, path, value):
    theme = json.loads(json.dumps(theme_text))
    node = theme
    for p in path[:-1]:
        node = node[p]
    if isinstance(value, dict) and isinstance(node.get(path[-1]), dict):
        node[path[-1]] = {**node[path[-1]], **value}
    else:
        node[path[-1]] = value
    pack_with(here, dump(theme))
    run("validate", "x.yaml", "-t", "mine", "--templates", str(here / "templates"))


SIZE = st.one_of(st.floats(0, 1000, allow_nan=False), st.sampled_from([0, 4, 144, 1e308, -1, 0.0001]))


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    sizes=st.dictionaries(st.sampled_from(["body", "leading", "small", "h1", "cover_title", "deck_title", "deck_body", "deck_body_min", "deck_notes", "table", "table_min"]), SIZE, max_size=5),
    margins=st.dictionaries(st.sampled_from(["top", "bottom", "left", "right"]), st.sampled_from(["0", "0mm", "4in", "288pt", "300pt", "-1mm", "20cm", "30mm"]), max_size=3),
)
def test_fuzz_theme_values_build_or_are_refused(here, theme_text, sizes, margins):
    """Every theme the checks accept builds both documents (no broken document, no crash)."""
    theme = json.loads(json.dumps(theme_text))
    theme["sizes"].update(sizes)
    theme["page"]["margins"].update(margins)
    pack_with(here, dump(theme))
    shutil.copy(os.path.join(FIXTURES, "minimal.yaml"), here / "x.yaml")
    run("build", "x.yaml", "-t", "mine", "--templates", str(here / "templates"), "--out", "build", "--jobs", "1", "--force")


# --- the build manifest --------------------------------------------------------------


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    folder = tmp_path_factory.mktemp("manifest")
    shutil.copy(os.path.join(FIXTURES, "minimal.yaml"), folder / "x.yaml")
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        run("build", "x.yaml", "--templates", TEMPLATES, "--out", "build", "--jobs", "1")
    finally:
        os.chdir(cwd)
    return folder


@FUZZ
@given(data=st.one_of(st.binary(max_size=300), VALUES.map(lambda v: json.dumps(v, default=str).encode()), VALUES.map(lambda v: json.dumps({"format": 1, "outputs": v}, default=str).encode())))
def test_fuzz_manifest(built_once, data, monkeypatch):
    monkeypatch.chdir(built_once)
    (built_once / "build" / "reportgen-manifest.json").write_bytes(data)
    run("build", "x.yaml", "--templates", TEMPLATES, "--out", "build", "--jobs", "1")
    run("check", "x.yaml", "--templates", TEMPLATES, "--out", "build")  # 0 or 2, and now 0: it was rebuilt
    assert json.loads((built_once / "build" / "reportgen-manifest.json").read_text())["format"] == 1


# --- slide masters -----------------------------------------------------------------


@pytest.fixture(scope="module")
def master_entries():
    with zipfile.ZipFile(os.path.join(TEMPLATES, "briefing", "master.pptx")) as z:
        return [(info.filename, z.read(info.filename)) for info in z.infolist()]


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fuzz_master(here, master_entries, data):
    """Random damage to a real master (or random bytes): the deck builds, or one clear line says why."""
    entries = list(master_entries)
    action = data.draw(st.sampled_from(["bytes", "drop", "garble", "truncate", "rename"]))
    path = here / "m.pptx"
    if action == "bytes":
        path.write_bytes(data.draw(st.binary(max_size=500)))
    else:
        i = data.draw(st.integers(0, len(entries) - 1))
        name, blob = entries[i]
        if action == "drop":
            entries.pop(i)
        elif action == "garble":
            at = data.draw(st.integers(0, max(0, len(blob) - 1)))
            entries[i] = (name, blob[:at] + data.draw(st.binary(min_size=1, max_size=8)) + blob[at + 1 :])
        elif action == "truncate":
            entries[i] = (name, blob[: data.draw(st.integers(0, len(blob)))])
        else:
            entries[i] = (name + "x", blob)
        with zipfile.ZipFile(path, "w") as z:
            for n, b in entries:
                z.writestr(n, b)
    (here / "x.yaml").write_text(GOOD)
    run("build", "x.yaml", "--templates", TEMPLATES, "--master", "m.pptx", "-f", "pptx", "--out", "build", "--jobs", "1")
