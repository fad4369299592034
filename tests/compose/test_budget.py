"""Template budgets (issue 11, item 6): a hostile pack cannot run for ever or take gigabytes.

Each attack is a small ``report.xml.j2`` in a copy of the briefing pack, built
through the real command line in-process. It must stop with exit 2 and one
located line ``templates/mine/report.xml.j2:LINE:1: template budget exceeded:
... (the limit is ...)``, print no traceback, write nothing, and stay small in
time and memory: each runs under an alarm and an address-space cap of
``HEADROOM_MB`` more than the process had (``guarded``), so a regression fails
fast instead of hanging or swapping the machine, and the allocation-heavy
attacks are also measured in a fresh process (``ru_maxrss``).

The bundled pack must render exactly as it did without budgets, and an outline
at the loader's limits must still render within them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time

import pytest

from reportgen.cli import main

from conftest import SUMMIT, TEMPLATES

GOOD = "title: A brief\nsections:\n  - title: One\n    body: Some text.\n"
SECONDS = 6  # wall time for one refused build (they take well under 1 s on an idle machine)
HEADROOM_MB = 256  # address space one refused build may add (a larger allocation fails)
RSS_MB = 150  # resident memory one refused build may add, measured in a fresh process
LINE = 5  # the attack's line in the template below


def template(attack: str) -> str:
    """Return a report template that renders a valid report around ``attack`` (on line ``LINE``)."""
    return f"""{{# an attack on the template budget #}}
<report>
<section id="s"><title>Budget</title>
<p>Before the attack.</p>
{attack}
<p>After the attack.</p>
</section>
</report>
"""


# --- harness ------------------------------------------------------------------------


class Hung(BaseException):
    """Raised by the alarm: a BaseException, so no ``except Exception`` on the way swallows it."""


def snapshot(folder) -> dict[str, str]:
    out = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as fh:
                out[os.path.relpath(path, folder)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def _vm_bytes() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def guarded(run, seconds: float, headroom: int = HEADROOM_MB * 1024 * 1024):
    """Return ``run()``, failing after ``seconds`` or past ``headroom`` more bytes of address space.

    Without budgets these attacks run for hours or allocate gigabytes; the
    guard makes such a regression a quick failure (a ``Hung``, or a
    MemoryError that the build reports as some other error).
    """

    def alarm(signum, frame):
        raise Hung(f"still running after {seconds} s")

    old_handler = signal.signal(signal.SIGALRM, alarm)
    old_limit = resource.getrlimit(resource.RLIMIT_AS)
    limited = sys.platform.startswith("linux") and os.path.exists("/proc/self/status")
    if limited:
        cap = _vm_bytes() + headroom
        hard = old_limit[1]
        resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
    signal.setitimer(signal.ITIMER_REAL, seconds)
    hung = ""
    try:
        return run()
    except Hung as exc:  # failed below, outside this block: its traceback runs through template code
        hung = str(exc)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        if limited:
            resource.setrlimit(resource.RLIMIT_AS, old_limit)
    pytest.fail(hung, pytrace=False)


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """Build the good outline once, so imports and caches are not timed or traced."""
    folder = tmp_path_factory.mktemp("warm")
    (folder / "outline.yaml").write_text(GOOD)
    old = os.getcwd()
    os.chdir(folder)
    try:
        assert main(["build", "outline.yaml", "--templates", TEMPLATES, "--out", "build", "--jobs", "1"]) == 0
    finally:
        os.chdir(old)


@pytest.fixture
def proj(tmp_path, monkeypatch, warm):
    """A project folder (the working directory) with an outline, a copy of the pack and previous outputs."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "outline.yaml").write_text(GOOD)
    shutil.copytree(os.path.join(TEMPLATES, "briefing"), tmp_path / "templates" / "mine")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "outline.pdf").write_bytes(b"%PDF previous good report")
    (tmp_path / "build" / "outline.pptx").write_bytes(b"PK previous good deck")
    return tmp_path


def build(capsys, proj, text: str) -> tuple[int, str, float]:
    """Build ``outline.yaml`` with ``text`` as the pack's report template; return (exit, stderr, seconds)."""
    (proj / "templates" / "mine" / "report.xml.j2").write_text(text)
    argv = ["build", "outline.yaml", "--templates", str(proj / "templates"), "-t", "mine", "--out", "build", "--jobs", "1"]
    start = time.perf_counter()
    code = guarded(lambda: main(argv), SECONDS * 3)
    elapsed = time.perf_counter() - start
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err, elapsed


def refused(capsys, proj, attack: str, message: str, line: int = LINE) -> str:
    """Assert the attack stops with exit 2 and one located budget line matching ``message``; return it."""
    before = snapshot(proj / "build")
    code, err, elapsed = build(capsys, proj, template(attack))
    lines = [x for x in err.splitlines() if x.strip()]
    assert code == 2, f"exit {code}:\n{err}"
    assert len(lines) == 1, err
    where = re.escape(os.path.join("templates", "mine", "report.xml.j2"))
    assert re.fullmatch(rf"{where}:{line}:1: template budget exceeded: .+ \(the limit is [^()]+\)", lines[0]), lines[0]
    assert re.search(message, lines[0]), lines[0]
    assert snapshot(proj / "build") == before, "build/ changed"
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    return lines[0]


# --- attacks -----------------------------------------------------------------------

WORK = r"too many steps of work"
TEXT = r"would make a text of (more than )?[\d,]+ characters"
LIST = r"would make a list of [\d,]+ items"

ATTACKS = [
    # loops and recursion: the work budget
    ("nested-loops", "{% for i in range(10**5) %}{% for j in range(10**5) %}{% endfor %}{% endfor %}", WORK),
    ("loop-test-skips", "{% for i in range(10**5) %}{% for j in range(10**5) if j < 0 %}{% endfor %}{% endfor %}", WORK),
    ("macro-fan-out", "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(60) }}", WORK),
    ("macro-deep", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", r"nested too deep"),
    ("recursive-loop", "{% for x in [1, 2] recursive %}{% if loop.depth < 60 %}{{ loop([1, 2]) }}{% endif %}{% endfor %}", WORK),
    ("include-itself", "{% include 'report.xml.j2' %}", r"nested too deep"),
    ("range", "{% for i in range(10**9) %}{% endfor %}", r"range\(\) of 1,000,000,000 items"),
    ("map-over-ranges", "{% for i in range(10**5) %}{{ range(10**5)|map('string')|list|length }}{% endfor %}", WORK),
    ("select-over-ranges", "{% for i in range(10**5) %}{{ range(10**5)|select('odd')|list|length }}{% endfor %}", WORK),
    ("compare-long-texts", "{% set a = 'x' * 10**6 %}{% set b = 'x' * 10**6 %}{% for i in range(10**5) %}{% if a == b %}{% endif %}{% endfor %}", WORK),
    ("sum-of-lists", "{{ ([[1]] * 10**5)|sum(start=[])|length }}", WORK),
    # operators: checked before they compute
    ("text-times", "{{ 'x' * 10**9 }}", r"`\*` " + TEXT),
    ("list-times", "{{ [0] * 10**9 }}", r"`\*` " + LIST),
    ("power", "{{ 10**10**10 }}", r"`\*\*` would make a number of about [\d,]+ bits"),
    ("squaring", "{% set ns = namespace(n=10) %}{% for i in range(60) %}{% set ns.n = ns.n * ns.n %}{% endfor %}", r"`\*` would make a number"),
    ("percent-width", "{{ '%0999999999d' % 1 }}", r"`%` formatting with a width of 999,999,999"),
    ("tilde-doubling", "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}", r"`~` " + TEXT),
    ("plus-doubling", "{% set ns = namespace(l=[1]) %}{% for i in range(60) %}{% set ns.l = ns.l + ns.l %}{% endfor %}", r"`\+` " + LIST + "|" + WORK),
    ("block-set-doubling", "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set t %}{{ ns.s }}{{ ns.s }}{% endset %}{% set ns.s = t %}{% endfor %}", r"too much text and lists in all"),
    # filters and functions with a size or a count
    ("center", "{{ 'x'|center(10**9) }}", r"\|center " + TEXT),
    ("center-literal", "{{ 'x'|center(999999999) }}", r"\|center " + TEXT),
    ("indent", "{{ 'a\\nb'|indent(10**9) }}", r"\|indent " + TEXT),
    ("wordwrap", "{{ ('x ' * 10**6)|wordwrap(1, wrapstring='y' * 10**6) }}", r"\|wordwrap "),
    ("format-filter", "{{ '%0999999999d'|format(1) }}", r"`%` formatting with a width of 999,999,999"),
    ("str-format", "{{ '{:>999999999}'.format(1) }}", r"format\(\) " + TEXT),
    ("str-format-fields", "{{ ('{0}' * 10**5).format('x' * 10**5) }}", r"format\(\) " + TEXT),
    ("markup-format", "{{ ('{:>999999999}'|safe).format(1) }}", r"format\(\) " + TEXT),
    ("ljust", "{{ 'x'.ljust(10**9) }}", r"str\.ljust\(\) " + TEXT),
    ("replace", "{{ ('x' * 10**6)|replace('x', 'y' * 1000) }}", r"\|replace " + TEXT),
    ("join", "{{ (['x' * 10**6] * 1000)|join }}", r"\|join " + TEXT),
    ("str-join", "{{ ''.join(['x' * 10**6] * 1000) }}", r"str\.join\(\) " + TEXT),
    ("batch", "{{ [1, 2, 3]|batch(10**9, 0)|list }}", r"\|batch " + LIST),
    ("slice", "{{ [1, 2, 3]|slice(10**9)|list }}", r"\|slice " + LIST),
    ("lipsum", "{{ lipsum(10**9) }}", r"lipsum\(\) " + TEXT),
    ("tojson-indent", "{% set ns = namespace(l=[]) %}{% for i in range(50) %}{% set ns.l = [ns.l, ns.l] %}{% endfor %}{{ ns.l|tojson(indent=10**6) }}", TEXT + "|" + WORK),
    ("to-bytes", "{{ (1).to_bytes(10**9, 'big') }}", r"int\.to_bytes\(\) " + TEXT),
    # printing a value: measured before it is turned into text
    ("print-list", "{{ ['x' * 10**6] * 1000 }}", r"printing a value " + TEXT),
    ("print-nested-lists", "{{ [[[['x' * 10**5] * 100] * 100] * 100] }}", r"printing a value " + TEXT),
    ("print-own-loop", "{% set loop = namespace(length=['x' * 10**6] * 1000) %}{{ loop.length }}", r"printing a value " + TEXT),
    ("print-call-result", "{{ {}.fromkeys(range(1000), 'x' * 10**5) }}", r"printing a value " + TEXT),
    # output and memory in all
    ("output", "{% for i in range(10**5) %}<p>{{ 'y' * 1000 }}</p>{% endfor %}", r"the output is too long"),
    ("macro-buffer", "{% macro g() %}{% for i in range(1000) %}{{ 'z' * 10**5 }}{% endfor %}{% endmacro %}{% set x = g() %}", r"too much text and lists in all"),
]


@pytest.mark.parametrize("attack, message", [a[1:] for a in ATTACKS], ids=[a[0] for a in ATTACKS])
def test_attack_is_refused_quickly_and_small(capsys, proj, attack, message):
    refused(capsys, proj, attack, message)


MEMORY_ATTACKS = [
    "text-times", "list-times", "percent-width", "tilde-doubling", "plus-doubling", "block-set-doubling", "center", "indent",
    "wordwrap", "str-format-fields", "replace", "join", "str-join", "batch", "slice", "lipsum", "tojson-indent", "to-bytes",
    "print-list", "print-nested-lists", "output", "macro-buffer", "compare-long-texts",
]

_MEASURE = """
import json, os, resource, shutil, sys
resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, resource.getrlimit(resource.RLIMIT_AS)[1]))  # a regression fails, not swaps
from reportgen.cli import main
templates, attacks = sys.argv[1], json.loads(sys.argv[2])
argv = ["build", "outline.yaml", "--templates", templates, "-t", "mine", "--out", "build", "--jobs", "1"]
assert main(argv) == 0  # warm: imports, fonts, caches
rss = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
before = rss()
for name, text in attacks:
    with open(os.path.join(templates, "mine", "report.xml.j2"), "w") as fh:
        fh.write(text)
    code = main(argv)
    print("measured", json.dumps([name, code, rss() - before]), flush=True)
"""


def test_attacks_stay_small_in_a_fresh_process(proj):
    """Resident memory (``ru_maxrss``) a fresh process adds while refusing the attacks that allocate, one after another."""
    attacks = [(name, template(attack)) for name, attack, _m in ATTACKS if name in MEMORY_ATTACKS]
    assert len(attacks) == len(MEMORY_ATTACKS)
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(proj / "templates"), json.dumps(attacks)],
        capture_output=True, text=True, timeout=30 + 5 * len(attacks), cwd=proj,
        env=dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p)),
    )
    rows = [json.loads(line.split(" ", 1)[1]) for line in done.stdout.splitlines() if line.startswith("measured ")]
    assert len(rows) == len(attacks), done.stdout + done.stderr
    for name, code, grown in rows:  # the high-water mark after each attack: it would jump at the guilty one
        assert code == 2, name
        assert grown < RSS_MB * 1024 * 1024, f"{name}: +{grown / 1048576:.0f} MB"


