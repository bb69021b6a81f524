"""The ledger's shared linear fit (issue 15): one SVD for every claim, the same
coefficients as a least-squares solve per claim, and the same bits whatever the number
of BLAS threads."""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_limits

from polemos.engine.ledger import _LinearFit, _top_inputs


def _lstsq_coef(m, u, usable):
    """The per-claim solve the shared fit replaces."""
    cols = np.flatnonzero(usable)
    z = u[:, cols] - u[:, cols].mean(axis=0)
    sd = z.std(axis=0)
    keep = sd > 0
    a = np.column_stack([z[:, keep] / sd[keep], np.ones(len(m))])
    coef = np.zeros(cols.size)
    coef[keep] = np.linalg.lstsq(a, m - m.mean(), rcond=None)[0][:-1]
    return coef


def _problem(seed, g=300, d=40):
    rng = np.random.default_rng(seed)
    u = rng.random((g, d))
    u[:, 3] = 0.5  # a constant input: no effect, never chosen
    usable = rng.random(d) < 0.8
    usable[3] = True
    beta = rng.standard_normal(d) * (rng.random(d) < 0.3)
    return u, usable, rng, beta


def test_coefficients_match_a_least_squares_solve_per_claim():
    u, usable, rng, beta = _problem(1)
    fit = _LinearFit(u, usable)
    for _ in range(5):  # several claims, one factorisation
        m = u @ (beta * rng.standard_normal(beta.size)) + 0.1 * rng.standard_normal(len(u))
        got, want = fit.coefficients(m), _lstsq_coef(m, u, usable)
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
        idx, signs = _top_inputs(m, fit)
        order = np.argsort(-np.abs(want), kind="stable")[: idx.size]
        assert list(idx) == list(fit.cols[order])
        assert list(signs) == list(np.sign(want[order]))
        assert 3 not in idx


def test_same_bits_whatever_the_blas_threads():
    u, usable, rng, beta = _problem(2, g=500, d=200)
    m = u @ beta + rng.standard_normal(len(u))
    with threadpool_limits(1):
        one = _LinearFit(u, usable).coefficients(m)
    with threadpool_limits(2):
        two = _LinearFit(u, usable).coefficients(m)
    assert one.tobytes() == two.tobytes()


def test_degenerate_inputs():
    u = np.full((10, 3), 0.5)
    fit = _LinearFit(u, np.ones(3, dtype=bool))
    assert not fit.coefficients(np.arange(10.0)).any()
    idx, _ = _top_inputs(np.zeros(10), fit)
    assert idx.size == 0
    assert _LinearFit(u, np.zeros(3, dtype=bool)).cols.size == 0
