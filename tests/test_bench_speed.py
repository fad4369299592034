"""``bench/speed.py``'s choice of peers: one runs only when everything it needs is installed (issue 18)."""

from __future__ import annotations

import importlib.util
import os
import sys

from conftest import ROOT


def speed():
    spec = importlib.util.spec_from_file_location("speed", os.path.join(ROOT, "bench", "speed.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_peer_missing_one_of_its_tools_is_skipped_and_named(monkeypatch):
    bench = speed()
    monkeypatch.setattr(bench.shutil, "which", lambda name, path=None: "/usr/bin/pandoc" if name == "pandoc" else None)
    needs = {name: needs for _fmt, name, _cmd, needs, _out in bench.PEERS}
    assert bench.missing(needs["pandoc → WeasyPrint"]) == ["weasyprint"]  # pandoc there, WeasyPrint's command not
    assert bench.missing(needs["pandoc"]) == []
    assert bench.missing(("module:surely_no_such_module_here",)) == ["surely_no_such_module_here"]


def test_every_peer_writes_where_it_says():
    for _fmt, name, cmd, _needs, written in speed().PEERS:
        assert written in cmd, name


def test_a_commands_peak_is_its_own_not_the_bench_processs():
    """``once`` reports the peak of the command it ran: a command smaller than the bench process is not given the
    bench's size (a process forked from it starts with its peak), and a command's own allocation is counted."""
    bench = speed()
    bench.ENV.update(os.environ)
    big = bytearray(300 << 20)  # the bench process, grown large (a few rounds' results, imports)
    big[:: 4096] = b"x" * len(big[:: 4096])  # (touched: resident)
    _wall, small, _cpu = bench.once([sys.executable, "-c", "pass"], ".")
    _wall, grown, _cpu = bench.once([sys.executable, "-c", "b = bytearray(120 << 20); b[::4096] = b'x' * len(b[::4096])"], ".")
    del big
    assert small < 60, f"python -c pass peaked at {small:.0f} MiB"
    assert 120 < grown < 200
