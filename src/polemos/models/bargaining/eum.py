"""Expected-utility challenge model of group decisions (Bueno de Mesquita 1994).

Equations as reconstructed by Scholz, Calbert & Smith (2011), "Unravelling Bueno De
Mesquita's group decision model", J. Theoretical Politics 23(4):510-531, appendix; the
symbols follow theirs. For every draw, each round:

* positions are scaled by the issue range, ``d_ij = |x_i - x_j| / (hi - lo)``;
* votes of ``k`` between ``i`` and ``j``, with ``k``'s risk exponent ``r_k``:
  ``v^k_ij = c_k s_k (d_kj ** r_k - d_ki ** r_k)`` (:class:`VoteUtility`);
* probability that ``i`` prevails over ``j`` with third-party support: the votes for
  ``i`` over a normaliser (:class:`ProbRule`; default: all votes cast in the round,
  ``P_ij = sum_k max(v^k_ij, 0) / sum_{k,a,b} |v^k_ab|``; 0 for equal positions);
* utilities of ``i`` against ``j`` with risk exponent ``r`` and median ``mu``::

      U_s  = 2 - 4 (0.5 - 0.5 d_ij) ** r           success
      U_f  = 2 - 4 (0.5 + 0.5 d_ij) ** r           failure
      U_b  = 2 - 4 (0.5 - 0.25 (d_imu + d_ij)) ** r   status quo gets better
      U_w  = 2 - 4 (0.5 + 0.25 (d_imu + d_ij)) ** r   status quo gets worse
      U_sq = 2 - 4 (0.5) ** r

* expected utility of ``i`` challenging ``j``::

      E_ij = s_j (P_ij U_s + (1 - P_ij) U_f) + (1 - s_j) U_s
             - Q U_sq - (1 - Q) (T U_b + (1 - T) U_w)

* risk exponents from security levels: with ``V_i = sum_{j != i} E_ji`` computed risk
  neutral (every ``r = 1``), ``R_i = (2 V_i - max V - min V) / (max V - min V)`` over the
  actors and ``r_i = (1 - R_i / 3) / (1 + R_i / 3)`` in ``[0.5, 2]``: an actor whose
  position invites challenges is taken to be risk acceptant;
* octants, judged by the target ``j`` of a proposal from ``i`` (:class:`Perception`:
  default, both utilities with ``j``'s exponent), with ``E_i = E_ij`` and ``E_j = E_ji``:
  ``E_i > E_j > 0`` -> *conflict* lost by ``j``, who moves to ``x_i``;
  ``E_i > 0 > E_j``, ``E_i > |E_j|`` -> *compromise*, ``j`` moves to
  ``x_j + (x_i - x_j) |E_j / E_i|``; ``E_i > 0 > E_j``, ``E_i <= |E_j|`` ->
  *capitulation*, ``j`` moves to ``x_i``; otherwise no move (status quo);
* each actor adopts one of the proposals it accepts (:class:`OfferChoice`) and rounds
  repeat with new risk exponents.

The defaults are the reading that reproduces Scholz et al.'s published run of the EC
emissions case (Table 2; see docs/validation/bargaining.md). Every ambiguous point is a
named option (StrEnum) whose default is documented on the class.
"""

from __future__ import annotations

import functools
from enum import StrEnum

import numpy as np

from polemos.models.bargaining._common import check_inputs, weighted_mean, weighted_median

CHUNK_ELEMENTS = 1 << 18  # draws x actors^3 per chunk (keeps the n^3 tensors in cache)
TIE = 1e-9  # expected utilities closer than this are equal

CITATION = (
    "Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method. In "
    "European Community Decision Making, Yale UP, 71-104; equations per Scholz, Calbert & "
    "Smith (2011), J. Theoretical Politics 23(4):510-531, appendix."
)


class TRule(StrEnum):
    """How ``T`` (chance that, unchallenged, things improve for ``i``) is set when ``Q < 1``.

    ``closer`` (default): ``T = 1`` when ``i`` is at least as close to the median as ``j``
    (the drift of the status quo favours the actor nearer the median), else 0.
    ``half``: ``T = 0.5`` always (no information on the drift).
    """

    closer = "closer"
    half = "half"


