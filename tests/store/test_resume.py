"""A sweep killed with SIGKILL resumes to exactly the result of an unbroken one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from polemos.engine import RunOptions, run_scenario
from polemos.scenario import load_scenario
from polemos.store import Store

FIXTURE = Path(__file__).parents[1] / "engine" / "fixtures" / "mini.yaml"


@pytest.fixture(scope="module")
def mini():
    return load_scenario(FIXTURE)

CHILD = """
import sys, time
from polemos.scenario import load_scenario
from polemos.engine.runner import RunOptions, sweep
from polemos.store import Store
sc = load_scenario(sys.argv[1])
opts = RunOptions(draws=3000, seed=11, block_size=100, chunk=100, progress=False)
sweep(sc, opts, Store(sys.argv[2]), on_block=lambda b: time.sleep(0.2))
"""


def _opts(**kw) -> RunOptions:
    return RunOptions(draws=3000, seed=11, block_size=100, chunk=100, progress=False, **kw)


def test_kill_and_resume_gives_the_same_draws(tmp_path, mini):
    root = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(FIXTURE), str(root)],
                            env={**os.environ, "PYTHONPATH": str(FIXTURE.parents[3] / "src")})
    store = Store(root)
    deadline = time.time() + 60
    while time.time() < deadline:
        blocks = list((root / "runs").glob("*/blocks/b*.sum")) if root.exists() else []  # done marks
        if len(blocks) >= 5:
            break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    runs = store.runs()  # the store stays readable
    assert len(runs) == 1 and runs[0]["status"] == "interrupted"  # its process was killed
    assert 5 <= runs[0]["blocks_done"] < 30
    left_over = list((root / "runs").glob("*/blocks/*.tmp"))
    for p in left_over:  # a torn temporary file is never mistaken for a block
        assert not p.name.endswith(".parquet")

    run_id, resumed = run_scenario(mini, _opts(resume=True), store)
    assert run_id == runs[0]["run_id"]
    assert len(store.runs()) == 1
    _, fresh = run_scenario(mini, _opts(), Store(tmp_path / "fresh"))
    a = store.read_draws(run_id)
    b = Store(tmp_path / "fresh").read_draws(Store(tmp_path / "fresh").latest())
    assert len(a) == 3000 and a["draw"].is_unique
    assert a.equals(b)
    assert resumed["outcomes"] == fresh["outcomes"]
    assert resumed["claims"] == fresh["claims"]


def test_resume_of_a_complete_run_starts_a_new_one(tmp_path, mini):
    store = Store(tmp_path)
    r1, _ = run_scenario(mini, _opts(), store)
    r2, _ = run_scenario(mini, _opts(resume=True), store)
    assert r1 != r2
    assert [r["status"] for r in store.runs()] == ["complete", "complete"]
