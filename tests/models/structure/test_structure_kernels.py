"""Property and reference tests of the structure kernels (projection, overtaking, hazard)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from polemos.models.structure import projection, transition

levels_strategy = st.integers(2, 6).flatmap(
    lambda p: arrays(float, (p, 6), elements=st.floats(0.0, 1e9, allow_subnormal=False))
)


@settings(max_examples=60, deadline=None)
@given(levels=levels_strategy, seed=st.integers(0, 2**32 - 1), sd=st.floats(0.0, 0.2))
def test_projection_shares_sum_to_one_and_are_non_negative(levels, seed, sd):
    levels[0] += 1.0  # every component has a positive total
    rng = np.random.default_rng(seed)
    growth = rng.uniform(-0.1, 0.2, size=(5, *levels.shape))
    out = projection.project(levels, growth, 8, shock_sd=sd, rng=rng)
    c = out["cinc"]
    assert c.shape == (5, 9, levels.shape[0])
    assert c.min() >= 0.0
    np.testing.assert_allclose(c.sum(axis=-1), 1.0, atol=1e-12)


def test_deterministic_growth_compounds_exactly():
    levels = np.array([[1.0] * 6, [1.0] * 6])
    growth = np.zeros((1, 2, 6))
    growth[0, 1] = 0.1
    out = projection.project(levels, growth, 5, rng=np.random.default_rng(0), keep_levels=True)
    np.testing.assert_allclose(out["levels"][0, -1, 1], 1.1**5)
    np.testing.assert_allclose(out["cinc"][0, -1], [1 / (1 + 1.1**5), 1.1**5 / (1 + 1.1**5)])


def test_shocks_are_mean_preserving():
    rng = np.random.default_rng(1)
    levels = np.ones((1, 6))
    growth = np.full((40_000, 1, 6), 0.02)
    nxt = projection.step(np.ones((40_000, 1, 6)), growth, 0.1, rng)
    assert abs(nxt.mean() - 1.02) < 0.002
    assert levels.shape == (1, 6)


def test_ratios_indicators_and_first_overtaking():
    # dominant constant 0.3; challenger rises 0.2 -> 0.4 over 11 years, crossing at t=5
    t = np.arange(11)
    ch = 0.2 + 0.02 * t
    cinc = np.stack([np.full(11, 0.3), ch, np.full(11, 0.05)], axis=-1)[None]
    members = np.array([[0, 1, 0], [0, 1, 1]])
    out = transition.overtaking_run(cinc, 0, members, window=3)
    np.testing.assert_allclose(out["ratio"][0, :, 0], ch / 0.3)
    assert out["first_ahead"][0].tolist() == [5, 3]
    ind = transition.indicators(out["ratio"], window=3)
    assert ind["overtaking"][0, :, 0].tolist() == [False] * 5 + [True] * 3 + [False] * 3
    assert ind["parity"][0, :, 0].tolist() == [bool(1 / 1.25 <= r <= 1.25) for r in ch / 0.3]


@settings(max_examples=40, deadline=None)
@given(
    ratio=arrays(float, (3, 7, 2), elements=st.floats(1e-3, 1e3)),
    coef=arrays(float, (3, 4), elements=st.floats(-30, 30)),
)
def test_hazard_is_a_probability_and_cumulates_monotonically(ratio, coef):
    out = transition.hazard(ratio, coef)
    for key in ("hazard", "cumulative", "any_war"):
        assert out[key].min() >= 0.0 and out[key].max() <= 1.0
    assert np.all(np.diff(out["cumulative"], axis=1) >= -1e-12)
    assert np.all(out["any_war"] >= out["cumulative"].max(axis=2) - 1e-12)


def test_hazard_matches_logistic_by_hand():
    ratio = np.array([[[0.5], [0.9], [1.1]]])
    coef = np.array([[-4.0, 1.0, 2.0, -0.5]])
    out = transition.hazard(ratio, coef, window=10)
    eta = np.array([-4 - 0.5 * np.log(2), -4 + 1 - 0.5 * abs(np.log(0.9)), -4 + 1 + 2 - 0.5 * np.log(1.1)])
    np.testing.assert_allclose(out["hazard"][0, :, 0], 1 / (1 + np.exp(-eta)))
    np.testing.assert_allclose(out["cumulative"][0, -1, 0], 1 - np.prod(1 - 1 / (1 + np.exp(-eta))))


def test_recent_historical_overtaking_counts_in_first_years():
    ratio = np.full((1, 6, 1), 2.0)  # challenger well ahead, no change inside the path
    coef = np.array([[-4.0, 0.0, 2.0, 0.0]])
    none = transition.hazard(ratio, coef, window=4)["hazard"][0, :, 0]
    recent = transition.hazard(ratio, coef, window=4, since_change=np.array([2.0]))["hazard"][0, :, 0]
    np.testing.assert_allclose(none, 1 / (1 + np.exp(4.0)))
    assert (recent[:2] > none[:2]).all() and np.allclose(recent[2:], none[2:])


def test_logit_hazard_step_matches_trajectory_hazard():
    rng = np.random.default_rng(2)
    ratio = rng.uniform(0.5, 2.0, size=(4, 5, 3))
    coef = rng.normal(size=(4, 4))
    full = transition.hazard(ratio, coef, window=3)
    ind = transition.indicators(ratio, window=3)
    t = 3
    step = transition.logit_hazard(ind["parity"][:, t], ind["overtaking"][:, t], ind["abs_log_ratio"][:, t], coef)
    np.testing.assert_allclose(step, full["hazard"][:, t])
