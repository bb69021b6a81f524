"""Expected-utility challenge model of group decisions (Bueno de Mesquita 1994).

Equations as reconstructed by Scholz, Calbert & Smith (2011), "Unravelling Bueno De
Mesquita's group decision model", J. Theoretical Politics 23(4):510-531, appendix; the
symbols below follow theirs. For every draw, each round:

* positions are scaled by the issue range, ``d_ij = |x_i - x_j| / (hi - lo)``;
* votes of ``k`` between ``i`` and ``j``: ``v^k_ij = c_k s_k (d_kj - d_ki)``;
* probability that ``i`` prevails over ``j`` with third-party support:
  ``P_ij = sum_{k: v^k_ij > 0} v^k_ij / sum_k |v^k_ij|`` (0.5 when nobody cares);
* utilities of ``i`` against ``j`` with risk exponent ``r_i`` and median ``mu``::

      U_s  = 2 - 4 (0.5 - 0.5 d_ij) ** r_i           success
      U_f  = 2 - 4 (0.5 + 0.5 d_ij) ** r_i           failure
      U_b  = 2 - 4 (0.5 - 0.25 (d_imu + d_ij)) ** r_i   status quo gets better
      U_w  = 2 - 4 (0.5 + 0.25 (d_imu + d_ij)) ** r_i   status quo gets worse
      U_sq = 2 - 4 (0.5) ** r_i

* expected utility of ``i`` challenging ``j``::

      E_ij = s_j (P_ij U_s + (1 - P_ij) U_f) + (1 - s_j) U_s
             - Q U_sq - (1 - Q) (T U_b + (1 - T) U_w)

* risk exponents from security levels: with ``V_i = sum_{j != i} E_ji`` computed risk
  neutral (``r = 1``), ``R_i = (2 V_i - max V - min V) / (max V - min V)`` and
  ``r_i = (1 - R_i / 3) / (1 + R_i / 3)`` in ``[0.5, 2]``: an actor whose position invites
  challenges is taken to be risk acceptant;
* octants of ``(E_ij, E_ji)`` seen by the proposer ``i`` (``E_ij > 0``):
  both positive -> *conflict*, ``i`` demands ``x_i``; ``E_ji < 0`` and
  ``E_ij > |E_ji|`` -> *compromise*, ``j`` is offered
  ``x_j + (x_i - x_j) |E_ji / E_ij|``; ``E_ji < 0`` and ``E_ij <= |E_ji|`` ->
  *capitulation*, ``j`` is offered ``x_i``; ``E_ij <= 0`` -> no offer (status quo);
* each actor adopts one of the offers it received (by default the one that asks the
  smallest move, BDM's "least costly credible proposal") and rounds repeat.

Where the sources are ambiguous the reading is a named option (StrEnum), defaults
documented on each.
"""

from __future__ import annotations

import functools
from enum import StrEnum

import numpy as np

from polemos.models.bargaining._common import check_inputs, weighted_mean, weighted_median

CHUNK_ELEMENTS = 1 << 18  # draws x actors^3 per chunk (keeps the n^3 tensors in cache)

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


class OfferChoice(StrEnum):
    """Which of the offers it received an actor acts on.

    ``strongest`` (default): among the proposals it would accept (it loses the conflict,
    or must compromise or capitulate), the one backed by the largest expected utility
    ``E_ij`` (exact ties: the proposer listed first).
    ``smallest``: among the proposals the target would accept, the one asking the
    smallest move (BDM's "least costly" proposal).
    """

    strongest = "strongest"
    smallest = "smallest"


class ProbRule(StrEnum):
    """Reading of the probability of success ``P_ij`` from third-party votes ``v^k_ij``.

    ``net`` (default): ``max(sum_k v^k_ij, 0) / sum_k |v^k_ij|``, the net vote margin (an
    actor facing a balanced or hostile coalition expects to lose; the reading of
    D. Masad's replication of Scholz et al.). ``share``: the literal reading
    ``sum_{k: v > 0} v^k_ij / sum_k |v^k_ij|``, the share of votes cast for ``i``
    (complementary: ``P_ij + P_ji = 1``).
    """

    net = "net"
    share = "share"


