"""SMP position probabilities: grouping of equal positions, sums, forecast in the hull.

Properties over random inputs (hypothesis), with coincident and chained near-coincident
positions forced in, plus the KTAB-rule example that the old nearest-index mapping got
wrong (issue 12: an actor near a non-representative got probability 0).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from polemos.models.bargaining import smp

TOL = smp.POS_TOL


@st.composite
def issues(draw):
    """Random SMP inputs; some actors share positions, some sit in chains 0.6 tol apart."""
    seed = draw(st.integers(0, 2**32 - 1))
    n = draw(st.integers(2, 8))
    k = draw(st.integers(1, 3))
    draws = draw(st.integers(1, 3))
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 100, (draws, n, k))
    mode = draw(st.sampled_from(["free", "copies", "chain"]))
    if mode == "copies":
        src = rng.integers(0, n, n)
        keep = rng.random(n) < 0.5
        x[:, keep] = x[:, src[keep]]
    elif mode == "chain":
        step = 0.6 * TOL * 100.0 / np.sqrt(k)  # 0.6 tol per link on the 0-1 scale
        x[:, :, :] = x[:, :1, :] + step * np.arange(n)[None, :, None]
        x = x[:, rng.permutation(n)]
    x = np.clip(x, 0, 100)
    raw = rng.uniform(0.1, 1.0, (draws, n, k))
    s = raw / raw.sum(-1, keepdims=True) * rng.uniform(0.3, 0.99, (draws, n, 1))
    c = rng.uniform(1, 100, (draws, n))
    grouping = draw(st.sampled_from(list(smp.Grouping)))
    return c, x, s, grouping


def _in_hull(point, vertices) -> bool:
    """Whether ``point`` is a convex combination of the rows of ``vertices`` (LP)."""
    m = len(vertices)
    a_eq = np.vstack([vertices.T, np.ones((1, m))])
    b_eq = np.append(point, 1.0)
    res = linprog(np.zeros(m), A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * m, method="highs")
    return res.status == 0


@settings(max_examples=25, deadline=None)
@given(issues())
def test_probabilities_sum_to_one_and_forecast_in_hull(case):
    c, x, s, grouping = case
    out = smp.run(c, x, s, max_turns=4, grouping=grouping)
    share, held, group = out["probabilities"], out["position_probability"], out["position_group"]
    np.testing.assert_allclose(share.sum(-1), 1.0, atol=1e-9)
    assert (share >= 0).all() and (held <= 1 + 1e-12).all()
    n = share.shape[-1]
    reps = group == np.arange(n)
    # each group's probability once: the distinct positions' probabilities sum to one
    np.testing.assert_allclose(np.where(reps, held, 0.0).sum(-1), 1.0, atol=1e-9)
    # coincident actors show the same held probability and split it equally
    same = group[..., :, None] == group[..., None, :]
    size = same.sum(-1)
    np.testing.assert_allclose(share * size, held, atol=1e-12)
    assert (np.where(same, held[..., :, None] - held[..., None, :], 0.0) == 0).all()
    final = out["positions"][:, -1]
    for d in range(final.shape[0]):
        assert _in_hull(out["forecast"][d], final[d]), (out["forecast"][d], final[d])


@settings(max_examples=40, deadline=None)
@given(issues())
def test_grouping_is_a_partition(case):
    _, x, _, grouping = case
    z = x / 100.0
    rep = smp.group_positions(z, TOL, grouping)
    D, n = rep.shape
    idx = np.arange(n)
    # representatives represent themselves, and every group is named by one of them
    assert (np.take_along_axis(rep, rep, axis=1) == rep).all()
    assert (rep <= idx).all()  # the first actor of the group names it
    dist = np.sqrt(((z[:, :, None] - z[:, None]) ** 2).sum(-1))
    near = dist < TOL
    if grouping is smp.Grouping.ktab:
        for d in range(D):
            reps = np.flatnonzero(rep[d] == idx)
            # representatives are pairwise apart; each actor joins the first near one
            assert not (near[d][np.ix_(reps, reps)] & ~np.eye(len(reps), dtype=bool)).any()
            for i in range(n):
                first = next(r for r in reps if near[d, i, r])
                assert rep[d, i] == first
    else:
        # closed under "near": near actors share a group; a group is connected
        assert (~near | (rep[:, :, None] == rep[:, None, :])).all()


def test_ktab_rule_is_not_the_nearest_index():
    """0, 0.9 tol, 1.8 tol: KTAB groups {0, 1} and {2} (2 is near 1, which is no
    representative); the chain rule makes one group."""
    z = np.array([[[0.5], [0.5 + 0.9 * TOL], [0.5 + 1.8 * TOL], [0.9]]])
    assert smp.group_positions(z, TOL, "ktab").tolist() == [[0, 0, 2, 3]]
    assert smp.group_positions(z, TOL, "chain").tolist() == [[0, 0, 0, 3]]


def test_position_probabilities_of_a_chain_sum_to_one():
    rng = np.random.default_rng(3)
    n = 6
    z = 0.4 + 0.7 * TOL * rng.permutation(n)[None, :, None]
    c = rng.uniform(10, 100, (1, n))
    s = np.full((1, n, 1), 0.8)
    own_u = 1.0 - smp.distances(z, s)
    for grouping in smp.Grouping:
        held, share, rep = smp.position_probabilities(
            z, c, own_u, smp.VotingRule.proportional, smp.VictoryProb.linear,
            smp.PCEModel.conditional, TOL, grouping)
        np.testing.assert_allclose(share.sum(), 1.0)
        assert (held > 0).all()


def test_bad_tolerance_is_refused():
    with pytest.raises(ValueError, match="pos_tol"):
        smp.run(np.ones((1, 2)), np.zeros((1, 2)), np.full((1, 2), 0.5), pos_tol=0.0)
