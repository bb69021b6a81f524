"""Front movement: advance rate, depth, ground taken and towns."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from polemos.models.attrition.front import (
    POSTURE_FACTOR,
    Posture,
    advance_rate,
    power_ratio,
    run_front,
)


def test_advance_rate_shape():
    rho = np.array([0.5, 1.0, 3.0, 1e9, np.inf])
    v = advance_rate(rho, 2.0, 3.0)
    np.testing.assert_allclose(v, [0.0, 0.0, 1.0, 2.0, 2.0], atol=1e-6)


def test_posture_factors_are_dupuys():
    assert POSTURE_FACTOR[Posture.prepared] == 1.5
    assert POSTURE_FACTOR[Posture.fortified] == 1.6
    assert POSTURE_FACTOR[Posture.hasty] == 1.3


def test_power_ratio_handles_zero_forces():
    rho = power_ratio(np.array([10.0, 0.0, 10.0]), np.array([5.0, 5.0, 0.0]), 1.0, 1.0, 2.0)
    np.testing.assert_allclose(rho, [1.0, 0.0, np.inf])


def test_towns_fall_in_order_of_distance():
    t = 30
    att = np.full((2, t + 1), 3_000.0)
    dfn = np.full((2, t + 1), 1_000.0)
    dfn[1] = 2_000.0  # weaker attack in draw 1
    out = run_front(attacker=att, defender=dfn, v_max=1.0, half_ratio=2.0, front_km=100.0,
                    town_km=np.array([2.0, 10.0, 100.0]), posture_factor=1.5)
    weeks = out["town_fall_week"]
    assert weeks[0, 0] <= weeks[0, 1] <= weeks[0, 2]
    assert weeks[0, 2] == t + 1  # 100 km never reached
    assert (weeks[1] >= weeks[0]).all()
    np.testing.assert_allclose(out["territory_km2"][:, 0], 0.0)
    np.testing.assert_allclose(out["territory_km2"], out["depth_km"] * 100.0)


@settings(max_examples=40, deadline=None)
@given(ratio=st.floats(0.0, 50.0), h=st.floats(1.01, 10.0), v=st.floats(0.0, 10.0))
def test_advance_rate_bounded_and_monotone(ratio, h, v):
    lo, hi = advance_rate(np.array([ratio, ratio * 1.1 + 0.01]), v, h)
    assert 0.0 <= lo <= hi + 1e-12 <= v + 1e-9


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_depth_never_decreases(seed):
    rng = np.random.default_rng(seed)
    att = rng.uniform(0, 1e5, (3, 11))
    dfn = rng.uniform(0, 1e5, (3, 11))
    out = run_front(attacker=att, defender=dfn, v_max=2.0, half_ratio=3.0, front_km=10.0,
                    town_km=[1.0])
    assert (np.diff(out["depth_km"]) >= 0).all()
    assert (np.diff(out["town_fallen"].astype(int)) >= 0).all()
