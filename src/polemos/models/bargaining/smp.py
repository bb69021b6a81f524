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
BLOCK_ELEMENTS = 1 << 18  # rows per block x n^2: keeps the O(n^3) work in cache
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
            coal[:, lo:hi] = np.einsum("dk,dkab->dab", w, du)
        else:
            coal[:, lo:hi] = np.maximum(vote(rule, wk, du), 0.0).sum(axis=1)
    return MIN_COALITION + coal


def pce(
    util: np.ndarray,
    w: np.ndarray,
    rule: VotingRule = VotingRule.proportional,
    vpm: VictoryProb = VictoryProb.linear,
    model: PCEModel = PCEModel.conditional,
    valid: np.ndarray | None = None,
) -> np.ndarray:
    """Probabilistic Condorcet election over options, vectorised over draws.

    ``util[d, k, a]``: utility to actor ``k`` of option ``a``; ``w[d, k]`` voting weights;
    ``valid[d, a]`` masks options that exist. Returns ``p[d, a]`` (zero where invalid).
    """
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


def _challenges(a_util, w_tot, s_tot, rule):
    """``(P[d, i, j], E[d, i, j])``: i's estimate that i beats j, and i's gain from trying.

    ``a_util[d, h, i, j]`` is ``h``'s estimate of the utility to ``i`` of ``j``'s position.
    The ``O(n^3)`` third-party sums run over blocks of challengers ``i``.
    """
    D, n = a_util.shape[0], a_util.shape[1]
    own = a_util  # own[d, i, a, b] = U^i(a, b): i's estimates
    uii = np.einsum("diii->di", own)
    uij = np.einsum("diij->dij", own)  # U^i(i, j)
    uji = np.einsum("diji->dij", own)  # U^i(j, i)
    ujj = np.einsum("dijj->dij", own)  # U^i(j, j)
    ci = vote(rule, w_tot[:, :, None], uii[:, :, None] - uij)
    cj = vote(rule, w_tot[:, None, :], uji - ujj)
    chij0 = MIN_PRINCIPAL + np.maximum(ci, 0) + np.maximum(cj, 0)
    chji0 = MIN_PRINCIPAL + np.maximum(-ci, 0) + np.maximum(-cj, 0)
    support_i = np.empty_like(chij0)
    support_j = np.empty_like(chij0)
    wn = w_tot[:, None, None, :]
    block = max(1, BLOCK_ELEMENTS // max(D * n * n, 1))
    for lo in range(0, n, block):
        hi = min(n, lo + block)
        blk = own[:, lo:hi]  # [d, i, a, b]
        uni = _diag_cols(blk, lo, hi)[:, :, None, :]  # U^i(n, i)
        unj = np.swapaxes(blk, 2, 3)  # [d, i, j, n] = U^i(n, j)
        unn = np.einsum("dinn->din", blk)[:, :, None, :]  # U^i(n, n)
        cn = vote(rule, wn, uni - unj)
        cni = chij0[:, lo:hi, :, None] + np.maximum(cn, 0)
        cnj = chji0[:, lo:hi, :, None] + np.maximum(-cn, 0)
        pin = cni / (cni + cnj)
        # semi-committed third party n: (ik > j) leaves n at its own position, (jk > i) too;
        # u(ik:j) - u(i:jk) = p (u_nn - u_ni) - (1 - p)(u_nn - u_nj)
        vn = vote(rule, wn, pin * (unn - uni) - (1 - pin) * (unn - unj))
        pos = np.maximum(vn, 0)
        neg = np.maximum(-vn, 0)
        # drop the principals (n = i and n = j) from the third-party sums
        ii = np.arange(lo, hi)
        sp = pos.sum(-1) - pos[:, np.arange(hi - lo), :, ii].transpose(1, 0, 2)
        sn = neg.sum(-1) - neg[:, np.arange(hi - lo), :, ii].transpose(1, 0, 2)
        sp -= np.einsum("dijj->dij", pos)
        sn -= np.einsum("dijj->dij", neg)
        support_i[:, lo:hi] = sp
        support_j[:, lo:hi] = sn
    chij = chij0 + support_i
    chji = chji0 + support_j
    p = chij / (chij + chji)
    sj = s_tot[:, None, :]
    vict = 2 * uii[:, :, None]
    cntst = p * vict + (1 - p) * 2 * uij
    edu = (1 - sj) * vict + sj * cntst - (uii[:, :, None] + uij)
    edu = np.where(np.eye(n, dtype=bool)[None], -np.inf, edu)
    return p, edu


def _diag_cols(blk, lo, hi):
    """``out[d, i, n] = blk[d, i, n, lo + i]``: column ``i`` of challenger ``i``'s matrix."""
    idx = np.arange(hi - lo)
    return blk[:, idx, :, lo + idx].transpose(1, 0, 2)


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
    ua_t = np.take_along_axis(own_u, np.broadcast_to(target[:, None, :], own_u.shape), axis=2)
    u_brg = (base[:, :, None] - ua_i - ua_t + u_init + u_rcvr) / n  # [d, a, i]
    u_sq = base / n
    # options of actor k: its status quo, then the bargains it is party to (initiated by i
    # with i == k or target(i) == k), in increasing i; all actors at once, padded to M
    party = has[:, None, :] & ((idx[None, None, :] == idx[None, :, None])
                               | (target[:, None, :] == idx[None, :, None]))  # [d, k, i]
    counts = party.sum(axis=-1).max(axis=0)  # per actor, over draws
    new_x = x.copy()
    # batch the actors with the same number of options (no padding to the busiest actor)
    for m_brg in np.unique(counts[counts > 0]):
        ks = np.flatnonzero(counts == m_brg)
        new_x[:, ks] = _resolve_group(x, c, party[:, ks], ks, u_sq, u_brg, b_init, b_rcvr,
                                      int(m_brg), rule, vpm, model)
    return new_x


def _resolve_group(x, c, party, ks, u_sq, u_brg, b_init, b_rcvr, m_brg, rule, vpm, model):
    """PCE over the status quo and up to ``m_brg`` bargains for the actors ``ks``."""
    D, n, _ = x.shape
    K = len(ks)
    order = np.argsort(~party, axis=-1, kind="stable")[..., :m_brg]  # [d, k, m] initiators
    valid = np.concatenate(
        [np.ones((D, K, 1), dtype=bool), np.take_along_axis(party, order, axis=-1)], axis=-1
    )
    u_b = np.take_along_axis(
        np.broadcast_to(u_brg[:, None, :, :], (D, K, n, n)), order[:, :, None, :], axis=3
    )  # [d, k, a, m]
    util = np.concatenate([np.broadcast_to(u_sq[:, None, :, None], (D, K, n, 1)), u_b], axis=3)
    p = pce(util.reshape(D * K, n, m_brg + 1), np.repeat(c, K, axis=0), rule, vpm, model,
            valid.reshape(D * K, m_brg + 1)).reshape(D, K, m_brg + 1)
    best = np.argmax(p, axis=-1)  # first maximum: the status quo wins ties
    chosen = np.take_along_axis(order, np.maximum(best - 1, 0)[..., None], axis=-1)[..., 0]
    pos_init = np.take_along_axis(b_init, chosen[..., None], axis=1)
    pos_rcvr = np.take_along_axis(b_rcvr, chosen[..., None], axis=1)
    mine = (chosen == ks[None, :])[..., None]
    return np.where((best == 0)[..., None], x[:, ks], np.where(mine, pos_init, pos_rcvr))


def _state(x, s, c, rule, vpm, model):
    """Utilities, risk attitudes and perspective matrices of one state."""
    d = distances(x, s)
    rn = 1.0 - d
    p_rn = pce(rn, c, rule, vpm, model)
    r = risk_attitudes(p_rn)
    r_est = (2.0 * r[:, :, None] + r[:, None, :]) / 3.0  # [d, h, i]
    a_util = _clipped_utility(d[:, None, :, :], r_est[:, :, :, None])  # [d, h, i, j]
    own_u = _clipped_utility(d, r[:, :, None])  # U_i(j) with own risk
    return d, r, a_util, own_u


def position_probabilities(x, c, own_u, rule, vpm, model, tol=POS_TOL):
    """KTAB's displayed probabilities: the PCE over unique positions, each actor's entry
    being the probability of its position (actors sharing a position share it)."""
    D, n, _ = x.shape
    dist = np.sqrt(((x[:, :, None, :] - x[:, None, :, :]) ** 2).sum(-1))
    eq = dist < tol
    rep = np.argmax(eq, axis=2)  # first equivalent index
    valid = rep == np.arange(n)[None]
    p = pce(own_u, c, rule, vpm, model, valid)
    per_actor = np.take_along_axis(p, rep, axis=1)
    counts = eq.sum(-1)
    return per_actor, per_actor / counts


def _run_draws(c, z, s, max_turns, min_turns, stop_ratio, rule, vpm, model):
    """Turns until every draw has stopped: ``(positions, probabilities, position
    probabilities, turns)`` with positions on [0, 1]."""
    D = z.shape[0]
    s_tot = s.sum(-1)
    w_tot = s_tot * c
    hist = [z]
    probs, pos_probs = [], []
    active = np.ones(D, dtype=bool)
    turns = np.zeros(D, dtype=int)
    first = None
    t = 0
    while active.any() and t < max_turns:
        t += 1
        zc = hist[-1]
        _d, r, a_util, own_u = _state(zc, s, c, rule, vpm, model)
        pp, pr = position_probabilities(zc, c, own_u, rule, vpm, model)
        probs.append(pr)
        pos_probs.append(pp)
        p_win, edu = _challenges(a_util, w_tot, s_tot, rule)
        target = np.argmax(edu, axis=2)
        best = np.take_along_axis(edu, target[:, :, None], axis=2)[..., 0]
        has = best > MIN_SIG_EDU
        pw = np.take_along_axis(p_win, target[:, :, None], axis=2)[..., 0]
        b_init, b_rcvr = _bargains(zc, s, target, pw)
        new = _resolve(zc, s, c, r, own_u, has, target, b_init, b_rcvr, rule, vpm, model)
        new = np.where(active[:, None, None], new, zc)
        hist.append(new)
        turns = np.where(active, t, turns)
        moved = np.sqrt(((new - zc) ** 2).sum(-1)).sum(-1)
        if first is None:
            first = moved + 1e-4
        active = active & ~((t >= min_turns) & (moved / first < stop_ratio))
    _, _, _, own_u = _state(hist[-1], s, c, rule, vpm, model)
    pp, pr = position_probabilities(hist[-1], c, own_u, rule, vpm, model)
    probs.append(pr)
    pos_probs.append(pp)
    return np.stack(hist, axis=1), np.stack(probs, axis=1), np.stack(pos_probs, axis=1), turns


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
) -> dict[str, np.ndarray]:
    """KTAB-style Spatial Model of Politics, deterministic transitions, vectorised over draws.

    ``capability`` ``(n_draws, n_actors)``; ``position`` and ``salience`` ``(n_draws,
    n_actors[, n_dims])`` with positions on ``scale`` and saliences in [0, 1] (a 2-D
    salience applies to one dimension). Algorithm and defaults: see the module docstring
    (KTAB SMP, KAPSARC). ``rng`` is unused (deterministic state transitions).

    Returns ``positions`` ``(n_draws, max_turns + 1, n_actors, n_dims)`` (after its own
    stop, a draw's state is repeated), ``probabilities`` ``(n_draws, max_turns + 1,
    n_actors)`` (PCE over unique positions, split equally among actors sharing one: sums
    to one), ``position_probability`` (KTAB's display: each actor's position's
    probability), ``turns`` ``(n_draws,)`` turns run, and ``forecast`` ``(n_draws,
    n_dims)``: the probability-weighted mean position of the final state.
    """
    rule, vpm, model = VotingRule(voting_rule), VictoryProb(victory_prob), PCEModel(pce_model)
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
                   stop_ratio, rule, vpm, model)
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
    turns = np.concatenate([p[3] for p in parts])
    forecast = (prob[:, -1, :, None] * traj[:, -1]).sum(axis=1)
    out_pos = traj
    return {
        "positions": out_pos,
        "probabilities": prob,
        "position_probability": pos_prob,
        "turns": turns,
        "forecast": forecast,
    }
