"""Spatial Model of Politics in the manner of KTAB (KAPSARC Toolkit for Behavioral Analysis).

Actors hold positions ``x_i`` in ``[0, 1]^K`` (issue scales divided by their range),
saliences ``s_ik`` and capabilities ``c_i``. Each turn, for every draw:

1. **Distance and utility.** ``d_ij = sqrt(sum_k s_ik^2 (x_ik - x_jk)^2 / sum_k s_ik^2)``;
   the utility to ``i`` of ``j``'s position with risk attitude ``R`` in ``[-1, 1]`` is
   ``u(d, R) = (1 - d)(1 + R d)`` (risk neutral: ``1 - d``; ``R > 0`` risk averse).
2. **Probabilistic Condorcet election (PCE).** Coalition for option ``a`` against ``b``:
   ``C_ab = sum_k max(0, v_k(a, b))`` with the voting rule ``v_k = w_k (u_ka - u_kb)``
   (:class:`VotingRule`); victory probability ``P_ab = f(C_ab) / (f(C_ab) + f(C_ba))`` with
   ``f`` linear, square, quartic or octic (:class:`VictoryProb`); option probabilities
   ``p_a ~ prod_b P_ab`` (the *conditional* PCE, :class:`PCEModel`) or the stationary
   distribution of the uniform-challenge Markov chain.
3. **Risk attitudes** from the risk-neutral PCE over the actors' positions (weights
   ``c``): ``R_i = (3 p_i - (p_max + 2 p_min)) / (2 (p_max - p_min))`` in ``[-1/2, 1]``
   (BigRRange *Mid*); actor ``h`` estimates ``i``'s attitude as ``(2 R_h + R_i) / 3``
   (BigRAdjust *OneThird*).
4. **Challenges.** ``i`` values challenging ``j`` (its own estimate) as
   ``E = (1 - s_j) 2 u_ii + s_j (P 2 u_ii + (1 - P) 2 u_ij) - (u_ii + u_ij)`` where ``P``
   is the probability that ``i`` prevails given principals' votes and third parties'
   semi-committed votes in the "little contest" (``s_j`` = total salience of ``j``);
   each actor targets the ``j`` with the largest positive ``E``.
5. **Bargains.** The pair adopt the interpolated position
   ``b_k = (w_i t_ik + w_j t_jk) / (w_i + w_j)`` with ``w = s_k^2 P^2`` (S2P2), rounded
   to 1e-4; each actor then picks, among its status quo and the bargains it is party to,
   the one most likely to win a PCE in which every actor values the state after a
   bargain at the mean utility of the resulting positions (capability weights).
6. **Stopping rule.** Stop when the total movement of a turn falls below 2 % of the
   first turn's (after at least 2 turns), or after ``max_turns``.

Defaults follow KTAB's reference runs (``VictoryProbModel Linear, VotingRule Prop,
PCEModel Conditional, Deterministic transitions, BigRRange Mid, BigRAdjust OneThird,
ThirdPartyCommit SemiCommit, InterVecBrgn S2P2, BargnModel InitOnlyInterp``). References:
Wise, Lester & Efird (2015-2017), KTAB documentation and source (KAPSARC, MIT licence);
Efird, Lester & Wise (2016), J. East Asian Studies 16:117-145; Bueno de Mesquita (1994).
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np

CITATION = (
    "KAPSARC Toolkit for Behavioral Analysis (KTAB), Spatial Model of Politics (Wise, "
    "Lester & Efird, KAPSARC 2015-2017); Efird, Lester & Wise (2016), J. East Asian "
    "Studies 16:117-145."
)

MIN_COALITION = 1e-8
MIN_PRINCIPAL = 1e-10
MIN_SIG_EDU = 1e-5
POS_TOL = 1e-3
BLOCK_ELEMENTS = 1 << 16  # third-party terms per block: keeps the O(n^3) work in cache
SORTED_MIN = 48  # options from which the 1-D coalitions use sorted sums (coalitions_1d)
CHUNK_ELEMENTS = 1 << 22  # draws per chunk x n^3: bounds the memory of one turn


class VictoryProb(StrEnum):
    """Victory probability from coalition strengths: ``f(C_ab) / (f(C_ab) + f(C_ba))``."""

    linear = "linear"
    square = "square"
    quartic = "quartic"
    octic = "octic"


class VotingRule(StrEnum):
    """How an actor's vote between two options scales with its utility difference ``du``.

    ``proportional`` (KTAB default): ``w du``; ``binary``: ``w clip(du / 1e-8, -1, 1)``;
    ``prop_bin``: ``0.8 w du + 0.2 w binary``; ``cubic``: ``w du^3``; ``prop_cubic``:
    half each.
    """

    proportional = "proportional"
    binary = "binary"
    prop_bin = "prop_bin"
    cubic = "cubic"
    prop_cubic = "prop_cubic"


class PCEModel(StrEnum):
    """Probabilistic Condorcet election: ``conditional`` (``p_a ~ prod_b P_ab``, default) or
    ``markov`` (stationary distribution of uniform random challenges)."""

    conditional = "conditional"
    markov = "markov"


def vote(rule: VotingRule, w, du):
    """Vote ``v = w g(du)`` for the voting ``rule`` (KTAB's ``Model::vote``)."""
    if rule is VotingRule.proportional:
        return w * du
    binary = np.clip(du / 1e-8, -1.0, 1.0)
    if rule is VotingRule.binary:
        return w * binary
    if rule is VotingRule.prop_bin:
        return w * (0.8 * du + 0.2 * binary)
    if rule is VotingRule.cubic:
        return w * du**3
    return w * (0.5 * du + 0.5 * du**3)


def _power(c, vpm: VictoryProb):
    if vpm is VictoryProb.linear:
        return c
    if vpm is VictoryProb.square:
        return c * c
    if vpm is VictoryProb.quartic:
        return (c * c) ** 2
    return ((c * c) ** 2) ** 2


def victory(coal: np.ndarray, vpm: VictoryProb) -> np.ndarray:
    """``P[..., a, b]`` from coalition strengths ``coal[..., a, b]`` (diagonal 0.5)."""
    fa = _power(coal, vpm)
    fb = np.swapaxes(fa, -1, -2)
    return fa / (fa + fb)


def coalitions(util: np.ndarray, w: np.ndarray, rule: VotingRule) -> np.ndarray:
    """``C[d, a, b] = 1e-8 + sum_k max(0, v_k(a, b))``, in blocks of options ``a``."""
    D, K, m = util.shape
    coal = np.empty((D, m, m))
    wk = w[:, :, None, None]
    block = max(1, BLOCK_ELEMENTS // max(D * K * m, 1))
    for lo in range(0, m, block):
        hi = min(m, lo + block)
        du = util[:, :, lo:hi, None] - util[:, :, None, :]  # [d, k, a, b]
        if rule is VotingRule.proportional:
            np.maximum(du, 0.0, out=du)
            # sum over voters as a (batched) matrix-vector product: BLAS, one pass
            coal[:, lo:hi] = np.matmul(w[:, None, :], du.reshape(D, K, -1)).reshape(D, hi - lo, m)
        else:
            coal[:, lo:hi] = np.maximum(vote(rule, wk, du), 0.0).sum(axis=1)
    return MIN_COALITION + coal


def coalitions_1d(x: np.ndarray, util: np.ndarray, w: np.ndarray) -> np.ndarray:
    """:func:`coalitions` for the proportional rule when the options are the voters' own
    positions on one dimension, ``x[d, k]``, and each voter's utility decreases with the
    distance, ``util[d, k, a] = f_k(|x_k - x_a|)`` (so ``1 - d`` and KTAB's risk-adjusted
    utility, whose derivative ``R - 1 - 2 R d < 0`` for ``R`` in ``[-1/2, 1]``).

    Voter ``k`` then prefers ``a`` to ``b`` (``x_a < x_b``) exactly when ``x_k`` lies below
    the midpoint, so ``C_ab = sum_{x_k < m} w_k (u_ka - u_kb)`` and ``C_ba = sum_{x_k > m}
    w_k (u_kb - u_ka)``: differences of prefix (and suffix) sums of ``w_k u_ka`` over the
    voters sorted by position. ``O(n^2 log n)`` per draw instead of ``O(n^3)``; equal to
    :func:`coalitions` up to rounding (voters at the midpoint are indifferent).
    """
    D, n = x.shape
    coal = np.empty((D, n, n))
    for d in range(D):  # searchsorted is one-dimensional; large n, few draws
        order = np.argsort(x[d], kind="stable")
        xs = x[d, order]
        # sorted voters (rows) and options (columns): the midpoints grow along each row,
        # which keeps the binary searches short
        wu = w[d, order, None] * util[d][np.ix_(order, order)]
        pre = np.zeros((n + 1, n))
        np.cumsum(wu, axis=0, out=pre[1:])
        suf = np.zeros((n + 1, n))
        np.cumsum(wu[::-1], axis=0, out=suf[1:])
        suf = suf[::-1]  # suf[t, a] = sum over the sorted voters t, t + 1, ...
        mid = 0.5 * (xs[:, None] + xs[None, :])
        lo = np.searchsorted(xs, mid.ravel(), side="left").reshape(n, n)  # voters below
        hi = np.searchsorted(xs, mid.ravel(), side="right").reshape(n, n)  # not above
        below = np.take_along_axis(pre, lo.T, axis=0).T - np.take_along_axis(pre, lo, axis=0)
        above = np.take_along_axis(suf, hi.T, axis=0).T - np.take_along_axis(suf, hi, axis=0)
        cs = np.where(xs[:, None] < xs[None, :], below,
                      np.where(xs[:, None] > xs[None, :], above, 0.0))
        inv = np.empty(n, dtype=np.intp)
        inv[order] = np.arange(n)
        coal[d] = cs[np.ix_(inv, inv)]
    return MIN_COALITION + np.maximum(coal, 0.0)


def pce(
    util: np.ndarray,
    w: np.ndarray,
    rule: VotingRule = VotingRule.proportional,
    vpm: VictoryProb = VictoryProb.linear,
    model: PCEModel = PCEModel.conditional,
    valid: np.ndarray | None = None,
    x1: np.ndarray | None = None,
) -> np.ndarray:
    """Probabilistic Condorcet election over options, vectorised over draws.

    ``util[d, k, a]``: utility to actor ``k`` of option ``a``; ``w[d, k]`` voting weights;
    ``valid[d, a]`` masks options that exist. Returns ``p[d, a]`` (zero where invalid).
    ``x1[d, k]`` (optional): the options are the voters' own positions on one dimension
    and utilities decrease with distance; many options then use :func:`coalitions_1d`.
    """
    if x1 is not None and rule is VotingRule.proportional and util.shape[-1] >= SORTED_MIN:
        coal = coalitions_1d(x1, util, w)
    else:
        coal = coalitions(util, w, rule)
    p_ab = victory(coal, vpm)
    n = util.shape[-1]
    if valid is None:
        valid = np.ones(util.shape[::2], dtype=bool)
    pair = valid[:, :, None] & valid[:, None, :]
    if model is PCEModel.conditional:
        logp = np.where(pair, np.log(np.maximum(p_ab, 1e-300)), 0.0).sum(axis=-1)
        logp = np.where(valid, logp, -np.inf)
        logp -= logp.max(axis=-1, keepdims=True)
        p = np.exp(logp)
        return p / p.sum(axis=-1, keepdims=True)
    # Markov chain with uniform challenges among valid options (KTAB markovUniformPCE)
    m = valid.sum(axis=-1, keepdims=True).astype(float)
    p_ab = np.where(pair, p_ab, 0.0)
    p = valid / m
    for _ in range(2000):
        q = (p_ab * (p[:, :, None] + p[:, None, :])).sum(axis=-1) / m
        q = np.where(valid, q, 0.0)
        change = np.abs(q - p).max()
        p = 0.5 * (p + q)
        if change < 1e-10:
            break
    _ = n
    return p / p.sum(axis=-1, keepdims=True)


def distances(x: np.ndarray, s: np.ndarray) -> np.ndarray:
    """``d[d, i, j]``: salience-weighted distance from ``i``'s position to ``j``'s."""
    s2 = s * s
    tot = s2.sum(axis=-1)
    diff2 = (x[:, None, :, :] - x[:, :, None, :]) ** 2  # [d, i, j, k]
    num = np.einsum("dik,dijk->dij", s2, diff2)
    return np.sqrt(num / np.where(tot > 0, tot, 1.0)[:, :, None])


def utility(d, r):
    """KTAB's risk-adjusted utility ``(1 - d)(1 + r d)`` of a normalised distance ``d``."""
    return (1.0 - d) * (1.0 + d * r)


def risk_attitudes(p: np.ndarray) -> np.ndarray:
    """BigRRange *Mid*: ``R = (3 p - (p_max + 2 p_min)) / (2 (p_max - p_min))``."""
    pmax, pmin = p.max(axis=-1, keepdims=True), p.min(axis=-1, keepdims=True)
    span = pmax - pmin
    return np.where(span > 0, (3 * p - (pmax + 2 * pmin)) / (2 * np.where(span > 0, span, 1.0)), 0.0)


def _challenges(d, r, r_est, w_tot, s_tot, rule, workers=1):
    """``(P[d, i, j], E[d, i, j])``: i's estimate that i beats j, and i's gain from trying.

    Challenger ``i`` judges with its own perspective: the utility to ``a`` of ``b``'s
    position is ``U^i(a, b) = u(d_ab, R^i_a)`` with ``R^i_a = r_est[i, a] = (2 r_i + r_a) /
    3`` (BigRAdjust *OneThird*, ``r`` the risk attitudes); ``U^i(a, a)
    = 1`` (distance 0). The third-party sums run over ``(i, j, n)``: ``n^3`` terms per
    turn, each a nonlinear function of all three indices (the SemiCommit vote below),
    so they do not reduce to matrix products; they run in blocks of ``(i, j)`` whose
    arrays stay in cache, and the ``n^3`` tensor is never stored (memory ``O(n^2)``).
    """
    n = d.shape[1]
    dt = np.swapaxes(d, 1, 2)  # dt[d, b, a] = d[d, a, b]
    r_own = np.einsum("dii->di", r_est)
    uij = _clipped_utility(d, r_own[:, :, None])  # U^i(i, j)
    uni = _clipped_utility(dt, r_est)  # uni[d, i, n] = U^i(n, i) = u(d_ni, R^i_n)
    ci = vote(rule, w_tot[:, :, None], 1.0 - uij)
    cj = vote(rule, w_tot[:, None, :], uni - 1.0)  # U^i(j, i) - U^i(j, j)
    chij0 = MIN_PRINCIPAL + np.maximum(ci, 0) + np.maximum(cj, 0)
    chji0 = MIN_PRINCIPAL + np.maximum(-ci, 0) + np.maximum(-cj, 0)
    third = _third_party_sums if rule is VotingRule.proportional else _third_party_sums_general
    total, spread = third(dt, r, r_est, w_tot, uni, chij0, chji0, rule, workers)
    chij = chij0 + 0.5 * (spread + total)  # + sum_n max(v_n, 0)
    chji = chji0 + 0.5 * (spread - total)  # + sum_n max(-v_n, 0)
    p = chij / (chij + chji)
    sj = s_tot[:, None, :]
    cntst = p * 2.0 + (1 - p) * 2 * uij
    edu = (1 - sj) * 2.0 + sj * cntst - (1.0 + uij)
    edu = np.where(np.eye(n, dtype=bool)[None], -np.inf, edu)
    return p, edu


def _blocks(D, n):
    """Blocks ``(i0, i1, j0, j1)`` of (challenger, target) pairs with about
    ``BLOCK_ELEMENTS`` third-party terms each (at least one pair)."""
    per_i = max(D * n * n, 1)
    if per_i <= BLOCK_ELEMENTS:
        ib = BLOCK_ELEMENTS // per_i
        return [(lo, min(n, lo + ib), 0, n) for lo in range(0, n, ib)]
    jb = max(1, BLOCK_ELEMENTS // max(D * n, 1))
    # targets outer: the (target, third party) slices stay in cache across challengers
    return [(i, i + 1, lo, min(n, lo + jb)) for lo in range(0, n, jb) for i in range(n)]


def _third_party_sums(dt, r, r_est, w_tot, uni, chij, chji, rule, workers=1):
    """``(sum_n v_n, sum_n |v_n|)[d, i, j]`` over third parties ``n`` (not ``i``, not ``j``)
    in the little contest ``i`` vs ``j``, proportional voting (KTAB SemiCommit).

    With ``a_n = w_n (1 - U^i(n, i))`` and ``b_n = w_n (1 - U^i(n, j))``, ``n``'s vote
    for ``i`` over ``j`` is ``c_n = b_n - a_n``; it expects ``i`` to win with ``p_n =
    (C_ij + max(c_n, 0)) / (C_ij + C_ji + |c_n|)`` and votes ``v_n = p_n a_n - (1 - p_n)
    b_n`` (= ``w_n (p_n (U_nn - U_ni) - (1 - p_n)(U_nn - U_nj))``). The same with fewer
    operations: ``2 p_n - 1 = (c_n + C_ij - C_ji) / (|c_n| + C_ij + C_ji)``, so ``2 v_n =
    (2 p_n - 1)(a_n + b_n) - c_n``. ``b`` is affine in the challenger's own attitude:
    ``b_n = P_jn - (2 r_i / 3) Q_jn`` with ``Q = w_n (1 - d_nj) min(d_nj, 1)`` and ``P =
    w_n d_nj - Q r_n / 3`` (n^2 each), and ``a`` is ``b`` at ``j = i`` (``r_est`` and
    ``uni`` serve the other rules only). A term costs 14 element-wise passes over three
    preallocated, cache-sized buffers, three of them broadcasting a row."""
    D, n = dt.shape[0], dt.shape[1]
    wn = w_tot[:, None, :]
    far = 1.0 - dt  # far[d, j, n] = 1 - d_nj
    Q = wn * far * np.minimum(dt, 1.0)
    P = wn * (1.0 - far) - Q * (r[:, None, :] / 3.0)
    rho = (2.0 / 3.0) * r  # [d, i]
    # a_n is b_n at j = i, by the same operations: equal bits when j's position is i's
    alpha = P - rho[:, :, None] * Q  # [d, i, n]
    both = chij + chji
    lead = chij - chji
    total = np.empty((D, n, n))
    spread = np.empty((D, n, n))

    def work(blocks):
        size = max((i1 - i0) * (j1 - j0) for i0, i1, j0, j1 in blocks) * D * n
        bufs = np.empty((3, size))  # one set per thread
        ar = np.arange(n)
        for i0, i1, j0, j1 in blocks:
            shape = (D, i1 - i0, j1 - j0, n)
            m = shape[1] * shape[2] * n * D
            ab, c, y = (buf[:m].reshape(shape) for buf in bufs)
            np.multiply(rho[:, i0:i1, None, None], Q[:, None, j0:j1], out=ab)
            np.subtract(P[:, None, j0:j1], ab, out=ab)  # b_n
            np.subtract(ab, alpha[:, i0:i1, None, :], out=c)  # c_n
            ab *= 2.0
            ab -= c  # a_n + b_n
            np.abs(c, out=y)
            y += both[:, i0:i1, j0:j1, None]
            ab /= y
            np.add(c, lead[:, i0:i1, j0:j1, None], out=y)
            ab *= y  # (2 p_n - 1)(a_n + b_n)
            ab -= c  # 2 v_n
            _drop_principals(ab, i0, j0, ar)
            np.add.reduce(ab, axis=-1, out=total[:, i0:i1, j0:j1])
            np.abs(ab, out=ab)
            np.add.reduce(ab, axis=-1, out=spread[:, i0:i1, j0:j1])

    _in_threads(work, _blocks(D, n), workers)
    total *= 0.5
    spread *= 0.5
    return total, spread


def _in_threads(work, blocks, workers):
    """``work(part)`` over ``workers`` contiguous parts of ``blocks``, in threads (NumPy
    releases the GIL in its loops; the parts write disjoint slices: same bits)."""
    workers = max(1, min(workers, len(blocks)))
    if workers == 1:
        work(blocks)
        return
    from concurrent.futures import ThreadPoolExecutor

    step = -(-len(blocks) // workers)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(work, [blocks[k:k + step] for k in range(0, len(blocks), step)]))


def _drop_principals(v, i0, j0, ar):
    """Zero the terms ``n = i`` and ``n = j`` of a block ``v[d, i - i0, j - j0, n]``
    (``ar = arange(n)``)."""
    ib, jb = ar[: v.shape[1]], ar[: v.shape[2]]
    v[:, ib, :, i0 + ib] = 0.0
    v[:, :, jb, j0 + jb] = 0.0


def _third_party_sums_general(dt, r, r_est, w_tot, uni, chij, chji, rule, workers=1):
    """As :func:`_third_party_sums`, for any voting rule (:func:`_third_party_votes`)."""
    D, n = dt.shape[0], dt.shape[1]
    wn = w_tot[:, None, None, :]
    near = np.minimum(dt, 1.0)[:, None]  # [d, 1, j, n]: min(d_nj, 1)
    far = (1.0 - dt)[:, None]
    both = chij + chji
    total = np.empty((D, n, n))
    spread = np.empty((D, n, n))
    ar = np.arange(n)

    def work(blocks):
        for i0, i1, j0, j1 in blocks:
            rb = r_est[:, i0:i1, None, :]  # R^i_n
            unj = near[:, :, j0:j1] * rb  # U^i(n, j) = (1 - d_nj)(1 + min(d_nj, 1) R^i_n)
            unj += 1.0
            unj *= far[:, :, j0:j1]
            vn = _third_party_votes(rule, wn, uni[:, i0:i1, None, :], unj, 1.0,
                                    chij[:, i0:i1, j0:j1, None], both[:, i0:i1, j0:j1, None])
            _drop_principals(vn, i0, j0, ar)
            total[:, i0:i1, j0:j1] = vn.sum(-1)
            spread[:, i0:i1, j0:j1] = np.abs(vn).sum(-1)

    _in_threads(work, _blocks(D, n), workers)
    return total, spread


def _third_party_votes(rule, wn, uni, unj, unn, chij, both):
    """Votes ``v_n`` of third parties ``n`` in the little contest ``i`` vs ``j`` (KTAB
    SemiCommit): with ``c_n = vote(U(n, i) - U(n, j))``, ``n`` expects ``i`` to win with
    ``p = (C_ij + max(c_n, 0)) / (C_ij + C_ji + |c_n|)`` and votes
    ``vote(p (U_nn - U_ni) - (1 - p)(U_nn - U_nj))``."""
    cn = vote(rule, wn, uni - unj)
    pin = (chij + np.maximum(cn, 0)) / (both + np.abs(cn))
    return vote(rule, wn, pin * (unn - uni) - (1 - pin) * (unn - unj))


def _round4(x):
    return np.floor(0.5 + x * 1e4) / 1e4


def _bargains(x, s, target, p_win):
    """S2P2 interpolated bargains for each initiator ``i`` and its target (KTAB brgnIIJ)."""
    D, n, _k = x.shape
    tj = np.take_along_axis(x, target[:, :, None], axis=1)
    sj = np.take_along_axis(s, target[:, :, None], axis=1)
    pi = p_win[:, :, None]
    wi = s**2 * pi**2
    wj = sj**2 * (1 - pi) ** 2
    den = wi + 1e-6 + wj
    b_init = _round4(((wi + 1e-6) * x + wj * tj) / den)
    b_rcvr = _round4((wi * x + (1e-6 + wj) * tj) / den)
    _ = (D, n)
    return b_init, b_rcvr


def _pos_util(x, s, r, p):
    """``u[d, a, i]``: utility to actor ``a`` (own risk ``r_a``) of point ``p[d, i]``."""
    s2 = s * s
    tot = s2.sum(-1)
    diff2 = (x[:, :, None, :] - p[:, None, :, :]) ** 2
    d = np.sqrt(np.einsum("dak,daik->dai", s2, diff2) / np.where(tot > 0, tot, 1.0)[:, :, None])
    return _clipped_utility(d, r[:, :, None])


def _clipped_utility(d, r):
    # KTAB: (1 - d)(1 + R d), and (1 - d)(1 + R) when round-off drives d above 1
    return (1.0 - d) * (1.0 + np.minimum(d, 1.0) * r)


def _resolve(x, s, c, r, own_u, has, target, b_init, b_rcvr, rule, vpm, model):
    """Each actor picks, by PCE, among its status quo and the bargains it is party to."""
    D, n, _ = x.shape
    idx = np.arange(n)
    base = own_u.sum(-1)  # [d, a]: sum_l U_a(l)
    u_init = _pos_util(x, s, r, b_init)  # [d, a, i]
    u_rcvr = _pos_util(x, s, r, b_rcvr)
    ua_i = own_u  # [d, a, l] = U_a(l)
    ua_t = own_u[np.arange(D)[:, None, None], idx[None, :, None], target[:, None, :]]
    u_brg = (base[:, :, None] - ua_i - ua_t + u_init + u_rcvr) / n  # [d, a, i]
    u_sq = base / n
    # options of actor k: its status quo, then the bargains it is party to (initiated by i
    # with i == k or target(i) == k), in increasing i; all actors at once, padded to M
    party = has[:, None, :] & ((idx[None, None, :] == idx[None, :, None])
                               | (target[:, None, :] == idx[None, :, None]))  # [d, k, i]
    counts = party.sum(axis=-1).max(axis=0)  # per actor, over draws
    new_x = x.copy()
    # batch the actors with the same number of options (no padding to the busiest actor)
    sizes = np.flatnonzero(np.bincount(counts))  # the distinct counts (np.unique loads numpy.ma)
    for m_brg in sizes[sizes > 0]:
        ks = np.flatnonzero(counts == m_brg)
        new_x[:, ks] = _resolve_group(x, c, party[:, ks], ks, u_sq, u_brg, b_init, b_rcvr,
                                      int(m_brg), rule, vpm, model)
    return new_x


def _resolve_group(x, c, party, ks, u_sq, u_brg, b_init, b_rcvr, m_brg, rule, vpm, model):
    """PCE over the status quo and up to ``m_brg`` bargains for the actors ``ks``."""
    D, n, _ = x.shape
    K = len(ks)
    order = np.argsort(~party, axis=-1, kind="stable")[..., :m_brg]  # [d, k, m] initiators
    dd, kk = np.arange(D)[:, None], np.arange(K)[None, :]
    valid = np.ones((D, K, m_brg + 1), dtype=bool)
    valid[..., 1:] = party[dd[..., None], kk[..., None], order]
    util = np.empty((D, K, n, m_brg + 1))  # [d, k, a, option]: status quo, then bargains
    util[..., 0] = u_sq[:, None, :]
    util[..., 1:] = u_brg[dd[..., None, None], np.arange(n)[None, None, :, None],
                          order[:, :, None, :]]
    p = pce(util.reshape(D * K, n, m_brg + 1), np.repeat(c, K, axis=0), rule, vpm, model,
            valid.reshape(D * K, m_brg + 1)).reshape(D, K, m_brg + 1)
    best = np.argmax(p, axis=-1)  # first maximum: the status quo wins ties
    chosen = order[dd, kk, np.maximum(best - 1, 0)]  # [d, k]
    pos_init = b_init[dd, chosen]
    pos_rcvr = b_rcvr[dd, chosen]
    mine = (chosen == ks[None, :])[..., None]
    return np.where((best == 0)[..., None], x[:, ks], np.where(mine, pos_init, pos_rcvr))


def _one_dim(x):
    """Positions ``x[d, k]`` of a one-dimension issue, else None (for :func:`pce`)."""
    return x[..., 0] if x.shape[-1] == 1 else None


def _state(x, s, c, rule, vpm, model):
    """Distances, risk attitudes, estimated attitudes and own utilities of one state."""
    d = distances(x, s)
    rn = 1.0 - d
    p_rn = pce(rn, c, rule, vpm, model, x1=_one_dim(x))
    r = risk_attitudes(p_rn)
    r_est = (2.0 * r[:, :, None] + r[:, None, :]) / 3.0  # [d, h, i]: h's estimate of R_i
    own_u = _clipped_utility(d, r[:, :, None])  # U_i(j) with own risk
    return d, r, r_est, own_u


class Grouping(StrEnum):
    """How actors' positions are grouped into distinct positions before the PCE.

    Both make a partition of the actors (each actor in exactly one group, so "same group"
    is an equivalence relation: reflexive, symmetric and transitive), and the groups'
    probabilities sum to one.

    ``ktab`` (default): KTAB's rule. Actors are scanned in order; an actor joins the first
    *representative* (the first actor of an earlier group) within ``tol`` of it
    (Euclidean distance on the [0, 1] scale), else it founds a new group. KTAB:
    ``KBase::ueIndices`` (kutils.h) with ``SMPState::equivNdx`` (smp.cpp: ``norm(p_i -
    p_j) < posTol``, ``posTol = 1E-3``, smp.h), called by ``State::setUENdx``
    (kstate.cpp); the position probabilities are the PCE over the representatives
    (``State::posProb``). An actor within ``tol`` of a non-representative only is *not*
    merged with it (which the old nearest-index mapping did, giving it probability 0).
    ``chain``: the transitive closure of "within ``tol``" (single-linkage components):
    positions linked by a chain of near neighbours form one group, represented by its
    first actor.
    """

    ktab = "ktab"
    chain = "chain"


def group_positions(x, tol=POS_TOL, grouping: Grouping | str = Grouping.ktab) -> np.ndarray:
    """``rep[d, i]``: index of the representative actor of ``i``'s group (see
    :class:`Grouping`); representatives are their own representative."""
    grouping = Grouping(grouping)
    D, n = x.shape[0], x.shape[1]
    near = np.sqrt(((x[:, :, None, :] - x[:, None, :, :]) ** 2).sum(-1)) < tol  # [d, i, j]
    if grouping is Grouping.chain:
        label = np.broadcast_to(np.arange(n), (D, n)).copy()
        for _ in range(n):  # min-label propagation: at most n sweeps to converge
            new = np.where(near, label[:, None, :], n).min(axis=2)
            if (new == label).all():
                break
            label = new
        return label
    is_rep = np.zeros((D, n), dtype=bool)
    for i in range(n):  # KTAB scans the actors in order against the representatives so far
        is_rep[:, i] = ~(near[:, i, :i] & is_rep[:, :i]).any(axis=1)
    return np.argmax(near & is_rep[:, None, :], axis=2)


def position_probabilities(x, c, own_u, rule, vpm, model, tol=POS_TOL,
                           grouping: Grouping | str = Grouping.ktab):
    """Probabilities of the distinct positions, per actor: ``(held, share, rep)``.

    The PCE runs over the groups' representatives (:func:`group_positions`), so the
    groups' probabilities sum to one. ``held[d, i]`` is the probability of the position
    actor ``i`` holds (KTAB's displayed convention: coincident actors each show the
    whole); ``share[d, i]`` splits it equally among the actors of the group (sums to one
    over actors); ``rep[d, i]`` names the group.
    """
    D, n, _ = x.shape
    rep = group_positions(x, tol, grouping)
    valid = rep == np.arange(n)[None]
    p = pce(own_u, c, rule, vpm, model, valid, x1=_one_dim(x))
    held = np.take_along_axis(p, rep, axis=1)
    size = (rep[:, :, None] == rep[:, None, :]).sum(-1)
    return held, held / size, rep


def _run_draws(c, z, s, max_turns, min_turns, stop_ratio, rule, vpm, model, grouping, tol,
               workers=1):
    """Turns until every draw has stopped: ``(positions, probabilities, position
    probabilities, groups, turns)`` with positions on [0, 1].

    A turn runs only on the draws still active (a stopped draw keeps its positions, and
    its probabilities are those of the first turn after it stopped): in a Monte Carlo run
    most draws stop long before the slowest one."""
    D = z.shape[0]
    s_tot = s.sum(-1)
    w_tot = s_tot * c
    hist = [z]
    probs, pos_probs, groups = [], [], []
    active = np.ones(D, dtype=bool)
    fresh = active  # draws whose positions changed in the last turn
    turns = np.zeros(D, dtype=int)
    first = None
    t = 0
    while active.any() and t < max_turns:
        t += 1
        zc = hist[-1]
        f, a = _subset(fresh), _subset(active)
        d, r, r_est, own_u = _state(f(zc), f(s), f(c), rule, vpm, model)
        shown = position_probabilities(f(zc), f(c), own_u, rule, vpm, model, tol, grouping)
        for out, got in zip((pos_probs, probs, groups), shown, strict=True):
            out.append(got if not out or fresh.all() else _put(out[-1], fresh, got))
        k = _subset(active[fresh])  # the active draws among the fresh ones
        p_win, edu = _challenges(k(d), k(r), k(r_est), a(w_tot), a(s_tot), rule, workers)
        target = np.argmax(edu, axis=2)
        best = np.take_along_axis(edu, target[:, :, None], axis=2)[..., 0]
        has = best > MIN_SIG_EDU
        pw = np.take_along_axis(p_win, target[:, :, None], axis=2)[..., 0]
        b_init, b_rcvr = _bargains(a(zc), a(s), target, pw)
        moved_to = _resolve(a(zc), a(s), a(c), k(r), k(own_u), has, target, b_init, b_rcvr,
                            rule, vpm, model)
        new = moved_to if active.all() else _put(zc, active, moved_to)
        hist.append(new)
        turns = np.where(active, t, turns)
        moved = np.sqrt(((new - zc) ** 2).sum(-1)).sum(-1)
        if first is None:
            first = moved + 1e-4
        fresh = active
        active = active & ~((t >= min_turns) & (moved / first < stop_ratio))
    _, _, _, own_u = _state(hist[-1], s, c, rule, vpm, model)
    pp, pr, rep = position_probabilities(hist[-1], c, own_u, rule, vpm, model, tol,
                                   grouping)
    probs.append(pr)
    pos_probs.append(pp)
    groups.append(rep)
    return (np.stack(hist, axis=1), np.stack(probs, axis=1), np.stack(pos_probs, axis=1),
            np.stack(groups, axis=1), turns)


def _subset(mask):
    """``arr -> arr[mask]`` along the draw axis (the array itself when every draw is in)."""
    if mask.all():
        return lambda arr: arr
    idx = np.flatnonzero(mask)
    return lambda arr: arr[idx]


def _put(base, mask, values):
    """A copy of ``base`` with the draws of ``mask`` replaced by ``values``."""
    out = base.copy()
    out[mask] = values
    return out


def run(
    capability,
    position,
    salience,
    rng: np.random.Generator | None = None,
    max_turns: int = 100,
    min_turns: int = 2,
    stop_ratio: float = 0.02,
    scale: tuple[float, float] = (0.0, 100.0),
    voting_rule: VotingRule | str = VotingRule.proportional,
    victory_prob: VictoryProb | str = VictoryProb.linear,
    pce_model: PCEModel | str = PCEModel.conditional,
    grouping: Grouping | str = Grouping.ktab,
    pos_tol: float = POS_TOL,
    workers: int = 1,
) -> dict[str, np.ndarray]:
    """KTAB-style Spatial Model of Politics, deterministic transitions, vectorised over draws.

    ``capability`` ``(n_draws, n_actors)``; ``position`` and ``salience`` ``(n_draws,
    n_actors[, n_dims])`` with positions on ``scale`` and saliences in [0, 1] (a 2-D
    salience applies to one dimension). Algorithm and defaults: see the module docstring
    (KTAB SMP, KAPSARC). ``rng`` is unused (deterministic state transitions).

    Returns ``positions`` ``(n_draws, max_turns + 1, n_actors, n_dims)`` (after its own
    stop, a draw's state is repeated), ``probabilities`` ``(n_draws, max_turns + 1,
    n_actors)`` (PCE over the distinct positions, split equally among the actors sharing
    one: sums to one), ``position_probability`` (KTAB's display: the probability of the
    position each actor holds), ``position_group`` (same shape, int: the index of the
    representative actor of each actor's group of coincident positions, grouped by
    ``grouping`` within ``pos_tol`` on the [0, 1] scale, :class:`Grouping`), ``turns``
    ``(n_draws,)`` turns run, and ``forecast`` ``(n_draws, n_dims)``: the
    probability-weighted mean ``sum_g P_g x_g`` over the distinct final positions ``x_g``
    (a convex combination of final positions: it lies in their convex hull).

    ``workers`` > 1 runs the third-party sums of each turn (the ``O(n^3)`` part) on that
    many threads; the results are the same bits.
    """
    rule, vpm, model = VotingRule(voting_rule), VictoryProb(victory_prob), PCEModel(pce_model)
    grouping = Grouping(grouping)
    if not pos_tol > 0:
        raise ValueError(f"pos_tol must be > 0, got {pos_tol}")
    c = np.asarray(capability, dtype=float)
    x = np.asarray(position, dtype=float)
    s = np.asarray(salience, dtype=float)
    one_dim = x.ndim == 2
    if one_dim:
        x, s = x[..., None], s[..., None]
    if c.ndim == 1:
        c, x, s = c[None], x[None], s[None]
    s = np.broadcast_to(s, x.shape).astype(float)
    if (c <= 0).any():
        raise ValueError("SMP needs positive capabilities (KTAB rejects zero voting weight)")
    if (s < 0).any() or (s.sum(-1) > 1 + 1e-9).any():
        raise ValueError("SMP saliences must be >= 0 with at most 1 in total per actor")
    lo, hi = float(scale[0]), float(scale[1])
    if not hi > lo:
        raise ValueError(f"scale must be (low, high) with low < high, got {scale}")
    z = (x - lo) / (hi - lo)
    D, n, _k = z.shape
    # draws are independent (each stops on its own): run them in memory-sized chunks
    chunk = max(1, CHUNK_ELEMENTS // max(n**3, 1))
    parts = [
        _run_draws(c[a:a + chunk], z[a:a + chunk], s[a:a + chunk], max_turns, min_turns,
                   stop_ratio, rule, vpm, model, grouping, pos_tol, workers)
        for a in range(0, D, chunk)
    ]
    T = max(p[0].shape[1] for p in parts)

    def pad(arr):
        extra = T - arr.shape[1]
        if extra == 0:
            return arr
        return np.concatenate([arr, np.repeat(arr[:, -1:], extra, axis=1)], axis=1)

    traj = np.concatenate([pad(p[0]) for p in parts]) * (hi - lo) + lo
    prob = np.concatenate([pad(p[1]) for p in parts])
    pos_prob = np.concatenate([pad(p[2]) for p in parts])
    group = np.concatenate([pad(p[3]) for p in parts])
    turns = np.concatenate([p[4] for p in parts])
    # sum over groups of P_g x_rep(g) = sum over actors of share_i x_rep(i)
    rep_pos = np.take_along_axis(traj[:, -1], group[:, -1, :, None], axis=1)
    forecast = (prob[:, -1, :, None] * rep_pos).sum(axis=1)
    return {
        "positions": traj,
        "probabilities": prob,
        "position_probability": pos_prob,
        "position_group": group,
        "turns": turns,
        "forecast": forecast,
    }
