"""Helpers for the user-experience tests: the CLI as a user runs it (a piped subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, cwd: Path | None = None, columns: int = 80, check: bool = True,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``polemos ARGS`` with stdout piped and ``COLUMNS`` set; return the process."""
    full = {**os.environ, "COLUMNS": str(columns), "MPLBACKEND": "Agg",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
            **(env or {})}
    full.pop("TERM", None)
    code = "import sys; from polemos.cli.app import main; sys.exit(main())"
    proc = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=full,
                          capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"polemos {' '.join(args)} -> {proc.returncode}\n{proc.stdout}\n"
                             f"{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A store with two small runs of the Venezuela scenario."""
    import polemos

    store = tmp_path_factory.mktemp("runs-store")
    ids = [polemos.run(ROOT / "scenarios" / "venezuela-2025-10.yaml", draws=200, seed=s,
                       store=store).run_id for s in (1, 2)]
    return store, ids
