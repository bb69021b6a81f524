"""Force generation, withdrawals and multipliers of the weekly theatre kernel."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from polemos.models.attrition.lanchester import run, side_inputs, simulate
from polemos.models.attrition.laws import exponents, integrate

SQ = exponents("square")


def _no_combat(**kw):
    base = dict(red0=np.full(3, 1000.0), blue0=1000.0, a=0.0, b=0.0, exps=SQ, weeks=10)
    base.update(kw)
    return run(**base)


def test_training_lag_is_a_pipeline():
    out = _no_combat(recruit_red=100.0, pool_red=1e9, lag_red=np.array([0, 3, 5]))
    f = out["forces_red"]
    # lag 0 joins in the week recruited; lag L joins L weeks later
    np.testing.assert_allclose(f[0, :4], [1000, 1100, 1200, 1300])
    np.testing.assert_allclose(f[1, :6], [1000, 1000, 1000, 1000, 1100, 1200])
    np.testing.assert_allclose(f[2, 6:8], [1100, 1200])
    np.testing.assert_allclose(out["recruited_red"][:, -1], 1000.0)


def test_pool_and_budget_bound_recruitment():
    out = _no_combat(recruit_red=100.0, pool_red=np.array([250.0, 1e9, 1e9]),
                     budget_red=np.array([1e9, 50.0, 1e9]), cost_red=1.0)
    np.testing.assert_allclose(out["recruited_red"][:, -1], [250.0, 500.0, 1000.0])
    np.testing.assert_allclose(out["pool_red"][0, -1], 0.0)
    assert (out["pool_red"] >= 0).all()


def test_withdrawals_capped_at_forces():
    out = _no_combat(withdraw_blue=300.0)
    np.testing.assert_allclose(out["forces_blue"][:, :5], [[1000, 700, 400, 100, 0]] * 3)


def test_multiplier_scales_enemy_losses_and_time_varying_inputs():
    n, weeks = 2, 4
    base = dict(red0=np.full(n, 1000.0), blue0=1000.0, a=0.01, b=0.01, exps=SQ, weeks=weeks)
    plain = run(**base)
    strong = run(**base, mult_red=np.array([1.0, 2.0]))
    assert strong["losses_blue"][1, -1] > 1.8 * plain["losses_blue"][1, -1]
    np.testing.assert_allclose(strong["losses_blue"][0], plain["losses_blue"][0])
    # a time-varying (n, weeks) recruitment target is read week by week
    target = np.zeros((n, weeks))
    target[:, 2] = 500.0
    out = run(**base, recruit_red=target, pool_red=1e9)
    np.testing.assert_allclose(out["recruited_red"][:, 2:4], [[0, 500], [0, 500]])


def test_without_generation_matches_pure_law():
    red0, blue0 = np.array([640_000.0]), np.array([300_000.0])
    out = run(red0=red0, blue0=blue0, a=0.02, b=0.005, exps=SQ, weeks=20, substeps=4)
    rs, bs = integrate(red0, blue0, 0.02, 0.005, SQ, 20.0, 80)
    np.testing.assert_allclose(out["forces_red"][0], rs[0, ::4], rtol=1e-12)
    np.testing.assert_allclose(out["forces_blue"][0], bs[0, ::4], rtol=1e-12)
    np.testing.assert_allclose(out["losses_red"][0], red0 - rs[0, ::4], rtol=1e-9)


def test_noise_needs_rng_and_is_reproducible():
    import pytest

    with pytest.raises(ValueError, match="rng"):
        _no_combat(noise_sd=0.1)
    kw = dict(red0=np.full(5, 1e5), blue0=1e5, a=0.01, b=0.01, exps=SQ, weeks=8, noise_sd=0.3)
    one = run(**kw, rng=np.random.default_rng(1))
    two = run(**kw, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(one["forces_red"], two["forces_red"])
    assert np.ptp(one["losses_red"][:, -1]) > 0


@settings(max_examples=40, deadline=None)
@given(
    red0=st.floats(0.0, 1e6), blue0=st.floats(0.0, 1e6),
    a=st.floats(0.0, 0.5), b=st.floats(0.0, 0.5),
    recruit=st.floats(0.0, 5e4), pool=st.floats(0.0, 1e6),
    withdraw=st.floats(0.0, 5e4), lag=st.integers(0, 8),
    law=st.sampled_from(["square", "linear", "logarithmic", "mixed", "osipov"]),
)
def test_forces_never_negative_and_books_balance(red0, blue0, a, b, recruit, pool,
                                                 withdraw, lag, law):
    exps = exponents(law)
    scale = 1e-6 if law in ("linear", "mixed") else 1.0
    n = 1
    red = side_inputs(n, coef=a * scale, recruit=recruit, lag=lag, withdraw=withdraw)
    blue = side_inputs(n, coef=b * scale, recruit=recruit, lag=lag)
    out = simulate(np.array([red0]), np.array([blue0]), red, blue, exps, weeks=12,
                   pool_red=pool, pool_blue=pool)
    for key, value in out.items():
        assert (value >= 0).all(), key
        assert np.isfinite(value).all(), key
    assert (np.diff(out["losses_red"]) >= 0).all()
    assert (out["recruited_blue"][:, -1] <= pool + 1e-6).all()
    # blue: no withdrawals, so forces = start + graduated - losses <= start + recruited - losses
    assert (out["forces_blue"] <= blue0 + out["recruited_blue"] - out["losses_blue"] + 1e-6).all()


@settings(max_examples=25, deadline=None)
@given(red0=st.floats(1.0, 1e6), blue0=st.floats(1.0, 1e6), a=st.floats(0.0, 0.3),
       b=st.floats(0.0, 0.3))
def test_monotone_without_reinforcement(red0, blue0, a, b):
    out = run(red0=np.array([red0]), blue0=blue0, a=a, b=b, exps=SQ, weeks=15)
    assert (np.diff(out["forces_red"]) <= 1e-9).all()
    assert (np.diff(out["forces_blue"]) <= 1e-9).all()