class VoteUtility(StrEnum):
    """Utility behind a vote: ``risk`` (default), ``-d ** r_k`` with the voter's own risk
    exponent (risk neutral, ``r = 1``, when computing security levels); ``linear``,
    ``-d`` for every voter."""

    risk = "risk"
    linear = "linear"


class ProbRule(StrEnum):
    """Reading of the probability of success ``P_ij`` from the votes ``v^k_ij``.

    ``pooled`` (default): votes for ``i`` over all votes cast in the round on every pair,
    ``sum_k max(v^k_ij, 0) / sum_{k,a,b} |v^k_ab|`` (small probabilities, so salience
    decides most contests; the reading that reproduces Scholz et al.'s run).
    ``share``: votes for ``i`` over the votes cast on this pair,
    ``sum_{k: v > 0} v^k_ij / sum_k |v^k_ij|`` (``P_ij + P_ji = 1``).
    ``net``: the net margin on this pair, ``max(sum_k v^k_ij, 0) / sum_k |v^k_ij|``
    (D. Masad's replication). ``pooled`` is 0 for equal positions, the others 0.5.
    """

    pooled = "pooled"
    share = "share"
    net = "net"


class Voters(StrEnum):
    """Whose votes decide ``P_ij``: ``all`` (default: every actor, the principals
    included) or ``third`` (third parties only, ``k != i, j``)."""

    all = "all"
    third = "third"


class Perception(StrEnum):
    """With whose risk exponent the octant of a proposal from ``i`` to ``j`` is judged.

    ``target`` (default): the target ``j`` evaluates both ``E_ij`` and its own ``E_ji``
    with ``r_j`` (it decides whether to give in). ``proposer``: ``i`` evaluates both with
    ``r_i``. ``true``: each with its own exponent (perfect information).
    """

    target = "target"
    proposer = "proposer"
    true = "true"


class ConflictRule(StrEnum):
    """Resolution in the conflict octant (both expected utilities positive).

    ``stronger`` (default): the side with the larger expected utility prevails and the
    other moves to its position. ``none``: conflicts are stalemates (no move).
    """

    stronger = "stronger"
    none = "none"


class OfferChoice(StrEnum):
    """Which of the proposals it accepts an actor acts on.

    ``scholz`` (default): lost conflicts first (the smallest move), then compromises (the
    one whose utility-weighted mean of the two positions, ``(|E_j| x_j + |E_i| x_i) /
    (|E_j| + |E_i|)``, is lowest, as in Scholz et al.'s program), then capitulations (the
    smallest move). ``ranked``: the same order, the smallest move within each kind.
    ``strongest``: the proposal backed by the largest ``E_ij``. ``smallest``: the smallest
    move of any kind (BDM's "least costly" proposal).
    """

    scholz = "scholz"
    ranked = "ranked"
    strongest = "strongest"
    smallest = "smallest"


@functools.lru_cache(maxsize=64)
def _pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(n, 1)


def _powered(d: np.ndarray, r: np.ndarray) -> np.ndarray:
    """``d[d, k, a] ** r[d, k]`` (0 stays 0), by one vectorised exp."""
    with np.errstate(divide="ignore"):
        return np.exp(r[:, :, None] * np.log(d))


