"""Weights checked once (CheckedWeights) evaluate exactly as the plain array, and are
refused for the same reasons (issue 15: the ledger checks each matrix once)."""

from __future__ import annotations

import numpy as np
import pytest

from polemos.scenario.expr import DictEnv, ExprEvalError, evaluate
from polemos.scenario.expr.evaluate import CheckedWeights

CLAIMS = ["P(a > 0.5) > 0.4", "E(b) - Q(b, 0.9) < 1 and P(a > 0.2) >= 0.1", "E(a * b)",
          "not (P(a > 0.9 or b < 0) > 0.2)"]


@pytest.mark.parametrize("text", CLAIMS)
def test_same_values_as_the_array(text):
    rng = np.random.default_rng(7)
    env = DictEnv({"a": rng.random(60), "b": rng.normal(size=60)})
    flat = rng.dirichlet(np.ones(60), size=9)
    grouped = rng.dirichlet(np.ones(6), size=(10, 4))  # 10 groups of 6 draws, 4 rows each
    for w in (flat, grouped, flat[0]):
        want = evaluate(text, env, w)
        got = evaluate(text, env, CheckedWeights(w))
        assert got.dtype == want.dtype and got.tobytes() == want.tobytes()


@pytest.mark.parametrize("w, message", [
    (np.array([[0.5, 0.6]]), "sums to"), (np.array([[np.nan, 1.0]]), "finite"),
    (np.ones((2, 2, 2)), "grouped weights must sum to 1"), (np.empty((1, 0)), "shape")])
def test_refused_like_the_array(w, message):
    env = DictEnv({"a": np.ones(2)})
    with pytest.raises(ExprEvalError, match=message):
        evaluate("P(a > 0)", env, w)
    with pytest.raises(ExprEvalError, match=message):
        CheckedWeights(w)
