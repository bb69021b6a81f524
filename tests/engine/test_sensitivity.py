"""SALib sensitivity of outcomes and claims, with common random numbers."""

from __future__ import annotations

import numpy as np

from polemos.engine.params import ParamSpace
from polemos.engine.sensitivity import analyse, simulate_design


def test_sobol_finds_the_input_an_outcome_is_defined_on(mini):
    res = analyse(mini, n_base=64, seed=2, method="sobol")
    assert res["method"] == "sobol"
    top = res["targets"]["rus_tires"]["indices"][0]  # outcome: resolve.RUS < 0.45
    assert top["parameter"] == "actors.RUS.attributes.resolve.value"
    assert top["ST"] > 0.5
    assert "claim:resolve_holds" in res["targets"]


def test_morris_is_used_when_asked_and_is_scaled(mini):
    res = analyse(mini, n_base=8, seed=2, method="morris")
    rows = res["targets"]["rus_tires"]["indices"]
    assert rows[0]["parameter"] == "actors.RUS.attributes.resolve.value"
    assert all(np.isfinite(r["mu_star"]) for r in rows)


def test_rows_of_a_group_share_their_random_numbers(mini):
    # two groups of three identical rows: identical inputs and identical shocks
    d = len(ParamSpace.from_scenario(mini))
    u = np.repeat(np.random.default_rng(0).random((2, d)), 3, axis=0)
    cols = simulate_design(mini, u, seed=1, group=3)
    for k, v in cols.items():
        if k.startswith(("o:", "t:")):
            assert np.array_equal(v[0:3], np.repeat(v[0], 3)), k