def prob_success(
    w: np.ndarray,
    d: np.ndarray,
    rule: ProbRule = ProbRule.pooled,
    voters: Voters = Voters.all,
    r: np.ndarray | None = None,
) -> np.ndarray:
    """``P[d, i, j]``: probability that ``i`` prevails over ``j`` with third-party votes.

    Votes ``v^k_ij = w_k (dr_kj - dr_ki)`` with ``dr = d ** r_k`` (``r=None``: ``d``).
    Per unordered pair, ``net = sum_k v^k_ij`` is a difference of column sums
    (``O(n^2)``) and ``total = sum_k |v^k_ij|`` the one ``O(n^3)`` term; the principals'
    own votes are removed in closed form for ``voters="third"``.
    """
    n = d.shape[1]
    if n < 2:
        return np.full_like(d, 0.0 if rule is ProbRule.pooled else 0.5)
    dr = d if r is None else _powered(d, r)
    if rule is ProbRule.pooled and voters is Voters.all:
        return _pooled_all(w, dr)
    iu, ju = _pairs(n)
    col = np.einsum("dk,dkj->dj", w, dr)  # sum_k w_k dr_kj
    net = col[:, ju] - col[:, iu]  # all k: sum_k v^k_ij for i = iu, j = ju
    gap = np.take(dr, ju, axis=2)
    gap -= np.take(dr, iu, axis=2)
    np.abs(gap, out=gap)
    total = np.einsum("dk,dkp->dp", w, gap)
    if voters is Voters.third:
        own_i = w[:, iu] * dr[:, iu, ju]  # k = i votes +w_i dr_ij
        own_j = w[:, ju] * dr[:, ju, iu]  # k = j votes -w_j dr_ji
        net = net - own_i + own_j
        total = total - own_i - own_j
    if rule is ProbRule.pooled:
        pool = 2.0 * total.sum(axis=1, keepdims=True)  # both orders of every pair
        safe = np.where(pool > 0, pool, 1.0)
        up, down = 0.5 * (total + net) / safe, 0.5 * (total - net) / safe
        empty = 0.0
        cast = (pool > 0) & (d[:, iu, ju] > 0)
    else:
        cast = total > 1e-12 * np.maximum(total.max(axis=1, keepdims=True), 1e-300)
        safe = np.where(cast, total, 1.0)
        if rule is ProbRule.share:
            up, down = 0.5 * (total + net) / safe, 0.5 * (total - net) / safe
        else:
            up, down = np.maximum(net, 0.0) / safe, np.maximum(-net, 0.0) / safe
        empty = 0.5
    p = np.full_like(d, empty)
    p[:, iu, ju] = np.where(cast, np.clip(up, 0.0, 1.0), empty)
    p[:, ju, iu] = np.where(cast, np.clip(down, 0.0, 1.0), empty)
    return p


def _pooled_all(w: np.ndarray, dr: np.ndarray) -> np.ndarray:
    """``prob_success`` for the default reading (pooled, every voter), lean: equal
    positions get ``P = 0`` without a mask because their votes cancel exactly."""
    n = dr.shape[1]
    iu, ju = _pairs(n)
    col = np.einsum("dk,dkj->dj", w, dr)
    net = col[:, ju]
    net -= col[:, iu]
    gap = np.take(dr, ju, axis=2)
    gap -= np.take(dr, iu, axis=2)
    np.abs(gap, out=gap)
    total = np.einsum("dk,dkp->dp", w, gap)
    pool = total.sum(axis=1, keepdims=True)
    half = 0.25 / np.where(pool > 0, pool, 1.0)  # 0.5 / (2 x sum over unordered pairs)
    p = np.zeros_like(dr)
    p[:, iu, ju] = np.maximum(total + net, 0.0) * half
    p[:, ju, iu] = np.maximum(total - net, 0.0) * half
    return p


def _neutral_q1(d: np.ndarray, p: np.ndarray, sj: np.ndarray) -> np.ndarray:
    """Risk-neutral ``E`` (every ``r = 1``, ``Q = 1``): ``2 d (1 - 2 s_j (1 - P))``."""
    e0 = 1.0 - p
    e0 *= sj
    e0 *= -2.0
    e0 += 1.0
    e0 *= d
    return e0 * 2.0


