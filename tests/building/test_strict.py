"""One meaning of --strict: validate, check and build agree on every outline, with the same lines."""

import os
import shutil

import pytest

from reportgen.cli import main

from conftest import FIXTURES, SUMMIT

OUTLINES = {
    "summit": [SUMMIT],
    "minimal": [os.path.join(FIXTURES, "minimal.yaml")],
    "features": [os.path.join(FIXTURES, "features", n) for n in os.listdir(os.path.join(FIXTURES, "features"))],
    "stress": [os.path.join(FIXTURES, "deck", n) for n in os.listdir(os.path.join(FIXTURES, "deck"))],
}


def run(capsys, *args) -> tuple[int, list[str]]:
    code = main(list(args))
    return code, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize("name", sorted(OUTLINES))
def test_validate_check_and_build_agree_under_strict(name, tmp_path, monkeypatch, capsys):
    for path in OUTLINES[name]:
        shutil.copy(path, tmp_path)
    monkeypatch.chdir(tmp_path)
    outline = next(n for n in os.listdir(tmp_path) if n.endswith(".yaml"))
    assert run(capsys, "build", outline, "-q")[0] == 0  # without --strict every one builds
    validated = run(capsys, "validate", outline, "--strict")
    checked = run(capsys, "check", outline, "--strict")
    built = run(capsys, "build", outline, "--strict", "--force", "-q")
    assert validated[0] == checked[0] == built[0], (validated, checked, built)
    assert validated[1] == checked[1] == built[1]
    warned = name in ("features", "stress", "minimal")  # minimal: a slide of one takeaway is sparse
    assert validated[0] == (2 if warned else 0)
    assert bool(validated[1]) == warned


def test_a_split_slide_is_found_by_validate_at_the_line_build_gives(tmp_path, monkeypatch, capsys):
    points = "\n".join(f"      - Point number {i} says something long enough to take most of a line on the slide" for i in range(20))
    (tmp_path / "long.yaml").write_text(f"title: Long\nsections:\n  - title: Many points\n    points:\n{points}\n")
    monkeypatch.chdir(tmp_path)
    code, validated = run(capsys, "validate", "long.yaml")
    assert code == 0
    assert any(line.startswith("long.yaml:5:7: warning: sections[0].points: slide ") and "split onto" in line for line in validated), validated
    code, built = run(capsys, "build", "long.yaml", "-q")
    assert code == 0
    assert validated == built


HOSTILE = os.path.join(FIXTURES, "hostile")


@pytest.mark.parametrize("name", sorted(os.listdir(HOSTILE)))
def test_hostile_outlines_get_the_same_verdict_from_every_command(name, tmp_path, monkeypatch, capsys):
    shutil.copy(os.path.join(HOSTILE, name), tmp_path)
    monkeypatch.chdir(tmp_path)
    validated = run(capsys, "validate", name, "--strict")
    checked = run(capsys, "check", name, "--strict")
    built = run(capsys, "build", name, "--strict", "-q")
    assert validated[0] in (0, 2)
    if validated[0] == 0:  # an outline that loads: check then finds nothing built yet (3), build makes it
        assert (checked[0], built[0]) == (3, 0)
        assert validated[1] == built[1] == []
    else:
        assert validated == checked == built
        assert not (tmp_path / "build").exists() or os.listdir(tmp_path / "build") == []


def _timeless(line: str) -> str:
    """A JSON log line without what varies from run to run (how long things took)."""
    import json

    try:
        event = json.loads(line)
    except ValueError:
        return line
    if isinstance(event, dict):
        for key in ("seconds", "elapsed", "time"):
            event.pop(key, None)
    return json.dumps(event, sort_keys=True)


@pytest.mark.parametrize("strict", [True, False])
def test_what_a_build_prints_does_not_depend_on_which_output_finished_first(strict, tmp_path, monkeypatch, capsys):
    """With workers the faster writer finishes first: the errors (--strict) and the warnings and built lines come in
    the outputs' order all the same."""
    import reportgen.build.run as run_module

    for path in OUTLINES["features"]:
        shutil.copy(path, tmp_path)
    monkeypatch.chdir(tmp_path)
    outline = next(n for n in os.listdir(tmp_path) if n.endswith(".yaml"))
    args = ["build", outline, "--force", "--jobs", "1", "--log-format", "json"] + (["--strict"] if strict else [])
    real = run_module.render_all
    got = []
    for order in (list, lambda done: list(reversed(done))):
        monkeypatch.setattr(run_module, "render_all", lambda tasks, pool, order=order: iter(order(list(real(tasks, pool)))))
        code = main(list(args))
        printed = capsys.readouterr()
        lines = (printed.out + printed.err).splitlines()
        got.append((code, [_timeless(line) for line in lines if '"rendered"' not in line]))  # (progress comes as each finishes)
    assert got[0] == got[1]
    assert got[0][0] == (2 if strict else 0) and len(got[0][1]) > 3
