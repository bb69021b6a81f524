"""Comparisons with nan or NaT are false, ``!=`` included, as the module says (issue 15:
the masks are applied to ``!=`` only, where IEEE arithmetic would say true)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from polemos.scenario.expr import DictEnv, evaluate

OPS = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
       "==": np.equal, "!=": np.not_equal}
values = st.lists(st.sampled_from([np.nan, 0.0, 1.0, -2.5, np.inf]), min_size=1,
                  max_size=12)


@settings(max_examples=200, deadline=None)
@given(values, st.data(), st.lists(st.sampled_from(sorted(OPS)), min_size=1, max_size=3))
def test_numbers(a, data, ops):
    n = len(a)
    cols = [np.array(a)] + [np.array(data.draw(st.lists(
        st.sampled_from([np.nan, 0.0, 1.0, -2.5, np.inf]), min_size=n, max_size=n)))
        for _ in ops]
    env = DictEnv({f"x{i}": c for i, c in enumerate(cols)})
    text = "x0" + "".join(f" {op} x{i + 1}" for i, op in enumerate(ops))
    want = np.ones(n, dtype=bool)
    for i, op in enumerate(ops):
        want &= OPS[op](cols[i], cols[i + 1]) & ~np.isnan(cols[i]) & ~np.isnan(cols[i + 1])
    got = evaluate(text, env)
    assert got.dtype == bool and got.tolist() == want.tolist()


def test_dates_and_constants():
    d = np.array(["NaT", "2025-01-01", "2026-01-01"], dtype="datetime64[D]")
    env = DictEnv({"d": d, "x": np.array([np.nan, 1.0, 2.0])})
    for op, want in [("<", [False, True, False]), ("!=", [False, True, True]),
                     ("==", [False, False, False]), (">=", [False, False, True])]:
        assert evaluate(f"d {op} 2025-06-01", env).tolist() == want
    assert evaluate("x != 1", env).tolist() == [False, False, True]
    assert evaluate("x == x", env).tolist() == [False, True, True]
