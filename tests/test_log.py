"""Build logs: the progress bar, plain lines, JSON, and which one a run gets."""

import io
import json

from reportgen.log import Event, JsonReporter, ProgressReporter, Reporter, reporter_for


def test_plain_lines_say_what_was_built_and_why():
    out, err = io.StringIO(), io.StringIO()
    r = Reporter(out=out, err=err)
    r.start(2)
    r.event(Event("built", "build/a.pdf", reasons=["template report.xml.j2 changed"], seconds=0.5))
    r.event(Event("skipped", "build/a.pptx"))
    r.event(Event("warning", "build/a.pptx", "title shrunk"))
    r.finish("1 built, 1 up to date")
    assert out.getvalue().splitlines() == ["built build/a.pdf (template report.xml.j2 changed) in 0.50s", "1 built, 1 up to date"]
    assert err.getvalue() == "build/a.pptx: warning: title shrunk\n"


def test_progress_bar_draws_and_clears():
    out, err = io.StringIO(), io.StringIO()
    r = ProgressReporter(out=out, err=err)
    r.start(2)
    r.event(Event("rendered", "build/a.pdf"))
    assert "\r[############------------] 1/2 a.pdf" in out.getvalue()
    r.event(Event("rendered", "build/b.pdf"))
    r.event(Event("built", "build/b.pdf"))
    assert "[########################] 2/2 b.pdf" in out.getvalue()
    r.finish("2 built")
    assert out.getvalue().endswith("\r2 built\n")


def test_json_lines():
    out = io.StringIO()
    r = JsonReporter(out=out)
    r.event(Event("built", "build/a.pdf", reasons=["not built before"], seconds=0.25))
    r.finish("1 built")
    first, last = (json.loads(line) for line in out.getvalue().splitlines())
    assert first == {"event": "built", "output": "build/a.pdf", "reasons": ["not built before"], "seconds": 0.25}
    assert last["event"] == "done"


def test_ci_and_pipes_get_plain_lines(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert type(reporter_for("text", False, False, multi=True)) is Reporter
    assert type(reporter_for("json", False, False, multi=True)) is JsonReporter
    monkeypatch.delenv("CI")
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    assert type(reporter_for("text", False, False, multi=True)) is ProgressReporter
    assert type(reporter_for("text", False, False, multi=False)) is Reporter


def test_json_warnings_carry_their_place_and_kind():
    from reportgen.errors import Problem

    out = io.StringIO()
    w = Problem("o.yaml", 4, 5, "body text shrunk", "sections[0].points", "warning", "text-shrunk")
    JsonReporter(out=out).event(Event("warning", "build/o.pptx", str(w), problem=w))
    record = json.loads(out.getvalue())
    assert {k: record[k] for k in ("file", "line", "col", "field", "severity", "code", "message")} == {
        "file": "o.yaml", "line": 4, "col": 5, "field": "sections[0].points", "severity": "warning", "code": "text-shrunk", "message": "body text shrunk"}


def test_a_located_warning_prints_as_its_own_line():
    from reportgen.errors import Problem

    err = io.StringIO()
    w = Problem("o.yaml", 4, 5, "body text shrunk", "sections[0].points", "warning", "text-shrunk")
    Reporter(out=io.StringIO(), err=err).event(Event("warning", "build/o.pptx", str(w), problem=w))
    assert err.getvalue() == "o.yaml:4:5: warning: sections[0].points: body text shrunk\n"
