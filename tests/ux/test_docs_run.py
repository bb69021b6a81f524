"""The tutorial, "reading the results" and the example notebook run as written."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.ux.conftest import ROOT
from tests.ux.test_readme_tour import _copy, _env, _matches, blocks

DOCS = ROOT / "docs"


def _run_doc(name: str, tmp: Path, shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commands, python = blocks(DOCS / name)
    proj = _copy(tmp, shared)
    env = _env(tmp, shared)
    for command, expected in commands:
        proc = subprocess.run(command, shell=True, cwd=proj, env=env, capture_output=True,
                              text=True, timeout=600)
        lines = (proc.stdout + "\n" + proc.stderr).splitlines()
        assert proc.returncode == 0, (command, proc.stdout[-2000:], proc.stderr[-2000:])
        for line in expected:
            assert _matches(line, lines), (command, line, proc.stdout[-3000:])
    monkeypatch.chdir(proj)
    monkeypatch.setenv("POLEMOS_STORE", str(proj / ".polemos"))
    for block in python:
        exec(compile(block, name, "exec"), {})


def test_tutorial_runs_as_written(tmp_path: Path, shared_data: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _run_doc("tutorial.md", tmp_path, shared_data, monkeypatch)
    assert (tmp_path / "proj" / "my-report" / "report.html").exists()
    assert (tmp_path / "proj" / "draws.csv").stat().st_size > 0


def test_reading_results_runs_as_written(tmp_path: Path, shared_data: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _run_doc("reading-results.md", tmp_path, shared_data, monkeypatch)


def test_notebook_executes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nbformat
    from nbclient import NotebookClient

    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    (tmp_path / "docs").mkdir()
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT / "src"),
                                                      os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(DOCS / "notebook.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path / "docs")}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "Negotiated transition" in text and "report.html" in text
