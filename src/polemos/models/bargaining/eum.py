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

from enum import StrEnum

import numpy as np

from polemos.models.bargaining._common import check_inputs, weighted_mean, weighted_median

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
    ``E_ij`` (ties: the nearest).
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


def prob_success(
    w: np.ndarray, d: np.ndarray, rule: ProbRule = ProbRule.net, voters: Voters = Voters.third
) -> np.ndarray:
    """``P[d, i, j]``: probability that ``i`` prevails over ``j`` with third-party votes.

    Votes ``v^k_ij = w_k (d_kj - d_ki)`` over ``k`` (see :class:`Voters`, :class:`ProbRule`);
    0.5 when nobody's vote is cast.
    """
    gain = d[:, :, None, :] - d[:, :, :, None]  # gain[d, k, i, j] > 0 when k prefers i
    gain = np.maximum(gain, 0.0)
    if voters is Voters.third:
        n = d.shape[1]
        k = np.arange(n)
        principal = (k[:, None, None] == k[None, :, None]) | (k[:, None, None] == k[None, None, :])
        gain = np.where(principal[None], 0.0, gain)
    pos = np.einsum("dk,dkij->dij", w, gain)
    neg = pos.transpose(0, 2, 1)
    tot = pos + neg
    safe = np.where(tot > 0, tot, 1.0)
    if rule is ProbRule.share:
        return np.where(tot > 0, pos / safe, 0.5)
    return np.where(tot > 0, np.maximum(pos - neg, 0.0) / safe, 0.5)


def expected_utilities(
    d: np.ndarray,
    dmu: np.ndarray,
    p: np.ndarray,
    s: np.ndarray,
    r: np.ndarray,
    q: float,
    t: np.ndarray,
) -> np.ndarray:
    """``E[d, i, j]``: expected utility to ``i`` of challenging ``j`` (Scholz et al. 2011, A.6).

    ``r`` is ``(D, n)`` (each challenger's own exponent) or ``(D, n, n)`` (the exponent
    used for the pair ``(i, j)``, e.g. the perceiver's when ``i`` is not the perceiver).
    """
    rr = r[:, :, None] if r.ndim == 2 else r
    us = 2.0 - 4.0 * (0.5 - 0.5 * d) ** rr
    uf = 2.0 - 4.0 * (0.5 + 0.5 * d) ** rr
    usq = 2.0 - 4.0 * 0.5**rr
    sj = s[:, None, :]
    e = sj * (p * us + (1.0 - p) * uf) + (1.0 - sj) * us - q * usq
    if q < 1.0:
        spread = 0.25 * (dmu[:, :, None] + d)
        ub = 2.0 - 4.0 * (0.5 - spread) ** rr
        uw = 2.0 - 4.0 * (0.5 + spread) ** rr
        e = e - (1.0 - q) * (t * ub + (1.0 - t) * uw)
    return e


def risk_exponents(e_neutral: np.ndarray) -> np.ndarray:
    """``r_i`` in [0.5, 2] from security levels ``V_i = sum_{j != i} E_ji`` (risk neutral)."""
    n = e_neutral.shape[-1]
    off = ~np.eye(n, dtype=bool)
    v = np.where(off, e_neutral, 0.0).sum(axis=1)  # column sums: others challenging i
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
) -> dict[str, np.ndarray]:
    """One round of challenges and offers for every draw; returns new positions and detail.

    ``kind[d, i, j]`` classifies the offer of ``i`` to ``j`` as seen by the proposer:
    0 none/rejected, 1 conflict won by ``i``, 2 compromise, 3 capitulation.
    """
    n = x.shape[1]
    w = c * s
    d = np.abs(x[:, :, None] - x[:, None, :]) / scale[:, None, None]
    mu = weighted_median(x, w)
    dmu = np.abs(x - mu[:, None]) / scale[:, None]
    p = prob_success(w, d, prob_rule, voters)
    if t_rule is TRule.half:
        t = np.full_like(d, 0.5)
    else:
        t = (dmu[:, :, None] <= dmu[:, None, :]).astype(float)
    r = risk_exponents(expected_utilities(d, dmu, p, s, np.ones_like(x), q, t))
    e = expected_utilities(d, dmu, p, s, r, q, t)
    if perception is Perception.true:
        ej = e.transpose(0, 2, 1)  # ej[d, i, j] = E_ji with j's own exponent
    else:
        # i's estimate of j challenging i uses r_i: exponent of the *target* of (j -> i)
        proj = expected_utilities(d, dmu, p, s, np.broadcast_to(r[:, None, :], d.shape), q, t)
        ej = proj.transpose(0, 2, 1)
    sent = (~np.eye(n, dtype=bool))[None] & (d > 0) & (e > 0)
    if conflict is ConflictRule.stronger:
        lost = (ej > 0) & (ej < e)
    else:
        lost = np.zeros_like(sent)
    compromise = (ej <= 0) & (-ej < e)
    capitulate = (ej <= 0) & (-ej >= e)
    kind = np.where(sent & lost, 1, np.where(sent & compromise, 2, np.where(sent & capitulate, 3, 0)))
    frac = np.where(kind == 2, -ej / np.where(e > 0, e, 1.0), 1.0)
    xi = x[:, :, None]
    xj = x[:, None, :]
    offer = xj + (xi - xj) * frac
    if offer_choice is OfferChoice.smallest:
        cost = np.where(kind > 0, np.abs(offer - xj), np.inf)
        best = np.argmin(cost, axis=1)  # (D, j)
    else:
        # the target acts on the acceptable proposal backed by the largest expected
        # utility; among equals, the one nearest its own position
        strength = np.where(kind > 0, e, -np.inf)
        top = strength.max(axis=1, keepdims=True)
        near = np.where((kind > 0) & (strength >= top), np.abs(xi - xj), np.inf)
        best = np.argmin(near, axis=1)
    k = np.take_along_axis(kind, best[:, None, :], axis=1)[:, 0]
    chosen = np.take_along_axis(offer, best[:, None, :], axis=1)[:, 0]
    new_x = np.where(k > 0, chosen, x)
    return {"position": new_x, "risk": r, "eu": e, "prob": p, "median": mu, "kind": kind}


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
) -> dict[str, np.ndarray]:
    """Bueno de Mesquita's (1994) expected-utility challenge model, vectorised over draws.

    Equations: Scholz, Calbert & Smith (2011), J. Theoretical Politics 23(4), appendix
    (see the module docstring). ``capability``, ``position`` and ``salience`` (in [0, 1])
    are ``(n_draws, n_actors)``; ``q`` is BDM's ``Q`` (probability that the status quo
    persists unchallenged); ``scale=(lo, hi)`` fixes the issue range (default: the range
    of each draw's initial positions). ``rng`` is unused (the model is deterministic).

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
    traj = [x]
    risks = []
    for _ in range(rounds):
        out = step(c, x, s, span, q, t_rule, offer_choice, prob_rule, conflict, voters, perception)
        x = out["position"]
        risks.append(out["risk"])
        traj.append(x)
    positions = np.stack(traj, axis=1)
    median = np.stack([weighted_median(p, w) for p in traj], axis=1)
    mean = np.stack([weighted_mean(p, w) for p in traj], axis=1)
    risk = np.stack(risks, axis=1) if risks else np.empty((x.shape[0], 0, x.shape[1]))
    return {
        "positions": positions,
        "median": median,
        "mean": mean,
        "risk": risk,
        "forecast": median[:, -1],
    }
