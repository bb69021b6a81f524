"""The fast attrition kernels give the same bits as the plain expressions (issue 15).

``loss_rates`` and ``rk4_step`` skip factors ``x**0``, share powers between the two
sides and accumulate in place; :mod:`polemos.models.attrition.reference` holds the plain
textbook forms.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from polemos.models.attrition.laws import Exponents, Law, exponents, loss_rates, rk4_step
from polemos.models.attrition.reference import loss_rates as plain_loss_rates
from polemos.models.attrition.reference import rk4_step as plain_rk4

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
