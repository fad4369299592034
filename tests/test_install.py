"""reportgen as a new user gets it: a wheel, installed (not editable) into a fresh virtual environment,
used from folders that have nothing of this repository in them."""

import os
import shutil
import site
import subprocess
import sys
import sysconfig

import pytest

from conftest import ROOT, SUMMIT


def sh(args, cwd, env=None, timeout=300):
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=timeout)
    assert proc.returncode == 0, f"{args}: exit {proc.returncode}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    return proc


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A fresh venv holding the wheel of this tree; the libraries it needs come from this interpreter's
    site-packages by a path entry (so no download), but not its editable reportgen."""
    work = tmp_path_factory.mktemp("install")
    wheels = work / "wheels"
    source = work / "source"  # the tree without what earlier builds left in it (setuptools reuses a build/lib)
    top = {"build", "dist", ".git", "tests", "bench", "docs"}
    everywhere = shutil.ignore_patterns("*.egg-info", "__pycache__", ".*cache", ".hypothesis")
    shutil.copytree(ROOT, source, ignore=lambda folder, names: everywhere(folder, names) | (top & set(names) if folder == ROOT else set()))
    try:
        sh([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)], cwd=work, timeout=600)
    except AssertionError as exc:
        if "Could not find a version that satisfies the requirement setuptools" in str(exc):
            pytest.skip("no package index to fetch the build backend from")
        raise
    (wheel,) = wheels.glob("reportgen-*.whl")
    env_dir = work / "venv"
    sh([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], cwd=work)
    py = env_dir / "bin" / "python"
    purelib = sh([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=work).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    with open(os.path.join(purelib, "parent-libraries.pth"), "w") as fh:  # a path line: the .pth files there are not run
        fh.write("\n".join(sorted(p for p in ours if os.path.isdir(p))) + "\n")
    sh([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheel)], cwd=work)
    return env_dir


def test_the_installed_package_is_the_wheel_with_its_packs(venv, tmp_path):
    out = sh([str(venv / "bin" / "python"), "-c", "import reportgen, os; print(reportgen.__file__)"], cwd=tmp_path).stdout.strip()
    assert out.startswith(str(venv)), out
    packs = os.path.join(os.path.dirname(out), "packs", "briefing")
    for name in ("theme.yaml", "report.xml.j2", "deck.xml.j2", "macros.xml.j2", "master.pptx", "fonts/LiberationSans-Regular.ttf", "assets/logo.png"):
        assert os.path.isfile(os.path.join(packs, name)), name
    for name in ("sRGB.icc", "sRGB.icc.LICENSE"):  # the PDF/A output intent, and its licence
        assert os.path.isfile(os.path.join(os.path.dirname(out), "data", name)), name


def test_init_then_build_in_an_empty_folder(venv, tmp_path):
    reportgen = str(venv / "bin" / "reportgen")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    sh([reportgen, "init", "demo"], cwd=tmp_path, env=env)
    sh([reportgen, "build", "--strict"], cwd=tmp_path / "demo", env=env)
    assert sorted(os.listdir(tmp_path / "demo" / "build")) == ["example.pdf", "example.pptx", "reportgen-manifest.json"]
    assert (tmp_path / "demo" / "build" / "example.pdf").read_bytes().startswith(b"%PDF-")


def test_an_outline_by_absolute_path_from_an_unrelated_folder(venv, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = sh([str(venv / "bin" / "reportgen"), "build", SUMMIT, "--out", str(tmp_path / "out"), "-q"], cwd=elsewhere)
    assert proc.stderr == ""
    assert sorted(os.listdir(tmp_path / "out")) == ["reportgen-manifest.json", "summit.pdf", "summit.pptx"]
    assert os.listdir(elsewhere) == []
