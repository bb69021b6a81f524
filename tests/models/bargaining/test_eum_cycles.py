"""EUM convergence and cycle detection; the long-run forecast does not depend on rounds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polemos.models.bargaining import eum


def _inputs(seed: int, n: int, draws: int):
    rng = np.random.default_rng(seed)
    return (rng.uniform(1, 100, (draws, n)), rng.uniform(0, 100, (draws, n)),
            rng.uniform(0.05, 1.0, (draws, n)))


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 7), rounds=st.integers(0, 14))
def test_forecast_is_round_independent_and_cycles_are_real(seed, n, rounds):
    c, x, s = _inputs(seed, n, 4)
    ref = eum.run(c, x, s, rounds=3, scale=(0, 100), horizon=10)
    out = eum.run(c, x, s, rounds=rounds, scale=(0, 100), horizon=10)  # rounds may pass it
    np.testing.assert_array_equal(out["forecast"], ref["forecast"])
    np.testing.assert_array_equal(out["period"], ref["period"])
    lo, hi = x.min(1), x.max(1)
    assert ((out["forecast"] >= lo - 1e-9) & (out["forecast"] <= hi + 1e-9)).all()
    assert (out["cycle_low"] <= out["forecast"] + 1e-9).all()
    assert (out["forecast"] <= out["cycle_high"] + 1e-9).all()
    # a reported cycle repeats: the state after start + period equals the state at start
    for d in np.flatnonzero(out["settled"]):
        start, p = int(out["cycle_start"][d]), int(out["period"][d])
        long = eum.run(c[d:d + 1], x[d:d + 1], s[d:d + 1], rounds=start + 2 * p,
                       scale=(0, 100), horizon=40)["positions"][0]
        np.testing.assert_allclose(long[start + p], long[start], atol=1e-9 * 100)
        np.testing.assert_allclose(long[start + 2 * p], long[start], atol=1e-9 * 100)
        if p > 1:  # the smallest period: no shorter repeat
            assert np.abs(long[start + 1] - long[start]).max() > 1e-9 * 100
    assert (out["converged"] == (out["period"] == 1)).all()
    assert (out["cycle"] == (out["period"] > 1)).all()


def test_unanimity_converges_at_once():
    c, x, s = _inputs(1, 5, 2)
    x[:] = 40.0
    out = eum.run(c, x, s, rounds=5)
    assert out["converged"].all() and (out["period"] == 1).all()
    np.testing.assert_array_equal(out["forecast"], 40.0)
    np.testing.assert_array_equal(out["cycle_positions"], 40.0)


def test_a_two_cycle_is_reported_with_its_positions():
    """Find, among random draws, one that cycles with period 2 and check the report."""
    c, x, s = _inputs(7, 5, 400)
    out = eum.run(c, x, s, rounds=2, scale=(0, 100))
    two = np.flatnonzero(out["period"] == 2)
    assert two.size, "no 2-cycle among 400 random draws"
    d = int(two[0])
    states = out["cycle_positions"][d]
    np.testing.assert_array_equal(states[0], states[2])  # repeated to fill the axis
    assert np.abs(states[0] - states[1]).max() > 0
    assert out["cycle"][d] and not out["converged"][d]


def test_bad_horizon_is_refused():
    c, x, s = _inputs(1, 3, 1)
    with pytest.raises(ValueError, match="horizon"):
        eum.run(c, x, s, horizon=0)