class Voters(StrEnum):
    """Whose votes decide ``P_ij``.

    ``third`` (default): third parties only (``k != i, j``), "the probability of success
    with third-party support"; with it the published round-1 moves are reproduced.
    ``all``: every actor, the principals included (their own votes always favour
    themselves).
    """

    third = "third"
    all = "all"


class Perception(StrEnum):
    """How the proposer ``i`` estimates the target's utility ``E_ji`` for the octants.

    ``projected`` (default): ``i`` does not know ``j``'s risk exponent and evaluates ``j``'s
    challenge with its own ``r_i`` (BDM's "from i's perspective"). ``true``: with ``r_j``
    (perfect information).
    """

    projected = "projected"
    true = "true"


class ConflictRule(StrEnum):
    """Resolution in the conflict octant (both expected utilities positive).

    ``stronger`` (default): the side with the larger expected utility prevails and the
    other moves to its position. ``none``: conflicts are stalemates (no move).
    """

    stronger = "stronger"
    none = "none"


@functools.lru_cache(maxsize=64)
def _pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(n, 1)


def prob_success(
    w: np.ndarray, d: np.ndarray, rule: ProbRule = ProbRule.net, voters: Voters = Voters.third
) -> np.ndarray:
    """``P[d, i, j]``: probability that ``i`` prevails over ``j`` with third-party votes.

    Votes ``v^k_ij = w_k (d_kj - d_ki)`` over ``k`` (see :class:`Voters`, :class:`ProbRule`);
    0.5 when nobody's vote is cast. Per unordered pair, ``net = sum_k v^k_ij`` is a
    difference of column sums (``O(n^2)``) and ``total = sum_k |v^k_ij|`` the one
    ``O(n^3)`` term; the principals' own votes (``+-w d_ij``) are removed in closed form.
    """
    n = d.shape[1]
    if n < 2:
        return np.full_like(d, 0.5)
    iu, ju = _pairs(n)
    col = np.einsum("dk,dkj->dj", w, d)  # sum_k w_k d_kj
    dij = d[:, iu, ju]
    net = col[:, ju] - col[:, iu]  # sum over all k of v^k_ij for i = iu, j = ju
    gap = np.take(d, ju, axis=2)
    gap -= np.take(d, iu, axis=2)
    np.abs(gap, out=gap)
    total = np.einsum("dk,dkp->dp", w, gap)
    wi, wj = w[:, iu], w[:, ju]
    if voters is Voters.third:
        net -= (wi - wj) * dij
        total -= (wi + wj) * dij
    cast = total > 1e-12 * np.maximum(total.max(axis=1, keepdims=True), 1e-300)
    safe = np.where(cast, total, 1.0)
    if rule is ProbRule.share:
        up = 0.5 * (total + net) / safe
        down = 0.5 * (total - net) / safe
    else:
        up = np.maximum(net, 0.0) / safe
        down = np.maximum(-net, 0.0) / safe
    p = np.full_like(d, 0.5)
    p[:, iu, ju] = np.where(cast, np.clip(up, 0.0, 1.0), 0.5)
    p[:, ju, iu] = np.where(cast, np.clip(down, 0.0, 1.0), 0.5)
    return p


