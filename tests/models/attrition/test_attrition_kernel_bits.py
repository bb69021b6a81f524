"""The fast attrition kernels give the same bits as the plain expressions (issue 15).

``loss_rates`` and ``rk4_step`` skip factors ``x**0``, share powers between the two
sides and accumulate in place; the references below are the plain textbook forms.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from polemos.models.attrition.laws import Exponents, Law, exponents, loss_rates, rk4_step


def _pow(x, e):
    return np.ones_like(x) if e == 0.0 else (x if e == 1.0 else x**e)


def plain_loss_rates(red, blue, a, b, e: Exponents):
    r, bl = np.maximum(red, 0.0), np.maximum(blue, 0.0)
    alive = (r > 0.0) & (bl > 0.0)
    return (np.where(alive, a * _pow(r, e.p_r) * _pow(bl, e.q_r), 0.0),
            np.where(alive, b * _pow(bl, e.p_b) * _pow(r, e.q_b), 0.0))


def plain_rk4(red, blue, a, b, e, dt):
    k1r, k1b = plain_loss_rates(red, blue, a, b, e)
    h = 0.5 * dt
    k2r, k2b = plain_loss_rates(red - h * k1r, blue - h * k1b, a, b, e)
    k3r, k3b = plain_loss_rates(red - h * k2r, blue - h * k2b, a, b, e)
    k4r, k4b = plain_loss_rates(red - dt * k3r, blue - dt * k3b, a, b, e)
    s = dt / 6.0
    lr = s * (k1r + 2.0 * k2r + 2.0 * k3r + k4r)
    lb = s * (k1b + 2.0 * k2b + 2.0 * k3b + k4b)
    return np.clip(lr, 0.0, np.maximum(red, 0.0)), np.clip(lb, 0.0, np.maximum(blue, 0.0))


NAMED = [exponents(law, weiss=0.3) for law in Law if law is not Law.general]
EXPS = st.one_of(st.sampled_from(NAMED), st.builds(
    Exponents, *[st.sampled_from([0.0, 0.25, 0.5, 1.0, 1.5, 2.0])] * 4))
STRENGTH = st.one_of(st.just(0.0), st.floats(-10.0, 1e6))


@settings(max_examples=150, deadline=None)
@given(e=EXPS, red=st.lists(STRENGTH, min_size=1, max_size=6), seed=st.integers(0, 2**16),
       dt=st.sampled_from([1.0, 0.25, 0.1]))
def test_kernels_match_the_plain_expressions_bit_for_bit(e, red, seed, dt):
    rng = np.random.default_rng(seed)
    red = np.array(red)
    blue = rng.uniform(0.0, 1e6, red.size) * (rng.random(red.size) < 0.8)
    a, b = rng.uniform(0.0, 0.05, red.size), rng.uniform(0.0, 0.05, red.size)
    for got, want in zip(loss_rates(red, blue, a, b, e), plain_loss_rates(red, blue, a, b, e),
                         strict=True):
        assert got.tobytes() == want.tobytes()
    for got, want in zip(rk4_step(red, blue, a, b, e, dt), plain_rk4(red, blue, a, b, e, dt),
                         strict=True):
        assert got.tobytes() == want.tobytes()


def test_the_comparison_can_fail():
    """Bits, not values: a reordered product (same value to 1e-15) is told apart."""
    rng = np.random.default_rng(0)
    red, blue = rng.uniform(1e4, 1e6, 1000), rng.uniform(1e4, 1e6, 1000)
    a, b = rng.uniform(0.0, 0.05, 1000), rng.uniform(0.0, 0.05, 1000)
    e = exponents(Law.helmbold, weiss=0.37)
    lr, _ = loss_rates(red, blue, a, b, e)
    reordered = a * (red**e.p_r * blue**e.q_r)
    assert np.allclose(lr, reordered, rtol=1e-14)
    assert lr.tobytes() != reordered.tobytes()
