"""Bargaining at negotiation events, with Fearon's (1995) settlement test.

At every summit or negotiation that happens (``ctx.shared["negotiating"]``), and, when
the scenario's ``negotiation.continuous`` is true, every ``negotiation.every_weeks`` weeks
(weeks 1 + k x every_weeks: week 1 is the first round), for each issue with stances:

1. **Forecast**: the kernel of :mod:`polemos.models.bargaining` named by
   ``negotiation.model`` (default the compromise model, the capability x salience weighted
   mean of positions; Achen 2006), run on all draws at once with capability each actor's
   current ``power``, positions its current ``position.<actor>.<issue>`` and saliences
   divided by 100. ``eum`` runs ``negotiation.rounds`` rounds of offers and ``smp`` at
   most that many turns, on the 0-100 scale; ``nash`` takes the issue's status quo (when
   given) as the disagreement point. A continuous round does not set the shared
   ``negotiating`` flag (the escalation stage still reacts only to summits).
2. **Expected value of fighting on** (Fearon 1995, "Rationalist explanations for war",
   *International Organization* 49(3), section "War is costly"): the actors split into
   two camps about the midpoint of the extreme positions; a war decides the issue at
   the winning camp's power-weighted position, the upper camp winning with probability
   :math:`P_{up} / (P_{up} + P_{lo})` (ratio contest success function, Hirshleifer 1989).
   With utility :math:`u_i(x) = 1 - |x - x_i|/100`, actor i's value of fighting on is

   .. math:: EV_i = q_i\\, u_i(X_{own}) + (1 - q_i)\\, u_i(X_{other}) - c_i / s_i

   where :math:`q_i` is i's belief that its camp wins, its camp's power inflated by an
   optimism factor :math:`e^{\\theta_i}`,
   :math:`\\theta_i \\sim N(r_i - r_0,\\ \\sigma_0 + \\rho\\, a_i)` (:math:`\\sigma_0` =
   ``negotiation.optimism_sd``, default 0.25; :math:`\\rho` = ``negotiation.optimism_risk``,
   default 0.5; :math:`r_0` = ``negotiation.neutral_resolve``, default 0.5) with
   :math:`r_i` resolve (the resolute expect to outlast the other side) and :math:`a_i`
   risk acceptance: mutual optimism under private information, Fearon's first mechanism
   (Blainey 1973), :math:`c_i = w_i\\,(1-r_i)/(1-r_0)` the cost of war (``war_cost``
   attribute :math:`w_i`, default ``negotiation.war_cost`` = 0.1, scaled by resolve
   :math:`r_i`: an actor of neutral resolve bears exactly :math:`w_i`) and :math:`s_i` the
   salience (0-1), floored at ``MIN_SALIENCE`` (a safeguard against division by zero).
3. **Zone of agreement**: i accepts any :math:`x` with :math:`u_i(x) \\ge EV_i`, i.e.
   :math:`|x - x_i| \\le R_i = 100(1 - EV_i)`. The zone is the intersection
   :math:`[\\max_i (x_i - R_i), \\min_i (x_i + R_i)]`; a settlement happens only when
   the zone is non-empty on every issue, at the forecast clipped into the zone.

Without a settlement, each actor concedes toward the forecast by
:math:`\\lambda (1 - r_i)` of the distance (:math:`\\lambda` =
``negotiation.concession``, default 0.2): the bargaining
trajectory. Reads ``power.<actor>``, ``resolve.<actor>``; writes ``forecast.<issue>``,
``agreement.<issue>`` (the status quo, or the first forecast, until settled),
``zone.<issue>``, ``position.<actor>.<issue>``, ``settlement`` and ``ceasefire``.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np

from polemos.engine.stage import BaseStage, Context, State

CONCESSION = 0.2
"""Default of ``negotiation.concession`` (the scenario's value is used)."""
DEFAULT_WAR_COST = 0.1
"""Default of ``negotiation.war_cost`` (the scenario's value is used)."""
MIN_SALIENCE = 0.05
"""Floor of the salience (0-1) dividing the cost of war: a numerical safeguard (no
division by zero), binding only below 5 of 100 (docs/assumptions.md, audit table)."""


def compromise(power: np.ndarray, position: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """The compromise model's forecast per draw from ``(n, k)`` arrays."""
    return forecast("compromise", power, position, salience)


@cache
def _kernel(model: str):
    """The ``run`` of the registered model ``bargaining.<model>`` (looked up once)."""
    from polemos.models.registry import get

    return get(f"bargaining.{model}").run


def forecast(
    model: str, power: np.ndarray, position: np.ndarray, salience: np.ndarray,
    status_quo: np.ndarray | None = None, rounds: int = 10,
) -> np.ndarray:
    """``(n,)`` forecast of the registered kernel ``bargaining.<model>`` from ``(n, k)``
    capabilities, positions (0-100) and saliences (0-1); see the module docstring."""
    run = _kernel(model)
    sal = np.clip(salience, 0.0, 1.0)
    if model == "eum":
        out = run(power, position, sal, rounds=rounds, scale=(0.0, 100.0))
    elif model == "smp":
        out = run(np.maximum(power, 1e-9), position, sal, max_turns=rounds)
    elif model == "nash":
        out = run(power, position, sal, status_quo=status_quo)
    else:
        out = run(power, position, sal)
    fc = np.asarray(out["forecast"], dtype=float)
    return fc.reshape(fc.shape[0], -1)[:, 0]


def camps(position: np.ndarray, power: np.ndarray) -> tuple[np.ndarray, ...]:
    """Split actors into the two camps a war would decide between.

    An actor joins the upper camp when its position is above the midpoint of the two
    extreme positions. Returns ``(upper mask, X_upper, X_lower, P_upper, P_lower)``: each
    camp's power-weighted position and total power, per draw.
    """
    mid = 0.5 * (position.min(axis=1) + position.max(axis=1))
    up = position > mid[:, None]
    p_up = (power * up).sum(axis=1)
    p_lo = (power * ~up).sum(axis=1)
    x_up = (power * up * position).sum(axis=1) / np.maximum(p_up, 1e-12)
    x_lo = (power * ~up * position).sum(axis=1) / np.maximum(p_lo, 1e-12)
    x_up = np.where(p_up > 0, x_up, position.max(axis=1))
    x_lo = np.where(p_lo > 0, x_lo, position.min(axis=1))
    return up, x_up, x_lo, p_up, p_lo


def fearon_zone(
    position: np.ndarray, salience: np.ndarray, power: np.ndarray, optimism: np.ndarray,
    cost: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """``(lo, hi)`` of the zone of agreement on one issue; empty where ``lo > hi``.

    All inputs ``(n, k)``: positions (0-100), saliences (0-1), power, log-odds optimism
    ``theta`` and cost of war. Actor i believes its camp wins with probability
    ``q_i = P_own e^theta / (P_own e^theta + P_other)`` and accepts ``x`` within
    ``R_i = q_i |X_own - x_i| + (1 - q_i) |X_other - x_i| + 100 c_i / s_i`` of its position.
    """
    up, x_up, x_lo, p_up, p_lo = camps(position, power)
    own_p = np.where(up, p_up[:, None], p_lo[:, None]) * np.exp(optimism)
    other_p = np.where(up, p_lo[:, None], p_up[:, None])
    q = own_p / np.maximum(own_p + other_p, 1e-12)
    x_own = np.where(up, x_up[:, None], x_lo[:, None])
    x_other = np.where(up, x_lo[:, None], x_up[:, None])
    radius = (q * np.abs(x_own - position) + (1 - q) * np.abs(x_other - position)
              + 100.0 * cost / np.maximum(salience, MIN_SALIENCE))
    lo = np.max(position - radius, axis=1).clip(0.0, 100.0)
    hi = np.min(position + radius, axis=1).clip(0.0, 100.0)
    return lo, hi


class BargainingStage(BaseStage):
    name = "bargaining"
    key = 4
    READS = ("power.<actor>", "resolve.<actor>", "issues[].positions",)
    WRITES = (
        "forecast.<issue>", "agreement.<issue>", "zone.<issue>",
        "position.<actor>.<issue>", "settlement", "ceasefire",
    )

    def init(self, ctx: Context) -> State:
        self.ctx = ctx
        p = ctx.params
        sc = ctx.scenario
        actors = {a.id: a for a in sc.actors}
        self.issues = []
        neg = sc.negotiation
        self.model, self.rounds = str(neg.model), neg.rounds
        self.every = neg.every_weeks if neg.continuous else 0
        out: State = {"settlement": np.zeros(ctx.n), "ceasefire": np.zeros(ctx.n)}
        for issue in sc.issues:
            ids = [a for a in issue.positions if a in actors]
            if not ids:
                continue
            sal = np.stack([p.value(issue.positions[a].salience) for a in ids], 1) / 100.0
            for a in ids:
                out[f"position.{a}.{issue.id}"] = p.value(issue.positions[a].position).copy()
            sq = None if issue.status_quo is None else p.value(issue.status_quo)
            self.issues.append((issue, ids, sal, sq))
        neg = sc.negotiation
        war_cost = p.value(neg.war_cost, DEFAULT_WAR_COST)
        self.cost = {
            a.id: (p.value(a.attributes["war_cost"]) if "war_cost" in a.attributes
                   else war_cost) for a in sc.actors
        }
        base_sd = np.maximum(p.value(neg.optimism_sd, 0.25), 0.0)
        per_risk = p.value(neg.optimism_risk, 0.5)
        self.optimism_sd = {
            a.id: base_sd + per_risk * np.clip(p.measure(a.attributes, "risk_acceptance", 0.5),
                                               0, 1)
            for a in sc.actors
        }
        neutral = p.value(neg.neutral_resolve, 0.5)
        self.neutral = neutral[:, None]
        self.cost_scale = (1.0 / (1.0 - neutral))[:, None]  # 2.0 at the default 0.5
        self.concession = np.clip(p.value(neg.concession, CONCESSION), 0.0, 1.0)
        power = {a.id: np.maximum(p.value(a.influence, 1.0), 0.0) for a in sc.actors}
        for issue, ids, sal, sq in self.issues:
            x = np.stack([out[f"position.{a}.{issue.id}"] for a in ids], 1)
            c = np.stack([power[a] for a in ids], 1)
            fc = forecast(self.model, c, x, sal, sq, self.rounds)
            out[f"forecast.{issue.id}"] = fc
            out[f"agreement.{issue.id}"] = sq.copy() if sq is not None else fc.copy()
            out[f"zone.{issue.id}"] = np.zeros(ctx.n)
        return out

    def step(self, state: State, week: int, date: dt.date, rng: np.random.Generator) -> None:
        n = self.ctx.n
        truce = self.ctx.shared.get("truce", np.zeros(n, dtype=bool))
        talks = self.ctx.shared.get("negotiating", np.zeros(n, dtype=bool))
        if self.every and (week - 1) % self.every == 0:
            talks = np.ones(n, dtype=bool)
        talks = talks & (state["settlement"] == 0)
        if talks.any() and self.issues:
            self._negotiate(state, talks, rng)
        state["ceasefire"][:] = np.maximum(state["settlement"], truce)

    def _negotiate(self, state: State, talks: np.ndarray, rng: np.random.Generator) -> None:
        n = self.ctx.n
        all_zone = talks.copy()
        results = []
        for issue, ids, sal, sq in self.issues:
            k = len(ids)
            x = np.stack([state[f"position.{a}.{issue.id}"] for a in ids], 1)
            power = np.stack([state[f"power.{a}"] for a in ids], 1) + 1e-12
            resolve = np.stack([state[f"resolve.{a}"] for a in ids], 1)
            fc = state[f"forecast.{issue.id}"].copy()
            fc[talks] = forecast(self.model, power[talks], x[talks], sal[talks],
                                 None if sq is None else sq[talks], self.rounds)
            sd = np.stack([self.optimism_sd[a] for a in ids], 1)
            theta = (resolve - self.neutral) + sd * rng.standard_normal((n, k))
            cost = np.stack([self.cost[a] for a in ids], 1) * self.cost_scale * (1.0 - resolve)
            lo, hi = fearon_zone(x, sal, power, theta, cost)
            zone = lo <= hi
            state[f"zone.{issue.id}"][talks] = zone[talks].astype(float)
            state[f"forecast.{issue.id}"][talks] = fc[talks]
            all_zone &= zone
            results.append((issue, ids, x, resolve, fc, lo, hi))
        for issue, ids, x, resolve, fc, lo, hi in results:
            deal = np.clip(fc, lo, np.maximum(lo, hi))
            settle = all_zone
            state[f"agreement.{issue.id}"][settle] = deal[settle]
            fail = talks & ~all_zone
            for j, a in enumerate(ids):
                pos = state[f"position.{a}.{issue.id}"]
                step = self.concession * (1.0 - resolve[:, j]) * (fc - x[:, j])
                pos[fail] = x[fail, j] + step[fail]
                pos[settle] = deal[settle]
        state["settlement"][all_zone] = 1.0