def _logs(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``log(0.5 - 0.5 d)`` and ``log(0.5 + 0.5 d)``, with ``d`` clipped to [0, 1]."""
    dc = np.clip(d, 0.0, 1.0)
    with np.errstate(divide="ignore"):
        return np.log(0.5 - 0.5 * dc), np.log(0.5 + 0.5 * dc)


def _pow(base_log: np.ndarray, r: np.ndarray) -> np.ndarray:
    """``base ** r`` from ``log(base)`` (one vectorised exp instead of a scalar pow)."""
    return np.exp(r * base_log)


def expected_utilities(
    d: np.ndarray,
    dmu: np.ndarray,
    p: np.ndarray,
    s: np.ndarray,
    r: np.ndarray,
    q: float,
    t: np.ndarray,
    logs: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """``E[d, i, j]``: expected utility to ``i`` of challenging ``j`` (Scholz et al. 2011, A.6).

    ``r`` is ``(D, n)`` (each challenger's own exponent) or ``(D, n, n)`` (the exponent
    used for the pair ``(i, j)``, e.g. the perceiver's when ``i`` is not the perceiver).
    ``logs`` may carry ``(log(0.5 - 0.5 d), log(0.5 + 0.5 d))`` computed once per round.
    """
    rr = r[:, :, None] if r.ndim == 2 else r
    if logs is None:
        logs = _logs(d)
    us = 2.0 - 4.0 * _pow(logs[0], rr)
    uf = 2.0 - 4.0 * _pow(logs[1], rr)
    usq = 2.0 - 4.0 * 0.5**rr
    sj = s[:, None, :]
    e = sj * (p * (us - uf) + uf) + (1.0 - sj) * us - q * usq
    if q < 1.0:
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


def step(
    c: np.ndarray,
    x: np.ndarray,
    s: np.ndarray,
    scale: np.ndarray,
    q: float = 1.0,
    t_rule: TRule = TRule.closer,
    offer_choice: OfferChoice = OfferChoice.strongest,
    prob_rule: ProbRule = ProbRule.net,
    conflict: ConflictRule = ConflictRule.stronger,
    voters: Voters = Voters.third,
    perception: Perception = Perception.projected,
    detail: bool = True,
) -> dict[str, np.ndarray]:
    """One round of challenges and offers for every draw; returns new positions and detail.

    With ``detail``, ``kind[d, i, j]`` classifies the offer of ``i`` to ``j`` as seen by
    the proposer: 0 none/rejected, 1 conflict won by ``i``, 2 compromise, 3 capitulation.
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
    p = prob_success(w, d, prob_rule, voters)
    logs = _logs(d)
    if q == 1.0:
        # E_ij = 4 (0.5^r - A_ij (0.5 - 0.5 d)^r - B_ij (0.5 + 0.5 d)^r) with
        # A = s_j P + 1 - s_j, B = s_j (1 - P): the exponentials are shared by i's own
        # utility and its projection of j's (both use r_i and the symmetric d)
        sj = s[:, None, :]
        big_a = sj * p + (1.0 - sj)
        big_b = sj * (1.0 - p)
        r = risk_exponents(2.0 * d * (big_a - big_b), zero_diagonal=True)
        rr = r[:, :, None]
        xa, xb, z = _pow(logs[0], rr), _pow(logs[1], rr), 0.5**rr
        e = 4.0 * (z - big_a * xa - big_b * xb)
        if perception is Perception.true:
            ej = e.transpose(0, 2, 1)
        else:
            ej = 4.0 * (z - big_a.transpose(0, 2, 1) * xa - big_b.transpose(0, 2, 1) * xb)
    else:
        r = risk_exponents(expected_utilities(d, dmu, p, s, np.ones_like(x), q, t, logs))
        e = expected_utilities(d, dmu, p, s, r, q, t, logs)
        if perception is Perception.true:
            ej = e.transpose(0, 2, 1)  # ej[d, i, j] = E_ji with j's own exponent
        else:
            # i's estimate of j challenging i uses r_i: the exponent of the target of (j -> i)
            rt = np.broadcast_to(r[:, None, :], d.shape)
            ej = expected_utilities(d, dmu, p, s, rt, q, t, logs).transpose(0, 2, 1)
    # offers the target accepts: it loses the conflict, or must compromise / capitulate
    if conflict is ConflictRule.stronger:
        accept = (ej <= 0) | (ej < e)
    else:
        accept = ej <= 0
    ok = (e > 0) & (d > 0) & accept
    partial = (ej < 0) & (-ej < e)
    frac = np.where(partial, np.divide(-ej, e, out=np.ones_like(e), where=partial), 1.0)
    offer = x[:, None, :] + diff * frac
    if offer_choice is OfferChoice.smallest:
        near = np.where(ok, np.abs(offer - x[:, None, :]), np.inf)
        best = np.argmin(near, axis=1)
        got = np.isfinite(near.min(axis=1))
    else:
        # the acceptable proposal backed by the largest expected utility (ties: lowest index)
        strength = np.where(ok, e, -np.inf)
        best = np.argmax(strength, axis=1)
        got = np.take_along_axis(strength, best[:, None, :], axis=1)[:, 0] > -np.inf
    chosen = np.take_along_axis(offer, best[:, None, :], axis=1)[:, 0]
    out = {"position": np.where(got, chosen, x), "risk": r}
    if detail:
        kind = np.where(ok & (ej > 0), 1, np.where(ok & partial, 2, np.where(ok, 3, 0)))
        out.update(eu=e, prob=p, kind=kind)
    return out


def run(
    capability,
    position,
    salience,
    rng: np.random.Generator | None = None,
    rounds: int = 10,
    q: float = 1.0,
    scale: tuple[float, float] | None = None,
    t_rule: TRule | str = TRule.closer,
    offer_choice: OfferChoice | str = OfferChoice.strongest,
    prob_rule: ProbRule | str = ProbRule.net,
    conflict: ConflictRule | str = ConflictRule.stronger,
    voters: Voters | str = Voters.third,
    perception: Perception | str = Perception.projected,
    workers: int = 1,
) -> dict[str, np.ndarray]:
    """Bueno de Mesquita's (1994) expected-utility challenge model, vectorised over draws.

    Equations: Scholz, Calbert & Smith (2011), J. Theoretical Politics 23(4), appendix
    (see the module docstring). ``capability``, ``position`` and ``salience`` (in [0, 1])
    are ``(n_draws, n_actors)``; ``q`` is BDM's ``Q`` (probability that the status quo
    persists unchallenged); ``scale=(lo, hi)`` fixes the issue range (default: the range
    of each draw's initial positions). ``rng`` is unused (the model is deterministic).
    ``workers`` > 1 runs chunks of draws on that many threads (same bits).

    Returns ``positions`` ``(n_draws, rounds + 1, n_actors)`` (index 0 = initial),
    ``median`` and ``mean`` ``(n_draws, rounds + 1)`` (capability x salience weighted
    median and mean each round), ``risk`` ``(n_draws, rounds, n_actors)`` and
    ``forecast`` ``(n_draws,)``, the median after the last round.
    """
    c, x, s = check_inputs(capability, position, salience)
    if rounds < 0:
        raise ValueError("rounds must be >= 0")
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"q must lie in [0, 1], got {q}")
    t_rule, offer_choice = TRule(t_rule), OfferChoice(offer_choice)
    prob_rule, conflict = ProbRule(prob_rule), ConflictRule(conflict)
    voters, perception = Voters(voters), Perception(perception)
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
    # draws are independent: process them in cache-sized chunks (optionally on threads;
    # NumPy releases the GIL in its loops, and each chunk writes its own slice, so the
    # result is bit-identical whatever the number of workers)
    chunk = max(1, CHUNK_ELEMENTS // max(n**3, 1))

    def one_chunk(a: int) -> None:
        b = min(D, a + chunk)
        xc = x[a:b]
        for t in range(rounds):
            out = step(c[a:b], xc, s[a:b], span[a:b], q, t_rule, offer_choice, prob_rule,
                       conflict, voters, perception, detail=False)
            xc = out["position"]
            risk[a:b, t] = out["risk"]
            positions[a:b, t + 1] = xc

    starts = range(0, D, chunk)
    if workers > 1 and len(starts) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(one_chunk, starts))
    else:
        for a in starts:
            one_chunk(a)
    traj = [positions[:, t] for t in range(rounds + 1)]
    median = np.stack([weighted_median(p, w) for p in traj], axis=1)
    mean = np.stack([weighted_mean(p, w) for p in traj], axis=1)
    return {
        "positions": positions,
        "median": median,
        "mean": mean,
        "risk": risk,
        "forecast": median[:, -1],
    }
