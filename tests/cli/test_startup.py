"""CLI start-up: importing the app loads no heavy library; --version, -h (issue 15).

Start-up time itself is measured in bench/bench_profile.py, never asserted here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from polemos.cli.app import app, main

SRC = str(Path(__file__).resolve().parents[2] / "src")
HEAVY = ("numpy", "pandas", "scipy", "duckdb", "matplotlib", "pyarrow", "sklearn",
         "statsmodels", "dask", "fastapi", "pydantic")


def _fresh(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True)
    return done.stdout


def test_importing_the_app_loads_no_heavy_library():
    out = _fresh("import json, sys\nimport polemos.cli.app\n"
                 f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    loaded = json.loads(out.strip().splitlines()[-1])
    assert loaded == [], (
        f"`import polemos.cli.app` imported {loaded}: a command module imports it at the "
        "top; import it inside the command's function instead (see polemos/cli/app.py)")


def test_the_check_itself_sees_an_import():
    """The subprocess check can fail: a module that imports NumPy shows up."""
    out = _fresh("import json, sys\nimport polemos.cli.app\nimport numpy\n"
                 f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    assert "numpy" in json.loads(out.strip().splitlines()[-1])


def test_version(capsys):
    from polemos import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"polemos {__version__}"


@pytest.mark.parametrize("argv", [["-h"], ["--help"], ["run", "-h"], ["fit", "-h"],
                                  ["fit", "lanchester", "-h"], ["runs", "list", "-h"]])
def test_short_and_long_help(argv, capsys):
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Usage" in out and "--help" in out


def test_every_command_is_registered():
    import typer.main

    group = typer.main.get_command(app)
    names = set(group.commands)
    assert {"bargain", "compare", "demo", "economy", "escalate", "fit", "new", "report", "run",
            "runs", "schema", "serve", "show", "structure", "validate", "war"} <= names
    assert {"lanchester", "crises", "transition"} <= set(group.commands["fit"].commands)
    assert {"list", "show", "export"} <= set(group.commands["runs"].commands)


def test_lanchester_law_words_are_the_model_laws():
    from polemos.cli.commands.fit_lanchester import LawWord
    from polemos.models.attrition.laws import Law

    assert [w.value for w in LawWord] == [law.value for law in Law]


def test_unknown_law_is_refused(capsys):
    assert main(["fit", "lanchester", "--data", "x.csv", "--law", "cubic"]) == 2
    assert "cubic" in capsys.readouterr().err