def _log1p_pair(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``log(1 - d)`` and ``log(1 + d)`` (``-inf`` at ``d = 1``)."""
    with np.errstate(divide="ignore"):
        return np.log1p(-d), np.log1p(d)


def _eu_pair_q1(lp, rr, q_ij, q_ji):
    """``(E_ij, E_ji)`` with ``Q = 1``, both with exponent ``rr`` (broadcast to pairs).

    ``(0.5 -+ 0.5 d)^r = 0.5^r (1 -+ d)^r``; with ``q = s_target (1 - P)``,
    ``E = 4 0.5^r (1 - X0 - q (X1 - X0))``, ``X0 = (1 - d)^r``, ``X1 = (1 + d)^r``.
    """
    x0 = np.exp(rr * lp[0])
    x1 = np.exp(rr * lp[1])
    delta = x1 - x0
    base = 1.0 - x0
    z4 = 4.0 * 0.5**rr
    e_ij = (base - q_ij * delta) * z4
    e_ji = None if q_ji is None else (base - q_ji * delta) * z4
    return e_ij, e_ji


def _fast_round(c, x, s, inv_span, offer_choice: OfferChoice, linear_votes: bool = False):
    """One round of the default reading with ``Q = 1`` (same numbers as :func:`step`).

    Uses ``(0.5 -+ 0.5 d)^r = 0.5^r (1 -+ d)^r`` and, with ``q_ij = s_j (1 - P_ij)``,
    ``E = 4 0.5^r (1 - X0 - q (X1 - X0))`` where ``X0 = (1 - d)^r``, ``X1 = (1 + d)^r``.
    """
    w = c * s
    diff = x[:, :, None] - x[:, None, :]
    dist = np.abs(diff)
    d = dist * inv_span[:, None, None]
    np.minimum(d, 1.0, out=d)
    sj = s[:, None, :]
    p1 = _pooled_all(w, d)
    r = risk_exponents(_neutral_q1(d, p1, sj), zero_diagonal=True)
    if linear_votes:
        p = p1
    else:
        with np.errstate(divide="ignore"):
            p = _pooled_all(w, np.exp(r[:, :, None] * np.log(d)))
    q = 1.0 - p
    q *= sj  # q_ij = s_j (1 - P_ij)
    e_i, e_j = _eu_pair_q1(_log1p_pair(d), r[:, None, :], q, q.transpose(0, 2, 1))
    proposed = e_i > TIE
    lost = (e_j > TIE) & (e_j < e_i - TIE)
    concede = (e_j <= TIE) & proposed
    partial = concede & (-e_j < e_i - TIE)
    rank = np.where(proposed & lost, 1, np.where(partial, 2, np.where(concede, 3, 4)))
    first = rank.min(axis=1, keepdims=True)
    frac = np.where(partial, np.maximum(-e_j, 0.0) / np.where(partial, e_i, 1.0), 1.0)
    if offer_choice is OfferChoice.scholz:
        a_i, a_j = np.abs(e_i), np.abs(e_j)
        within = (a_j * x[:, None, :] + a_i * x[:, :, None]) / np.where(partial, a_i + a_j, 1.0)
        cost = np.where(partial, within, dist)
    else:
        cost = dist * frac
    cost = np.where((rank == first) & (rank < 4), cost, np.inf)
    best = np.argmin(cost, axis=1)
    got = first[:, 0, :] < 4
    fb = np.take_along_axis(frac, best[:, None, :], axis=1)[:, 0]
    xi = np.take_along_axis(np.broadcast_to(x[:, :, None], d.shape), best[:, None, :], axis=1)[:, 0]
    new = x + (xi - x) * fb
    return np.where(got, new, x), r


def _logs(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``log(0.5 - 0.5 d)`` and ``log(0.5 + 0.5 d)``, with ``d`` clipped to [0, 1]."""
    dc = np.clip(d, 0.0, 1.0)
    with np.errstate(divide="ignore"):
        return np.log(0.5 - 0.5 * dc), np.log(0.5 + 0.5 * dc)


def expected_utilities(
    d: np.ndarray,
    dmu: np.ndarray | None,
    p: np.ndarray,
    s: np.ndarray,
    r: np.ndarray,
    q: float,
    t: np.ndarray | None,
    logs: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """``E[d, i, j]``: expected utility to ``i`` of challenging ``j`` (Scholz et al. 2011).

    ``r`` is ``(D, n)`` (each challenger's own exponent) or ``(D, n, n)`` (the exponent
    used for the pair ``(i, j)``, e.g. the target's). ``logs`` may carry
    ``(log(0.5 - 0.5 d), log(0.5 + 0.5 d))`` computed once per round.
    """
    rr = r[:, :, None] if r.ndim == 2 else r
    if logs is None:
        logs = _logs(d)
    sj = s[:, None, :]
    # E = 4 (0.5^r - A (0.5 - 0.5 d)^r - B (0.5 + 0.5 d)^r) + ..., A = s_j P + 1 - s_j,
    # B = s_j (1 - P): U_s and U_f enter through one weighted pair of exponentials
    big_a = sj * p + (1.0 - sj)
    big_b = sj * (1.0 - p)
    e = 2.0 - 4.0 * (big_a * np.exp(rr * logs[0]) + big_b * np.exp(rr * logs[1]))
    e = e - q * (2.0 - 4.0 * 0.5**rr)
    if q < 1.0:
        if dmu is None or t is None:
            raise ValueError("Q < 1 needs the distances to the median (dmu) and T")
        spread = 0.25 * (dmu[:, :, None] + d)
        ub = 2.0 - 4.0 * (0.5 - spread) ** rr
        uw = 2.0 - 4.0 * (0.5 + spread) ** rr
        e = e - (1.0 - q) * (t * ub + (1.0 - t) * uw)
    return e


def risk_exponents(e_neutral: np.ndarray, zero_diagonal: bool = False) -> np.ndarray:
    """``r_i`` in [0.5, 2] from security levels ``V_i = sum_{j != i} E_ji`` (risk neutral)."""
    if zero_diagonal:
        v = e_neutral.sum(axis=1)
    else:
        n = e_neutral.shape[-1]
        v = np.where(~np.eye(n, dtype=bool), e_neutral, 0.0).sum(axis=1)  # others challenging i
    vmax, vmin = v.max(axis=1, keepdims=True), v.min(axis=1, keepdims=True)
    span = vmax - vmin
    big_r = np.where(span > 0, (2 * v - vmax - vmin) / np.where(span > 0, span, 1.0), 0.0)
    return (1 - big_r / 3) / (1 + big_r / 3)


def _choose(kind, move, key_comp, strength, choice: OfferChoice):
    """Index ``best[d, j]`` of the proposer whose offer ``j`` takes, and whether any."""
    ok = kind > 0
    if choice is OfferChoice.strongest:
        cost = np.where(ok, -strength, np.inf)
    elif choice is OfferChoice.smallest:
        cost = np.where(ok, move, np.inf)
    else:
        # kinds in order: 1 lost conflict, 2 compromise, 3 capitulation
        rank = np.where(ok, kind, 4)
        first = rank.min(axis=1, keepdims=True)
        within = key_comp if choice is OfferChoice.scholz else move
        cost = np.where(rank == 2, within, move)
        cost = np.where(ok & (rank == first), cost, np.inf)
    best = np.argmin(cost, axis=1)
    got = np.isfinite(np.take_along_axis(cost, best[:, None, :], axis=1)[:, 0])
    return best, got


def step(
    c: np.ndarray,
    x: np.ndarray,
    s: np.ndarray,
    scale: np.ndarray,
    q: float = 1.0,
    t_rule: TRule = TRule.closer,
    offer_choice: OfferChoice = OfferChoice.scholz,
    prob_rule: ProbRule = ProbRule.pooled,
    conflict: ConflictRule = ConflictRule.stronger,
    voters: Voters = Voters.all,
    perception: Perception = Perception.target,
    vote_utility: VoteUtility = VoteUtility.risk,
    detail: bool = True,
) -> dict[str, np.ndarray]:
    """One round of challenges and offers for every draw; returns new positions and detail.

    With ``detail``, ``kind[d, i, j]`` classifies the proposal of ``i`` to ``j`` as judged
    by the target: 0 none/rejected, 1 conflict lost by ``j``, 2 compromise, 3 capitulation;
    ``eu[d, i, j]`` is ``E_ij`` (own exponent) and ``prob`` the ``P_ij`` used.
    """
    w = c * s
    diff = x[:, :, None] - x[:, None, :]  # x_i - x_j
    dist = np.abs(diff)
    d = dist / scale[:, None, None]
    if q < 1.0:
        mu = weighted_median(x, w)
        dmu = np.abs(x - mu[:, None]) / scale[:, None]
        if t_rule is TRule.half:
            t = np.full_like(d, 0.5)
        else:
            t = (dmu[:, :, None] <= dmu[:, None, :]).astype(float)
    else:
        dmu = t = None
    logs = _logs(d)
    p1 = prob_success(w, d, prob_rule, voters)
    if q == 1.0:
        sj = s[:, None, :]
        r = risk_exponents(_neutral_q1(np.minimum(d, 1.0), p1, sj), zero_diagonal=True)
        p = p1 if vote_utility is VoteUtility.linear else prob_success(w, d, prob_rule, voters, r)
        qm = 1.0 - p
        qm *= sj  # q_ij = s_j (1 - P_ij)
        lp = _log1p_pair(np.minimum(d, 1.0))
        if perception is Perception.true:
            e_i, _ = _eu_pair_q1(lp, r[:, :, None], qm, None)
            e_j = e_i.transpose(0, 2, 1)
        else:
            judge = r[:, None, :] if perception is Perception.target else r[:, :, None]
            e_i, e_j = _eu_pair_q1(lp, judge, qm, qm.transpose(0, 2, 1))
        e = _eu_pair_q1(lp, r[:, :, None], qm, None)[0] if detail else None
    else:
        ones = np.ones_like(x)
        r = risk_exponents(expected_utilities(d, dmu, p1, s, ones, q, t, logs))
        p = p1 if vote_utility is VoteUtility.linear else prob_success(w, d, prob_rule, voters, r)
        e = expected_utilities(d, dmu, p, s, r, q, t, logs)  # E_ij with r_i
        if perception is Perception.true:
            e_i, e_j = e, e.transpose(0, 2, 1)
        else:
            judge = r[:, None, :] if perception is Perception.target else r[:, :, None]
            judge = np.broadcast_to(judge, d.shape)  # exponent of the judge of (i -> j)
            e_i = expected_utilities(d, dmu, p, s, judge, q, t, logs)
            # E_ji judged by the same judge: challenger j, target i, exponent judge[i, j]
            e_j = expected_utilities(d, dmu, p, s, judge.transpose(0, 2, 1), q, t, logs)
            e_j = e_j.transpose(0, 2, 1)
    # comparisons within TIE of each other count as ties (resolved the same way whatever
    # the order of summation, hence of the actors)
    proposed = (e_i > TIE) & (d > 0)
    if conflict is ConflictRule.stronger:
        lost = (e_j > TIE) & (e_j < e_i - TIE)
    else:
        lost = np.zeros_like(proposed)
    partial = (e_j <= TIE) & (-e_j < e_i - TIE)
    full = (e_j <= TIE) & (-e_j >= e_i - TIE)
    kind = np.where(proposed & lost, 1, np.where(proposed & partial, 2, np.where(proposed & full, 3, 0)))
    frac = np.where(kind == 2, np.divide(np.maximum(-e_j, 0.0), e_i, out=np.ones_like(e_i),
                                         where=kind == 2), 1.0)
    offer = x[:, None, :] + diff * frac
    move = np.abs(offer - x[:, None, :])
    key_comp = None
    if offer_choice is OfferChoice.scholz:
        a_i, a_j = np.abs(e_i), np.abs(e_j)
        den = np.where(a_i + a_j > 0, a_i + a_j, 1.0)
        key_comp = (a_j * x[:, None, :] + a_i * x[:, :, None]) / den
    best, got = _choose(kind, move, key_comp, e_i, offer_choice)
    chosen = np.take_along_axis(offer, best[:, None, :], axis=1)[:, 0]
    out = {"position": np.where(got, chosen, x), "risk": r}
    if detail and e is not None:
        out.update(eu=e, prob=p, kind=kind)
    return out


MAX_PERIOD = 12
"""Longest cycle (in rounds) that :func:`run` looks for."""


def run(
    capability,
    position,
    salience,
    rng: np.random.Generator | None = None,
    rounds: int = 10,
    q: float = 1.0,
    scale: tuple[float, float] | None = None,
    t_rule: TRule | str = TRule.closer,
    offer_choice: OfferChoice | str = OfferChoice.scholz,
    prob_rule: ProbRule | str = ProbRule.pooled,
    conflict: ConflictRule | str = ConflictRule.stronger,
    voters: Voters | str = Voters.all,
    perception: Perception | str = Perception.target,
    vote_utility: VoteUtility | str = VoteUtility.risk,
    workers: int = 1,
    horizon: int = 120,
    cycle_tol: float = 1e-9,
) -> dict[str, np.ndarray]:
    """Bueno de Mesquita's (1994) expected-utility challenge model, vectorised over draws.

    Equations: Scholz, Calbert & Smith (2011), J. Theoretical Politics 23(4), appendix
    (see the module docstring). ``capability``, ``position`` and ``salience`` (in [0, 1])
    are ``(n_draws, n_actors)``; ``q`` is BDM's ``Q`` (probability that the status quo
    persists unchallenged); ``scale=(lo, hi)`` fixes the issue range (default: the range
    of each draw's initial positions). ``rng`` is unused (the model is deterministic).
    ``workers`` > 1 runs chunks of draws on that many threads (same bits).

    **Convergence and cycles.** A round depends only on the positions (capabilities and
    saliences are fixed, the rule deterministic), so once the positions repeat, ``x_t =
    x_{t-p}`` (within ``cycle_tol`` of the issue range on every actor), the run cycles
    for ever with period ``p`` from round ``t - p`` on; ``p = 1`` is convergence. Rounds
    continue past ``rounds`` (up to ``horizon``) until each draw has converged or cycled
    (periods up to :data:`MAX_PERIOD`). Scholz et al. (2011) found the EC-emissions run
    oscillating rather than converging, so the median after an arbitrary round is not a
    forecast. The ``forecast`` is therefore the long-run (Cesaro) average of the weighted
    median over rounds: for a run that converges, its limit; for a cycle, the mean over
    one period (the Cesaro mean of an eventually periodic sequence); for a run that has
    neither converged nor cycled by ``horizon``, the mean over rounds ``horizon // 2 + 1
    .. horizon`` (``settled`` is then False). None of these depend on ``rounds`` (rounds
    past ``horizon`` are simulated for ``positions`` but not analysed).

    Returns ``positions`` ``(n_draws, rounds + 1, n_actors)`` (index 0 = initial),
    ``median`` and ``mean`` ``(n_draws, rounds + 1)`` (capability x salience weighted
    median and mean each round), ``risk`` ``(n_draws, rounds, n_actors)``, ``forecast``
    ``(n_draws,)`` (long-run median, above), ``forecast_last`` (the median after round
    ``rounds``), ``converged``, ``cycle``, ``settled`` (bool), ``period`` (int, 0 when
    none found), ``cycle_start`` (round where the cycle begins, -1 when none),
    ``cycle_positions`` ``(n_draws, MAX_PERIOD, n_actors)`` (the cycle's states repeated
    to fill the axis; without a cycle, the last states simulated) and ``cycle_low``,
    ``cycle_high`` (range of the median over the cycle or the averaging window).
    """
    c, x, s = check_inputs(capability, position, salience)
    if rounds < 0:
        raise ValueError("rounds must be >= 0")
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"q must lie in [0, 1], got {q}")
    if horizon < 1 or not cycle_tol >= 0.0:
        raise ValueError(f"horizon must be >= 1 and cycle_tol >= 0, got {horizon}, {cycle_tol}")
    t_rule, offer_choice = TRule(t_rule), OfferChoice(offer_choice)
    prob_rule, conflict = ProbRule(prob_rule), ConflictRule(conflict)
    voters, perception = Voters(voters), Perception(perception)
    vote_utility = VoteUtility(vote_utility)
    if scale is None:
        lo, hi = x.min(axis=1), x.max(axis=1)
    else:
        lo, hi = np.full(x.shape[0], float(scale[0])), np.full(x.shape[0], float(scale[1]))
    span = np.where(hi > lo, hi - lo, 1.0)
    w = c * s
    D, n = x.shape
    positions = np.empty((D, rounds + 1, n))
    risk = np.empty((D, rounds, n))
    positions[:, 0] = x
    long_run = {
        "forecast": np.empty(D), "period": np.zeros(D, dtype=int),
        "cycle_start": np.full(D, -1), "cycle_positions": np.empty((D, MAX_PERIOD, n)),
        "cycle_low": np.empty(D), "cycle_high": np.empty(D),
    }
    # draws are independent: process them in cache-sized chunks (optionally on threads;
    # NumPy releases the GIL in its loops, and each chunk writes its own slice, so the
    # result is bit-identical whatever the number of workers)
    chunk = max(1, CHUNK_ELEMENTS // max(n**3, 1))
    total = max(rounds, horizon)

    fast = (
        q == 1.0
        and prob_rule is ProbRule.pooled
        and voters is Voters.all
        and perception is Perception.target
        and conflict is ConflictRule.stronger
        and offer_choice in (OfferChoice.scholz, OfferChoice.ranked)
    )

    def one_chunk(a: int) -> None:
        b = min(D, a + chunk)
        xc = x[a:b]
        states = [xc]
        period = np.zeros(b - a, dtype=int)
        found = np.zeros(b - a, dtype=int)  # round at which the repeat was seen
        tol = cycle_tol * span[a:b]
        t = 0
        while t < total and (t < rounds or (period == 0).any()):
            if fast:
                xc, r = _fast_round(c[a:b], xc, s[a:b], 1.0 / span[a:b], offer_choice,
                                    linear_votes=vote_utility is VoteUtility.linear)
            else:
                out = step(c[a:b], xc, s[a:b], span[a:b], q, t_rule, offer_choice, prob_rule,
                           conflict, voters, perception, vote_utility, detail=False)
                xc, r = out["position"], out["risk"]
            t += 1
            if t <= rounds:
                risk[a:b, t - 1] = r
                positions[a:b, t] = xc
            states.append(xc)
            if t > horizon:  # rounds beyond the horizon are shown, not analysed
                continue
            open_ = period == 0
            for p in range(1, min(t, MAX_PERIOD) + 1):
                same = open_ & (np.abs(xc - states[t - p]).max(axis=1) <= tol)
                period[same] = p
                found[same] = t
                open_ &= ~same
        _long_run(long_run, slice(a, b), np.stack(states[: horizon + 1], axis=1), w[a:b],
                  period, found)

    starts = range(0, D, chunk)
    if workers > 1 and len(starts) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(one_chunk, starts))
    else:
        for a in starts:
            one_chunk(a)
    median = np.stack([weighted_median(positions[:, t], w) for t in range(rounds + 1)], axis=1)
    mean = np.stack([weighted_mean(positions[:, t], w) for t in range(rounds + 1)], axis=1)
    period = long_run["period"]
    return {
        "positions": positions,
        "median": median,
        "mean": mean,
        "risk": risk,
        **long_run,
        "forecast_last": median[:, -1],
        "converged": period == 1,
        "cycle": period > 1,
        "settled": period > 0,
    }


def _long_run(out: dict, rows: slice, states: np.ndarray, w: np.ndarray,
              period: np.ndarray, found: np.ndarray) -> None:
    """Fill ``out[...][rows]`` with the long-run forecast and cycle of one chunk.

    ``states`` ``(d, T + 1, n)``; ``period[d]`` > 0 when ``states[d, found]`` repeats
    ``states[d, found - period]`` (the cycle spans rounds ``found - period .. found - 1``).
    """
    d, last = states.shape[0], states.shape[1] - 1
    med = weighted_median(states, np.broadcast_to(w[:, None, :], states.shape))  # (d, T+1)
    cyc = period > 0
    p = np.where(cyc, period, 1)
    start = np.where(cyc, found - p, last // 2 + 1)
    length = np.where(cyc, p, last - last // 2)
    k = np.arange(last + 1)[None, :]
    window = (k >= start[:, None]) & (k < (start + length)[:, None])
    if not cyc.all():  # unsettled: average over rounds last // 2 + 1 .. last
        window[~cyc] = (k >= last // 2 + 1)[0] if last > 0 else (k == 0)[0]
    out["forecast"][rows] = np.where(window, med, 0.0).sum(1) / window.sum(1)
    out["cycle_low"][rows] = np.where(window, med, np.inf).min(1)
    out["cycle_high"][rows] = np.where(window, med, -np.inf).max(1)
    out["period"][rows] = period
    out["cycle_start"][rows] = np.where(cyc, found - p, -1)
    j = np.arange(MAX_PERIOD)[None, :]
    idx = np.where(cyc[:, None], (found - p)[:, None] + j % p[:, None],
                   np.clip(last - MAX_PERIOD + 1 + j, 0, last))
    out["cycle_positions"][rows] = np.take_along_axis(states, idx[:, :, None], axis=1)
    _ = d
