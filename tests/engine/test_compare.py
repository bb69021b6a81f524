"""Counterfactuals: paired draws and their intervals."""

from __future__ import annotations

import json

import numpy as np

from polemos.cli.app import main
from polemos.engine import RunOptions, run_scenario
from polemos.engine.compare import compare_runs
from polemos.scenario import load_scenario
from polemos.store import Store


def test_shared_inputs_keep_their_draws_when_another_input_is_fixed(mini_path, tmp_path):
    st = Store(tmp_path)
    opts = RunOptions(draws=800, seed=4, progress=False)
    ra, _ = run_scenario(load_scenario(mini_path), opts, st)
    over = {"actors.UKR.influence": "35"}
    rb, _ = run_scenario(load_scenario(mini_path, over), opts, st)
    a, b = st.read_draws(ra), st.read_draws(rb)
    shared = [c for c in a.columns if c.startswith("p:") and c in b.columns]
    assert "p:actors.UKR.influence" not in b.columns and len(shared) >= 5
    for c in shared:
        assert np.array_equal(a[c].to_numpy(), b[c].to_numpy()), c
    result = compare_runs(st, ra, rb)
    assert result["paired"]
    for o in result["outcomes"]:
        assert o["low"] <= o["diff"] <= o["high"]


def test_compare_cli_finds_the_effect_of_cancelling_a_summit(mini_path, tmp_path, capsys):
    args = ["compare", str(mini_path), "--set", "events.summit1.probability=0", "--draws", "600",
            "--store", str(tmp_path), "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    deal = next(o for o in out["outcomes"] if o["id"] == "deal")
    assert deal["high"] < 0  # fewer settlements without the first summit, surely
    assert main(["compare", str(mini_path), "--store", str(tmp_path)]) == 2  # nothing to compare