def test_the_line_is_the_attacks_own(capsys, proj):
    attack = "{% for i in range(3) %}\n<p>{{ i }}</p>\n{% endfor %}\n{{ 'x' * 10**9 }}"
    refused(capsys, proj, attack, r"`\*` " + TEXT, line=LINE + 3)


def test_pydantic_methods_are_not_for_templates(capsys, proj):
    # model_dump_json(indent=10**9) would make gigabytes (and pydantic aborts the process when it
    # cannot), model_copy copies the outline, parse_file reads any file: none is for templates
    for attack in ("{{ outline.model_dump_json() }}", "{{ outline.sections[0].model_copy() }}", "{{ outline.parse_file('/etc/passwd') }}"):
        code, err, _elapsed = build(capsys, proj, template(attack))
        assert code == 2
        assert re.fullmatch(r"templates/mine/report\.xml\.j2:5:1: unsafe operation refused by the sandbox: (Outline|Section)\.\w+\(\) is not available to templates\n", err), err


# --- what budgets must not change ------------------------------------------------------


def _plain_environment(folder: str):
    """The pack environment as it was before budgets: no budget, same options and filters."""
    from jinja2 import StrictUndefined, pass_context
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from reportgen import markup
    from reportgen.compose import env as budgeted

    env = ImmutableSandboxedEnvironment(
        loader=budgeted.PackLoader(folder), autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    env.filters["inline"] = pass_context(lambda ctx, text: markup.inline(text, ctx.get("cites"), ctx.get("markup_memo")))
    env.filters["blocks"] = pass_context(lambda ctx, text: markup.blocks(text, ctx.get("cites"), ctx.get("markup_memo")))
    env.filters["number"] = budgeted._plain_number
    env.filters["cites"] = pass_context(lambda ctx, text: markup.plain_cites(str(text), ctx.get("cites")))
    env.filters["date_text"] = budgeted.date_text
    return env


def _context(loaded, pack):
    from reportgen.compose import meta_for, template_context

    return {**template_context(loaded, pack, meta_for(loaded, pack)), "markup_memo": {}}


@pytest.mark.parametrize("tree", ["report", "deck"])
def test_the_bundled_pack_renders_byte_for_byte_as_without_budgets(tree):
    from reportgen.compose import compose
    from reportgen.compose import env as budgeted
    from reportgen.compose.budget import Limits
    from reportgen.loader import load
    from reportgen.pack import Pack

    loaded = load(SUMMIT)
    pack = Pack("briefing", os.path.join(TEMPLATES, "briefing"))
    name = pack.template_for(tree)
    plain = _plain_environment(pack.folder).get_template(name).render(_context(loaded, pack))
    budget = budgeted.budget_for(loaded.source.data)
    with budget.active():
        markup = budgeted.render(budgeted.environment(pack.folder).get_template(name), budget, _context(loaded, pack))
    assert markup == plain
    assert budget.limits == Limits()  # the summit needs no more than the base limits
    assert compose(loaded, pack, tree)  # and composes through the budgeted path


KITCHEN_SINK = {
    "base.j2": '<doc>{% block head %}<h>{{ title }}</h>{% endblock %}\n{% block body %}{% endblock %}\n</doc>\n',
    "macros.j2": '{% macro item(x, kind="li") -%}\n<{{ kind }}>{{ x }}</{{ kind }}>\n{%- endmacro %}\n{% macro wrap() -%}[{{ caller() }}]{%- endmacro %}\n',
    "child.j2": '{% extends "base.j2" %}\n{% import "macros.j2" as m %}\n{% from "macros.j2" import wrap %}\n{% block head %}{{ super() }}<sub>{{ title|upper ~ "!" }}</sub>{% endblock %}\n{% block body %}\n{% set ns = namespace(total=0, words=[]) %}\n{% for s in items if s.n is odd or s.n > 4 %}\n{{ m.item(s.name ~ " " ~ loop.index ~ "/" ~ loop.length) }}{% set ns.total = ns.total + s.n * 2 %}\n{% if loop.first %}first{% elif loop.last %}last{% else %}{{ loop.cycle("a", "b") }}{% endif %}\n{% set ns.words = ns.words + [s.name] %}\n{% else %}none{% endfor %}\ntotal={{ ns.total }} words={{ ns.words|join(", ") }} {{ ns.words|length }}\n{% call wrap() %}inside {{ "%05.1f|%s|%d" % (3.14159, "x<y", 7) }}{% endcall %}\n{{ "{:>8}|{:^6}|{!r}".format("r", "c", "q") }} {{ "{0[0]}-{1.n}".format(["z"], items[0]) }}\n{{ (items|map(attribute="name")|list)[1:3] }} {{ "abcdef"[::2] }} {{ [3, 1, 2]|sort|reverse|list }}\n{{ items|selectattr("n", "gt", 2)|map(attribute="n")|sum }} {{ range(1, 10, 3)|list }} {{ 2 ** 10 }} {{ 7 // 2 }} {{ 7 % 3 }} {{ -3|abs }}\n{{ "a,b,,c".split(",") }} {{ " pad "|trim|center(9) }}|{{ "long text here"|truncate(9) }}|{{ "x y z"|wordcount }}\n{{ "one two three four"|wordwrap(9) }}|{{ "l1\\nl2"|indent(2, true) }}|{{ "Hello"|replace("l", "L", 1) }}\n{{ {"b": 1, "a": 2}|dictsort }} {{ items|groupby("n")|map(attribute="grouper")|list }} {{ [1, 2, 3, 4, 5]|batch(2)|list }} {{ [1, 2, 3, 4, 5]|slice(2)|list }}\n{{ items[0].name in ["alpha", "beta"] }} {{ "lp" in "alpha" }} {{ 3 is divisibleby 3 }} {{ none is none }} {{ [1]|first }} {{ [1, 2]|last }}\n{{ "<b>"|e }} {{ "<i>"|safe }} {{ {"a": "<1>"}|xmlattr }} {{ [1, "x"]|tojson }} {{ {"k": [1, 2]}|pprint }} {{ "a b"|urlencode }} {{ 1234567|filesizeformat }}\n{{ "x"|string ~ 1 ~ none ~ true }} {{ (title|safe) ~ "<u>" }} {{ "%s and %s"|format("a", "<b>") }} {{ 3.7|round }} {{ "12"|int + 1 }} {{ "1.5"|float * 2 }}\n{% autoescape false %}{{ "<raw>" ~ "&" }}{% endautoescape %}\n{% with a = 5 %}{{ a * 3 }}{% endwith %}{% filter upper %}filtered {{ title }}{% endfilter %}\n{% set block_set %}captured {{ items|length }}{% endset %}{{ block_set|trim }}\n{% for x in [[1, [2]], [3]] recursive %}({{ x if x is number else loop(x) }}){% endfor %}\n{{ dict(a=1)|items|list }} {{ lipsum(1, false, 5, 6)|wordcount > 0 }} {{ cycler(1, 2).next() }} {{ "Title Case"|title }} {{ "abc"|capitalize }} {{ "ABC"|lower }}\n{{ items|rejectattr("n")|list|length }} {{ [1, 1, 2]|unique|list }} {{ [3, 1]|min }} {{ [3, 1]|max }} {{ "ab"|list }} {{ "x"|urlize }} {{ "see www.example.org now"|urlize }}\n{% endblock %}\n',
}


def test_templates_using_most_of_jinja_render_as_without_budgets(tmp_path):
    """Inheritance, blocks and super(), imports, macros and call blocks, loops (filtered, recursive, with
    loop.*), namespace, set blocks, with, filter blocks, autoescape, every operator, str.format and %,
    slices, comparisons and tests, and most filters: the same text with and without budgets."""
    import random

    from reportgen.compose import env as budgeted

    for name, text in KITCHEN_SINK.items():
        (tmp_path / name).write_text(text)
    context = dict(title="T<&>", items=[dict(name="alpha", n=1), dict(name="beta", n=5), dict(name="gamma", n=2), dict(name="delta", n=0)])
    random.seed(1)  # lipsum
    plain = _plain_environment(str(tmp_path)).get_template("child.j2").render(context)
    budget = budgeted.budget_for({})
    with budget.active():
        random.seed(1)
        made = budgeted.render(budgeted.environment(str(tmp_path)).get_template("child.j2"), budget, context)
    assert made == plain
    assert "FILTERED T&LT;&AMP;&GT;" in made and "((1)((2)))((3))" in made and "[inside 003.1|x&lt;y|7]" in made


def _max_outline(sections: int, points: int, tables: int, rows: int, charts: int, values: int, sources: int, words: int) -> str:
    """Return an outline with these many parts (each section: points, a body, maybe a table and a chart)."""
    import random

    rng = random.Random(5)
    vocab = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma".split()

    def text(n: int) -> str:
        return " ".join(rng.choice(vocab) for _ in range(n))

    lines = ["title: At the limits", "bottom_line: " + repr(text(40) + " [@s0]"), "summary:"]
    lines += [f"  - {text(10)!r}" for _ in range(200)]
    lines += ["sections:"]
    per = points // sections
    for i in range(sections):
        lines += [f"  - title: 'Section {i} *of* it'", "    points:"]
        lines += [f"      - {text(6) + ' [@s' + str(k) + ']'!r}" for k in range(per)]
        lines += ["    body: |", f"      {text(words)} **{text(3)}** [a link](https://example.org/{i}) [@s{i % sources}]", "", f"      {text(words)}"]
        if i < tables:
            lines += ["    table:", f"      caption: 'Table {i}'", "      columns: [a, b, c, d, e]", "      rows:"]
            lines += ["        - [" + ", ".join(f"'{rng.randint(0, 999)}.{r}'" for _ in range(5)) + "]" for r in range(rows)]
        if i < charts:
            cats = values // 2
            lines += ["    chart:", "      type: bar", f"      title: 'Chart {i}'", "      categories: [" + ", ".join(f"c{k}" for k in range(cats)) + "]", "      series:"]
            lines += ["        - {name: x, values: [" + ", ".join(str(rng.randint(1, 99)) for _ in range(cats)) + "]}"]
            lines += ["        - {name: y, values: [" + ", ".join(str(rng.randint(1, 99)) for _ in range(cats)) + "]}"]
    lines += ["sources:"] + [f"  - {{id: s{i}, title: 'Source {i}', url: 'https://example.org/s{i}', publisher: P}}" for i in range(sources)]
    return "\n".join(lines) + "\n"


def _spend(loaded, tree: str) -> tuple:
    """Return (spent, limits) composing ``tree``: what the bundled pack spends of each budget."""
    from reportgen.compose import env as budgeted
    from reportgen.compose.budget import Budget, Limits, data_size
    from reportgen.pack import Pack

    pack = Pack("briefing", os.path.join(TEMPLATES, "briefing"))
    limits = Limits.scaled(*data_size(loaded.source.data))
    unlimited = Limits(work=10**15, memory=10**15, value=10**15, output=10**15)
    budget = Budget(limits=unlimited)
    with budget.active():
        out = budgeted.render(budgeted.environment(pack.folder).get_template(pack.template_for(tree)), budget, _context(loaded, pack))
    return (unlimited.work - budget.work, unlimited.memory - budget.memory, len(out)), limits


def _assert_margin(loaded, margin: float) -> None:
    for tree in ("report", "deck"):
        (work, memory, output), limits = _spend(loaded, tree)
        assert work * margin < limits.work, (tree, work, limits)
        assert memory * margin < limits.memory, (tree, memory, limits)
        assert output * margin < limits.output, (tree, output, limits)


def test_a_200_section_outline_spends_a_fraction_of_its_budget(tmp_path):
    from reportgen.loader import load

    path = tmp_path / "outline.yaml"
    path.write_text(_max_outline(sections=200, points=2000, tables=50, rows=39, charts=50, values=100, sources=500, words=120))
    _assert_margin(load(str(path)), margin=4)


@pytest.mark.large
def test_an_outline_at_the_loaders_limits_renders_within_its_budget(capsys, tmp_path, monkeypatch):
    """2,000 sections, 20,000 points, 500 tables (100,000 cells), 500 charts (50,000 values), 5,000 sources, ~5,000,000 characters."""
    from reportgen import loader
    from reportgen.compose import compose
    from reportgen.pack import Pack

    text = _max_outline(sections=2000, points=20000, tables=500, rows=39, charts=500, values=100, sources=5000, words=155)
    path = tmp_path / "outline.yaml"
    path.write_text(text)
    loaded = loader.load(str(path))  # accepted: within every limit of the loader
    assert len(loaded.outline.sections) == 2000
    _assert_margin(loaded, margin=3)
    pack = Pack("briefing", os.path.join(TEMPLATES, "briefing"))
    for tree in ("report", "deck"):
        assert compose(loaded, pack, tree)  # with its real, scaled budget
