"""The general Lanchester law: closed form, invariants, solve_ivp, and properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from polemos.models.attrition.laws import (
    Exponents,
    Law,
    exponents,
    integrate,
    invariant,
    loss_rates,
    rk4_step,
    square_law_solution,
)


def test_square_law_matches_closed_form():
    red0, blue0 = np.array([1000.0, 800.0, 500.0]), np.array([600.0, 900.0, 400.0])
    a, b = np.array([0.05, 0.02, 0.04]), np.array([0.03, 0.05, 0.04])
    t_end, n = 5.0, 500
    rs, bs = integrate(red0, blue0, a, b, exponents("square"), t_end, n)
    t = np.linspace(0, t_end, n + 1)
    r_exact, b_exact = square_law_solution(red0[:, None], blue0[:, None], a[:, None],
                                           b[:, None], t)
    assert (r_exact > 0).all() and (b_exact > 0).all()  # no annihilation in this window
    np.testing.assert_allclose(rs, r_exact, rtol=1e-9)
    np.testing.assert_allclose(bs, b_exact, rtol=1e-9)


@pytest.mark.parametrize("law", ["square", "linear", "osipov", "logarithmic"])
def test_state_equation_invariant_conserved(law):
    exps = exponents(law)
    red0, blue0 = np.array([1000.0, 700.0]), np.array([800.0, 650.0])
    scale = {"square": 1e-2, "osipov": 3e-2, "linear": 1e-5, "logarithmic": 0.1}[law]
    a, b = scale * np.array([1.0, 0.6]), scale * np.array([0.8, 1.1])
    rs, bs = integrate(red0, blue0, a, b, exps, 10.0, 400)
    assert (rs[:, -1] > 0).all() and (bs[:, -1] > 0).all()
    inv = invariant(rs, bs, a[:, None], b[:, None], exps)
    drift = np.abs(inv - inv[:, :1]).max(axis=1)
    size = np.abs(b * red0 ** max(exps.state_exponent, 1e-9)).max()
    assert drift.max() < 1e-8 * max(size, 1.0), drift


@pytest.mark.parametrize("law", ["square", "linear", "logarithmic", "mixed", "osipov"])
def test_against_solve_ivp(law):
    exps = exponents(law)
    red0, blue0 = 900.0, 700.0
    scale = {"square": 0.02, "osipov": 0.05, "mixed": 1e-4, "linear": 2e-5,
             "logarithmic": 0.1}[law]
    a, b = 0.8 * scale, 1.0 * scale
    if law == "mixed":
        b = 0.05  # blue suffers aimed fire: dB/dt = -b R

    def rhs(_t, y):
        lr, lb = loss_rates(np.array([y[0]]), np.array([y[1]]), np.array([a]),
                            np.array([b]), exps)
        return [-lr[0], -lb[0]]

    t_end, n = 8.0, 320
    ref = solve_ivp(rhs, (0, t_end), [red0, blue0], rtol=1e-11, atol=1e-9,
                    t_eval=np.linspace(0, t_end, n + 1), method="DOP853")
    rs, bs = integrate(red0, blue0, a, b, exps, t_end, n)
    np.testing.assert_allclose(rs[0], ref.y[0], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(bs[0], ref.y[1], rtol=1e-6, atol=1e-6)


def test_named_laws_and_helmbold():
    assert exponents(Law.square) == Exponents(0, 1, 0, 1)
    assert exponents("helmbold", weiss=1.0) == exponents("square")
    assert exponents("helmbold", weiss=0.0) == exponents("logarithmic")
    assert exponents("osipov").state_exponent == 1.5
    assert exponents("linear").state_exponent == 1.0
    with pytest.raises(ValueError, match="Weiss"):
        exponents("helmbold")
    with pytest.raises(ValueError, match="explicit exponents"):
        exponents("general")
    with pytest.raises(ValueError):
        Law("quadratic")


def test_annihilation_stops_at_zero():
    rs, bs = integrate(100.0, 1000.0, 0.5, 0.01, exponents("square"), 10.0, 10)
    assert rs[0, -1] == 0.0
    assert (np.diff(bs[0]) <= 0).all()
    # once red is gone, blue stops losing
    gone = np.argmax(rs[0] == 0.0)
    assert np.all(bs[0, gone:] == bs[0, gone])


finite = st.floats(min_value=0.0, max_value=1e6, allow_nan=False)
coef = st.floats(min_value=0.0, max_value=5.0, allow_nan=False)
law_st = st.sampled_from([law for law in Law if law not in (Law.helmbold, Law.general)])


@settings(max_examples=60, deadline=None)
@given(r=finite, bl=finite, a=coef, b=coef, law=law_st,
       dt=st.floats(min_value=1e-3, max_value=10.0))
def test_step_never_negative_and_never_gains(r, bl, a, b, law, dt):
    exps = exponents(law)
    # scale coefficients so the law's units stay in a sane range
    k = 1.0 / max(r, bl, 1.0) ** (exps.p_r + exps.q_r - 1.0) if law != "square" else 1.0
    lr, lb = rk4_step(np.array([r]), np.array([bl]), np.array([a * k]), np.array([b * k]),
                      exps, dt)
    assert 0.0 <= lr[0] <= r
    assert 0.0 <= lb[0] <= bl
    assert np.isfinite(lr).all() and np.isfinite(lb).all()


@settings(max_examples=30, deadline=None)
@given(r=st.floats(1.0, 1e5), bl=st.floats(1.0, 1e5), a=st.floats(0.0, 0.5),
       b=st.floats(0.0, 0.5), weiss=st.floats(0.0, 1.0))
def test_trajectories_monotone_without_reinforcement(r, bl, a, b, weiss):
    exps = exponents("helmbold", weiss=weiss)
    rs, bs = integrate(r, bl, a, b, exps, 20.0, 40)
    assert (rs >= 0).all() and (bs >= 0).all()
    assert (np.diff(rs, axis=-1) <= 1e-9).all()
    assert (np.diff(bs, axis=-1) <= 1e-9).all()
