"""The drivers' stability resamples are computed from counts over presorted columns,
bit for bit what the direct computation gives (issue 15)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from polemos.engine.ledger import _on_dyadic_grid, _resampled_effects, _split_effects


@settings(max_examples=120, deadline=None)
@given(st.integers(4, 61), st.integers(1, 7), st.integers(0, 2**32), st.booleans(),
       st.booleans(), st.booleans())
def test_resampled_effects_are_the_direct_ones(n, d, seed, ties, grid, nan):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)) * 10.0 ** rng.integers(-3, 4, size=d)
    if ties:  # discrete inputs (choices) and repeated values
        x[:, 0] = rng.integers(0, 3, size=n)
    if nan:
        x[rng.integers(0, n), rng.integers(0, d)] = np.nan
    y = rng.integers(0, 65, size=n) / 64 if grid else rng.normal(size=n) * 1e-3
    sels = rng.integers(0, n, (5, n))
    got = list(_resampled_effects(x, y, sels))
    assert len(got) == len(sels)
    for sel, e in zip(sels, got, strict=True):
        assert e.tobytes() == _split_effects(x, y, sel).tobytes()


def test_dyadic_grid():
    assert _on_dyadic_grid(np.array([0.0, 1 / 64, 0.5, 1.0]), 2000)
    assert not _on_dyadic_grid(np.array([0.1, 0.5]), 10)
    assert not _on_dyadic_grid(np.array([np.inf, 0.5]), 10)
    assert not _on_dyadic_grid(np.array([2.0**40]), 2000)  # sums could round
