"""The SMP's fast kernels against plain loops over the same equations (issue 15).

* the challenges (principals' and third parties' votes in each little contest, SemiCommit)
  against a loop over (challenger, target, third party), for every voting rule, with
  blocks of every shape and on two threads;
* the one-dimension coalitions from sorted prefix sums against the direct sum over voters;
* whole runs with the sorted coalitions forced on small cases against the direct ones.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polemos.models.bargaining import smp

SEEDS = st.integers(0, 2**32 - 1)


def _scenario(seed, n, k, draws, grid):
    """Random actors; positions on a coarse grid when ``grid`` (coincident actors, voters at
    midpoints: the ties the sorted coalitions must get right)."""
    rng = np.random.default_rng(seed)
    c = rng.uniform(1, 100, (draws, n))
    x = rng.uniform(0, 1, (draws, n, k))
    if grid:
        x = np.round(x * 4) / 4
    s = rng.uniform(0.05, 1.0, (draws, n, k))
    s = s / s.sum(-1, keepdims=True) * rng.uniform(0.3, 1.0, (draws, n, 1))
    return c, x, s


def _loop_challenges(d, r_est, w, s_tot, rule):
    """P(i beats j) and i's expected gain, one draw, by loops (KTAB SmpActor::probEduChlg)."""
    n = len(w)

    def u(i, a, b):  # utility to a of b's position, as challenger i estimates a's risk
        dist = d[a, b]
        return (1 - dist) * (1 + min(dist, 1.0) * r_est[i, a])

    def vote(weight, du):
        return float(smp.vote(rule, weight, du))

    p = np.full((n, n), np.nan)
    gain = np.full((n, n), -np.inf)
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            v_i = vote(w[i], u(i, i, i) - u(i, i, j))
            v_j = vote(w[j], u(i, j, i) - u(i, j, j))
            base_i = 1e-10 + max(v_i, 0) + max(v_j, 0)
            base_j = 1e-10 + max(-v_i, 0) + max(-v_j, 0)
            for_i, for_j = base_i, base_j
            for m in range(n):
                if m in (i, j):
                    continue
                c_m = vote(w[m], u(i, m, i) - u(i, m, j))
                p_m = (base_i + max(c_m, 0)) / (base_i + base_j + abs(c_m))
                v_m = vote(w[m], p_m * (u(i, m, m) - u(i, m, i))
                           - (1 - p_m) * (u(i, m, m) - u(i, m, j)))
                for_i += max(v_m, 0)
                for_j += max(-v_m, 0)
            p[i, j] = for_i / (for_i + for_j)
            uii, uij = u(i, i, i), u(i, i, j)
            win = p[i, j] * 2 * uii + (1 - p[i, j]) * 2 * uij
            gain[i, j] = (1 - s_tot[j]) * 2 * uii + s_tot[j] * win - (uii + uij)
    return p, gain


def _state(c, x, s):
    args = (smp.VotingRule.proportional, smp.VictoryProb.linear, smp.PCEModel.conditional)
    d, r, r_est, _ = smp._state(x, s, c, *args)
    return d, r, r_est, s.sum(-1) * c, s.sum(-1)


@settings(max_examples=40, deadline=None)
@given(seed=SEEDS, n=st.integers(2, 7), k=st.integers(1, 3), draws=st.integers(1, 2),
       grid=st.booleans(), rule=st.sampled_from(list(smp.VotingRule)),
       block=st.sampled_from([1, 7, 50, 1 << 16]), workers=st.sampled_from([1, 2]))
def test_challenges_equal_the_loops(seed, n, k, draws, grid, rule, block, workers):
    c, x, s = _scenario(seed, n, k, draws, grid)
    d, r, r_est, w, s_tot = _state(c, x, s)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(smp, "BLOCK_ELEMENTS", block)  # from one pair per block to everything
        p, gain = smp._challenges(d, r, r_est, w, s_tot, rule, workers)
    off = ~np.eye(n, dtype=bool)
    for t in range(draws):
        p_ref, gain_ref = _loop_challenges(d[t], r_est[t], w[t], s_tot[t], rule)
        np.testing.assert_allclose(p[t][off], p_ref[off], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(gain[t][off], gain_ref[off], rtol=1e-10, atol=1e-12)
        assert np.isneginf(gain[t][~off]).all()


@settings(max_examples=40, deadline=None)
@given(seed=SEEDS, n=st.integers(2, 30), draws=st.integers(1, 3), grid=st.booleans(),
       risky=st.booleans())
def test_sorted_coalitions_equal_the_direct_sum(seed, n, draws, grid, risky):
    """Coalitions from sorted prefix sums = ``1e-8 + sum_k w_k max(0, u_ka - u_kb)``."""
    c, x, s = _scenario(seed, n, 1, draws, grid)
    d = smp.distances(x, s)
    r = np.random.default_rng(seed).uniform(-0.5, 1.0, (draws, n))
    util = smp._clipped_utility(d, r[:, :, None]) if risky else 1.0 - d
    direct = smp.coalitions(util, c, smp.VotingRule.proportional)
    fast = smp.coalitions_1d(x[..., 0], util, c)
    scale = c.sum(-1)[:, None, None]
    np.testing.assert_allclose(fast, direct, rtol=1e-9, atol=1e-13 * scale.max())
    # coincident options: no one prefers either, exactly
    same = x[:, :, None, 0] == x[:, None, :, 0]
    assert (fast[same] == smp.MIN_COALITION).all()


@settings(max_examples=10, deadline=None)
@given(seed=SEEDS, n=st.integers(3, 9), grid=st.booleans())
def test_runs_with_sorted_coalitions_equal_direct_runs(seed, n, grid):
    c, x, s = _scenario(seed, n, 1, 2, grid)
    args = (c, 100 * x[..., 0], s[..., 0])
    direct = smp.run(*args, max_turns=6)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(smp, "SORTED_MIN", 1)
        fast = smp.run(*args, max_turns=6)
    np.testing.assert_array_equal(fast["turns"], direct["turns"])
    np.testing.assert_allclose(fast["positions"], direct["positions"], atol=1e-9)
    np.testing.assert_allclose(fast["probabilities"], direct["probabilities"], atol=1e-9)


def test_threads_give_the_same_bits():
    rng = np.random.default_rng(7)
    n = 60
    c, x, s = rng.uniform(10, 200, (1, n)), rng.uniform(0, 100, (1, n)), rng.uniform(0.3, 1, (1, n))
    one = smp.run(c, x, s, max_turns=3)
    two = smp.run(c, x, s, max_turns=3, workers=2)
    for key in one:
        np.testing.assert_array_equal(one[key], two[key])
    assert math.isfinite(float(one["forecast"][0, 0]))
