"""One conformance suite over every registered model (scikit-learn's test_common habit).

Invariants: same seed same bits; a leading draw axis; no NaN; outputs within declared
bounds; probabilities sum to one along declared axes.
"""

from __future__ import annotations

import numpy as np
import pytest

from polemos.models.registry import all_models
from polemos.numerics.rng import child_generator

MODELS = all_models()
N_DRAWS = 64


def _run(spec, seed: int):
    inputs = spec.example(child_generator(seed, 0), N_DRAWS)
    return spec.run(**inputs, rng=child_generator(seed, 1))


def test_registry_is_not_empty():
    assert MODELS, "no models registered"


@pytest.mark.parametrize("name", list(MODELS))
def test_same_seed_same_bits(name):
    spec = MODELS[name]
    a, b = _run(spec, 7), _run(spec, 7)
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(np.asarray(a[key]), np.asarray(b[key]), err_msg=key)


@pytest.mark.parametrize("name", list(MODELS))
def test_leading_draw_axis_and_no_nan(name):
    out = _run(MODELS[name], 11)
    for key, value in out.items():
        arr = np.asarray(value)
        assert arr.shape[:1] == (N_DRAWS,), f"{key} has shape {arr.shape}"
        if arr.dtype.kind in "fc":
            assert not np.isnan(arr).any(), f"{key} has NaN"


@pytest.mark.parametrize("name", list(MODELS))
def test_bounds_and_simplex(name):
    spec = MODELS[name]
    out = _run(spec, 13)
    for key, (lo, hi) in spec.bounds.items():
        arr = np.asarray(out[key], dtype=float)
        if lo is not None:
            assert arr.min() >= lo - 1e-9, f"{key} below {lo}: {arr.min()}"
        if hi is not None:
            assert arr.max() <= hi + 1e-9, f"{key} above {hi}: {arr.max()}"
    for key, axis in spec.simplex.items():
        arr = np.asarray(out[key], dtype=float)
        np.testing.assert_allclose(arr.sum(axis=axis), 1.0, atol=1e-9, err_msg=key)
        assert arr.min() >= -1e-12


@pytest.mark.parametrize("name", list(MODELS))
def test_models_cite_their_source(name):
    spec = MODELS[name]
    assert len(spec.citation) > 20
    assert spec.run.__doc__ and len(spec.run.__doc__) > 40, "kernel docstring missing"
