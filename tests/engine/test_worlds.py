"""Two-level runs: worlds share their inputs across paths; outcomes are recorded on the
draws alive at the start of each week."""

from __future__ import annotations

import numpy as np
import pytest

from polemos.engine import RunOptions, run_scenario
from polemos.engine.runner import draws_and_paths
from polemos.scenario.load import loads_scenario
from polemos.store import Store

FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures"


def test_draws_and_paths():
    assert draws_and_paths(RunOptions(worlds=50, paths=4)) == (200, 4)
    assert draws_and_paths(RunOptions(draws=2000)) == (2000, 20)
    assert draws_and_paths(RunOptions(draws=7)) == (7, 7)
    assert draws_and_paths(RunOptions(draws=300, paths=1)) == (300, 1)
    with pytest.raises(ValueError):
        draws_and_paths(RunOptions(worlds=0))
    with pytest.raises(ValueError):
        draws_and_paths(RunOptions(worlds=3, paths=0))


def test_paths_of_a_world_share_its_inputs(mini, tmp_path):
    store = Store(tmp_path / "s")
    run_id, summary = run_scenario(mini, RunOptions(worlds=30, paths=5, seed=3, progress=False,
                                                    block_size=40), store)
    draws = store.read_draws(run_id)
    assert len(draws) == 150 and summary["draws"] == 150
    assert (draws["world"].to_numpy() == np.arange(150) // 5).all()
    p = draws["p:actors.RUS.influence"].to_numpy().reshape(30, 5)
    assert (p == p[:, :1]).all()  # one input vector per world
    assert len(np.unique(p[:, 0])) == 30  # and a different one in each world


def test_outcome_after_an_absorbing_one_in_the_same_week_is_recorded(tmp_path):
    """Regression: an outcome listed after an absorbing outcome that fires in the same
    week used to be evaluated on the draws that outcome had just removed."""
    text = (FIXTURES / "mini.yaml").read_text()
    anchor = '  - {id: rus_tires, label: Russian resolve falls, when: "resolve.RUS < 0.45", absorbing: false}\n'
    assert anchor in text
    text = text.replace(anchor, anchor + '  - {id: deal_seen, label: Settlement seen, when: "settlement", absorbing: false}\n')
    sc = loads_scenario(text, "mini+deal_seen")
    _, summary = run_scenario(sc, RunOptions(draws=2000, seed=1, progress=False), Store(tmp_path / "s"))
    p = {o["id"]: o["p"] for o in summary["outcomes"]}
    assert p["deal"] > 0.5
    assert p["deal_seen"] == p["deal"]
