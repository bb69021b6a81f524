"""Issue 15: the kernels' speed-ups, old against new, in one run, with the same bits.

Per kernel: the Budapest scenario (``scenarios/ukraine-2025-10-budapest.yaml``),
10,000 draws x 52 weeks through the engine (:func:`polemos.engine.loop.simulate_block`,
seed 1, blocks 0-3 of 2,500 draws as the CLI runs them, counterfactual arms left out), once with the implementation of commit
19ddd24 patched in (its code is kept below, and only here) and once with the current
one; the CPU seconds spent inside the kernel's calls are summed, and the two blocks'
columns and aggregates are compared byte for byte. Then the whole of ``run_blocks`` for
10,000 draws (4 blocks of 2,500, the CLI's default block size), in fresh subprocesses:
the tree of commit 19ddd24 (``git archive``) against the current ``src``.

``tests/engine/test_kernel_speedups.py`` uses the old implementations below as the
plain references of the new kernels.
"""


import contextlib
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from scipy.special import expit

from polemos.models.attrition.lanchester import SideInputs, TheatreState, _at, _generate
from polemos.models.attrition.laws import Exponents, _rk4_stage, loss_rates
from polemos.models.economy.revenue import (
    NDPI_FLOOR_USD,
    gas_export_revenue,
    oil_export_revenue,
)
from polemos.models.economy.war_economy import (
    WEEKS_PER_YEAR,
    EconomyParams,
    EconomyState,
    MeasureArrays,
)
from polemos.models.escalation.ladder import LadderParams, LadderState, prepare

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "ukraine-2025-10-budapest.yaml"
BASE = "19ddd24"
N_DRAWS, BLOCK, WEEKS, SEED = 10_000, 2_500, 52, 1


# --- the old escalation ladder step (polemos.models.escalation.ladder at 19ddd24) -------

@dataclass(frozen=True)
class _OldLadderTables:
    """Per-draw tables that depend on the current rung only, precomputed once."""

    pad: np.ndarray  # (A, J + 1) row of [moves..., holds..., none] per actor option slot
    slot_move: np.ndarray  # (A, J + 1) move index per slot, -1 for hold / none
    dv: np.ndarray  # (n, R, M) S[r'] - S[r] + rho K[r'] - rho K[r] for r' = r'(m, r)
    avail: np.ndarray  # (R, M) structural availability at rung r
    rise_term: np.ndarray  # (R, M) 1[m de-escalates] - 1[m raises the rung]
    r_new_t: np.ndarray  # (M, R) the rung each move leads to from r
    raises_t: np.ndarray  # (M, R) the move sets the rung (escalation at or above r)
    lam_m: np.ndarray  # (n, M) rationality of the move's actor
    move_actor_hit: np.ndarray  # (M,) index into the flattened (A,) choice
    net: np.ndarray  # (n, M) g - c, the typical week's net gain (shadow price)
    finite_cols: np.ndarray  # moves with a finite stock in some draw
    cooldown: np.ndarray | None  # (M,) or None
    max_per_year: np.ndarray | None  # (M,) or None
    crossed: np.ndarray  # (n, R) number of actors whose red line is at or below each rung


def old_ladder_tables(p: LadderParams) -> _OldLadderTables:
    """The 19ddd24 tables: ``dv`` computed as it was (the reference of the new layout);
    ``avail``, ``rise_term`` and the per-draw inputs taken from the new ``prepare``
    (unchanged equations); the extra tables of the old step (every actor's option
    slots, ``r_new_t``, ``raises_t``, ``crossed``) rebuilt."""
    t = prepare(p)
    n_actors, n_moves = len(p.actor_side), len(p.move_actor)
    slot, counts = np.zeros(n_moves, int), np.zeros(n_actors, int)
    for m, a in enumerate(p.move_actor):
        counts[a] += 1
        slot[m] = counts[a]
    slot_move = np.full((n_actors, int(counts.max(initial=0)) + 1), -1)
    slot_move[p.move_actor, slot] = np.arange(n_moves)
    pad = np.where(slot_move >= 0, slot_move, n_moves + n_actors)
    pad[:, 0] = n_moves + np.arange(n_actors)
    k = np.arange(p.n_rungs)[:, None]
    rung_m, deesc = np.asarray(p.move_rung, int), np.asarray(p.move_deescalate, bool)
    r_new = np.where(deesc[None, :], rung_m[None, :], np.maximum(k, rung_m[None, :]))
    raises = ~deesc[None, :] & (rung_m[None, :] >= k)
    return _OldLadderTables(
        pad=pad, slot_move=slot_move, dv=_old_dv(p, r_new),
        avail=t.avail, rise_term=t.rise_term, r_new_t=np.ascontiguousarray(r_new.T),
        raises_t=np.ascontiguousarray(raises.T), lam_m=t.lam_m,
        move_actor_hit=t.move_actor_hit, net=t.net, finite_cols=t.finite_cols,
        cooldown=t.cooldown, max_per_year=t.max_per_year,
        crossed=(np.asarray(p.red_line)[:, None, :] <= k[None, :, :]).sum(2).astype(float),
    )


def _old_dv(p: LadderParams, r_new: np.ndarray) -> np.ndarray:
    """``dv`` (n, R, M) as ``_tables`` computed it at 19ddd24 (move-major, then turned)."""
    n_moves, n_rungs = len(p.move_actor), p.n_rungs
    sev = np.broadcast_to(np.asarray(p.severity, float), (p.n_draws, n_rungs))
    step_cost = np.concatenate([np.diff(sev, axis=1), np.zeros((p.n_draws, 1))], 1)
    k = np.arange(n_rungs)
    opposed = (p.actor_side[:, None] != p.actor_side[None, :]).astype(float)
    q = expit(p.red_line_sharpness * (k[None, None, :] - p.red_line[:, :, None] + 0.5))
    answers = np.minimum(np.einsum("ao,nok->nak", opposed, q), 1.0)
    risk_m = (p.risk_weight[:, :, None] * (answers * step_cost[:, None, :]))[:, p.move_actor, :]
    idx_new = np.broadcast_to(r_new.T[None, :, :], (p.n_draws, n_moves, n_rungs))
    sev_new = np.take_along_axis(np.broadcast_to(sev[:, None, :], risk_m.shape), idx_new, 2)
    d_risk = np.take_along_axis(risk_m, idx_new, 2) - risk_m
    deesc = np.asarray(p.move_deescalate, bool)
    d_risk = np.where(deesc[None, :, None], d_risk, np.maximum(d_risk, 0.0))
    return np.ascontiguousarray((sev_new - sev[:, None, :] + d_risk).transpose(0, 2, 1))


def _old_shadow_price(p: LadderParams, stocks: np.ndarray, net: np.ndarray,
                 lam_m: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
    """Opportunity cost (n, M) of using a finite stock now (module docstring, Hotelling
    1931): ``max(0, (g - c) - logit(q) / lambda)`` where the sustainable weekly use rate
    ``q = stock / (u H) + production / u`` is below one; zero otherwise or if ``H = 0``."""
    mu = np.zeros_like(net)
    if p.horizon <= 0:
        return mu
    if cols is None:  # unlimited moves carry no price
        cols = np.flatnonzero(np.isfinite(stocks).any(0))
    if len(cols) == 0:
        return mu
    u = np.asarray(p.use_size, float)[cols]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        q = (stocks[:, cols] / p.horizon + p.production[:, cols]) / u
        q = np.clip(np.nan_to_num(q, nan=np.inf), 1e-9, None)
        scarce = q < 1.0
        qs = np.where(scarce, q, 0.5)
        price = np.maximum(0.0, net[:, cols] - np.log(qs / (1.0 - qs))
                           / np.maximum(lam_m[:, cols], 1e-9))
    mu[:, cols] = np.where(scarce, price, 0.0)
    return mu


def old_ladder_step(
    state: LadderState,
    p: LadderParams,
    rng: np.random.Generator,
    battlefield: np.ndarray | float = 0.0,
    bargaining: np.ndarray | float = 0.0,
    tables: _OldLadderTables | None = None,
    inplace: bool = False,  # (the new step's option; the old one always copies)
) -> LadderState:
    """Advance every draw one week (see the module docstring for the rule).

    ``battlefield`` (n,) in [-1, 1], positive when the trend favours side +1;
    ``bargaining`` (n,) in [0, 1], the state of talks. ``tables`` (from
    :func:`prepare`) saves recomputation inside loops. Returns a new state.
    """
    t = tables if tables is not None else old_ladder_tables(p)
    n, n_rungs, n_moves = p.n_draws, p.n_rungs, len(p.move_actor)
    n_actors = len(p.actor_side)
    rows = np.arange(n)
    r = state.rung
    b = np.broadcast_to(np.asarray(battlefield, float), (n,))
    s = np.broadcast_to(np.asarray(bargaining, float), (n,))

    # utilities relative to holding (module docstring)
    loss = np.maximum(0.0, -p.actor_side[None, :] * b[:, None])  # (n, A)
    perceived = r[:, None] + (rng.random((n, n_actors)) < p.misperception[:, None])
    answer = p.credibility * (np.minimum(perceived, n_rungs - 1) >= p.red_line)  # (n, A)
    actor = t.move_actor_hit
    util = (
        p.gain * (1.0 + p.loss_weight[:, None] * loss[:, actor])
        - p.cost
        - t.dv[rows, r]
        + (p.talks_weight * s)[:, None] * t.rise_term[r]
        + np.where(p.move_deescalate[None, :], 0.0, answer[:, actor])
        - _old_shadow_price(p, state.stocks, t.net, t.lam_m, t.finite_cols)
    )
    avail = t.avail[r] & p.enabled & (state.stocks >= p.use_size[None, :])
    last_use = state.last_use if state.last_use is not None else np.full(
        (n, n_moves), -(10**9), dtype=np.int64)
    year_uses = state.year_uses if state.year_uses is not None else np.zeros((n, n_moves))
    if state.week % 52 == 0:
        year_uses = np.zeros_like(year_uses)
    if t.cooldown is not None:
        avail = avail & (state.week - last_use > t.cooldown[None, :])
    if t.max_per_year is not None:
        avail = avail & (year_uses + 1.0 <= t.max_per_year[None, :])

    # logit choice per actor: Gumbel-max over [hold, its moves]; move-major layout so
    # the small reductions run along the leading axis
    ext = np.empty((n_moves + n_actors + 1, n), np.float32)  # moves, holds, "none"
    ext[:n_moves] = np.where(avail, t.lam_m * util, -np.inf).T
    ext[n_moves:-1] = 0.0
    ext[-1] = -np.inf
    with np.errstate(divide="ignore"):  # u = 0 gives -inf: that option is never picked
        ext[:-1] -= np.log(-np.log(rng.random((n_moves + n_actors, n), dtype=np.float32)))
    z = ext[t.pad]  # (A, J + 1, n)
    choice = t.slot_move[np.arange(n_actors)[:, None], z.argmax(1)]  # (A, n), -1 hold
    used_t = choice[actor] == np.arange(n_moves)[:, None]  # (M, n)

    # transition
    r_new = t.r_new_t[:, r]  # (M, n)
    deesc_t = p.move_deescalate[:, None]
    up = np.where(used_t & t.raises_t[:, r], r_new, -1).max(0, initial=-1)  # -1: no move
    down = np.where(used_t & deesc_t, r_new, -1).max(0, initial=-1)
    below = np.where(used_t & ~deesc_t, p.move_rung[:, None], -1).max(0, initial=-1)
    down = np.where(down >= 0, np.maximum(down, below), -1)  # ongoing lower moves hold
    r_next = np.where(up >= 0, np.maximum(up, r), np.where(down >= 0, down, r))
    used = used_t.T
    mover_move = used_t & t.raises_t[:, r] & (r_new == r_next[None, :])
    mover = (np.where(mover_move.any(0), p.move_actor[mover_move.argmax(0)], -1)
             if n_moves else np.full(n, -1))
    slip = (r_next <= r) & (rng.random(n) < _old_hazard(p, t, rows, r_next, loss))
    mover = np.where(slip, -1, mover)
    r_next = np.minimum(r_next + slip, n_rungs - 1)

    stocks = state.stocks - used * p.use_size[None, :] + p.production
    max_rung = np.maximum(state.max_rung, r_next)
    first = state.first_week.copy()
    newly = (np.arange(n_rungs)[None, :] <= max_rung[:, None]) & (first < 0)
    first[newly] = state.week
    first_actor = np.where(newly, mover[:, None], state.first_actor)
    occ = state.occupancy.copy()
    occ[rows, r_next] += 1
    return replace(state, rung=r_next, max_rung=max_rung, stocks=stocks,
                   uses=state.uses + used, first_week=first, occupancy=occ,
                   first_actor=first_actor,
                   week=state.week + 1, last_use=np.where(used, state.week, last_use),
                   year_uses=year_uses + used)


def _old_hazard(p: LadderParams, t: _OldLadderTables, rows: np.ndarray, r: np.ndarray,
            loss: np.ndarray) -> np.ndarray:
    """Weekly hazard (n,) of an unintended step from rung ``r`` with its couplings."""
    h = p.accident[rows, r]
    if p.chance_weight is not None:
        h = h * (1.0 + p.chance_weight * t.crossed[rows, r])
    if p.loss_hazard is not None:
        h = h * (1.0 + p.loss_hazard * loss.max(1))
    return np.minimum(h, 1.0)


# --- the old war-economy step (war_economy.step and its helpers at 19ddd24) -----------

def _old_strength(week, start, lag, compliance, half_life, active=True) -> np.ndarray:
    """Bite ``e(t)`` in [0, 1] of each measure at ``week`` (arrays broadcast, (n, M))."""
    start = np.asarray(start, float)
    lag = np.asarray(lag, float)
    since = week - np.where(np.isfinite(start), start, np.inf)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        ramp = np.where(lag > 0, np.clip(since / np.where(lag > 0, lag, 1.0), 0.0, 1.0),
                        (since >= 0).astype(float))
        after = np.maximum(since - lag, 0.0)
        decay = np.where(np.isfinite(half_life), np.exp2(-after / np.asarray(half_life, float)), 1.0)
    ramp = np.where(np.isfinite(since), ramp, 0.0)
    decay = np.where(np.isfinite(after), decay, 0.0)
    return np.asarray(active, float) * np.clip(compliance, 0.0, 1.0) * ramp * decay


def _old_combine(e, coverage, volume_cut, discount_usd) -> tuple[np.ndarray, np.ndarray]:
    """``(prod (1 - k v e), sum k d e)`` over the last (measure) axis."""
    k = np.clip(coverage, 0.0, 1.0)
    vol = np.prod(1.0 - k * np.clip(volume_cut, 0.0, 1.0) * e, axis=-1)
    disc = np.sum(k * np.maximum(discount_usd, 0.0) * e, axis=-1)
    return vol, disc


def _old_realised_price(price, e, coverage, cap_usd) -> np.ndarray:
    """Price after caps: each cap sells its covered, complying share at ``min(p, cap)``.

    ``price`` (n,), ``e``, ``coverage`` and ``cap_usd`` (n, M); measures without a cap
    carry ``cap_usd = inf`` and leave the price alone.
    """
    p = np.asarray(price, float)
    share = np.clip(coverage, 0.0, 1.0) * e
    for m in range(np.shape(e)[-1]):
        p = (1.0 - share[..., m]) * p + share[..., m] * np.minimum(p, cap_usd[..., m])
    return p


def _old_budget_step(*, spending, non_oil_revenue, oil_gas, oil_gas_base, external, reserve,
                draw_share, borrow_cap, reserve_return, dt_weeks):
    """One step of the budget identity and the reserve fund; amounts per step, (n,) arrays.

    Returns ``(reserve', flows)`` with flows ``purchases, rule_sale, draw, borrowing, cut,
    deficit``. The reserve is non-negative by construction.
    """
    reserve = np.maximum(reserve, 0.0)
    purchases = np.maximum(oil_gas - oil_gas_base, 0.0)
    rule_sale = np.minimum(np.maximum(oil_gas_base - oil_gas, 0.0), reserve)
    deficit = spending - non_oil_revenue - oil_gas - external
    gap = deficit + purchases - rule_sale
    draw = np.minimum(np.clip(draw_share, 0.0, 1.0) * np.maximum(gap, 0.0), reserve - rule_sale)
    rest = np.maximum(gap - draw, 0.0)
    borrowing = np.minimum(rest, np.maximum(borrow_cap, 0.0))
    cut = rest - borrowing
    surplus = np.maximum(-gap, 0.0)
    grow = (1.0 + reserve_return) ** (dt_weeks / WEEKS_PER_YEAR)
    new = np.maximum(reserve + purchases - rule_sale - draw + surplus, 0.0) * grow
    flows = {"purchases": purchases, "rule_sale": rule_sale, "draw": draw,
             "borrowing": borrowing, "cut": cut, "deficit": deficit}
    return new, flows


def _old_defence_output(*, defence_real_index, recruits_per_week, recruit_elasticity,
                   production_per_week, production_elasticity, production_growth,
                   week, dt_weeks):
    """Recruits and production (per step) from the real defence index ``x`` (n,)."""
    x = np.maximum(defence_real_index, 0.0)
    recruits = recruits_per_week * dt_weeks * x ** recruit_elasticity
    trend = np.exp(production_growth * week / WEEKS_PER_YEAR)
    prod = production_per_week * dt_weeks * trend * x[:, None] ** production_elasticity
    return recruits, prod


def _old_oil_tax(tax_take, taxed_mbd, urals_usd, fx, days, floor_usd=NDPI_FLOOR_USD) -> np.ndarray:
    """Budget oil revenue in national currency bn: ``tau Q days/1000 max(p - floor, 0) fx``."""
    rent = np.maximum(np.asarray(urals_usd, dtype=float) - floor_usd, 0.0)
    return np.asarray(tax_take, float) * np.maximum(taxed_mbd, 0.0) * days * 1e-3 * rent * fx


def _old_budget_oil_gas_revenue(
    tax_take, taxed_mbd, urals_usd, fx, days, gas_tax_take=0.0, gas_export_usd_bn=0.0,
    floor_usd=NDPI_FLOOR_USD,
) -> np.ndarray:
    """Oil-and-gas revenue of the budget (national currency bn) for one step."""
    oil = _old_oil_tax(tax_take, taxed_mbd, urals_usd, fx, days, floor_usd)
    return oil + np.asarray(gas_tax_take, float) * np.asarray(gas_export_usd_bn, float) * fx


def _old_oil(p: EconomyParams, m: MeasureArrays, e, shock, week, days):
    """Prices, volumes, export receipts and budget oil-and-gas revenue for one step."""
    vol_mult, extra = _old_combine(e, m.coverage, m.volume_cut, m.discount_usd)
    bench = p.benchmark_usd * np.exp(p.benchmark_trend * week / WEEKS_PER_YEAR + shock)
    fx = p.fx * np.exp(-p.fx_oil_elasticity * shock)
    price = _old_realised_price(bench - p.discount_usd - extra, e, m.coverage, m.cap_usd)
    exports0 = p.crude_mbd + p.products_mbd
    exports = exports0 * vol_mult
    taxed = np.maximum(p.taxed_mbd - (exports0 - exports), 0.0)
    gas_x = gas_export_revenue(p.gas_bcm_year, p.gas_price_usd, days)
    oil_x = oil_export_revenue(exports, price, days)
    og = _old_budget_oil_gas_revenue(p.tax_take, taxed, price, fx, days, p.gas_tax_take, gas_x)
    base = _old_budget_oil_gas_revenue(p.tax_take, taxed, p.base_price_usd, fx, days,
                                          p.gas_tax_take, gas_x)
    base = np.where(np.isnan(p.base_price_usd), og, base)
    return {"benchmark_usd": bench, "urals_price": price, "fx": fx, "export_mbd": exports,
            "volume_multiplier": vol_mult, "extra_discount": extra,
            "export_revenue": oil_x + gas_x, "oil_gas_revenue": og}, base


def old_economy_step(p: EconomyParams, m: MeasureArrays, state: EconomyState, week: float,
         dt_weeks: float, z: np.ndarray, starts: np.ndarray, active=True, revenue_index=None,
                     prepared=None):
    """Advance one actor's economy by ``dt_weeks`` from ``week``; returns (state, flows).

    ``z`` (n,) standard normals drive the oil-price random walk; ``starts`` (n, M) the
    effective start weeks (from :func:`draw_starts`, or set by the engine when an event
    fires); ``active`` (M,) or (n, M) switches measures on or off (counterfactuals);
    ``revenue_index`` (n,) scales non-oil revenue with output (the trade model's
    ``(1 - L)**eta``; None: 1).
    """
    days = 7.0 * dt_weeks
    f = dt_weeks / WEEKS_PER_YEAR
    e = _old_strength(week, starts, m.lag, m.compliance, m.half_life, active)
    flows, og_base = _old_oil(p, m, e, state.log_shock, week, days)
    years = week / WEEKS_PER_YEAR
    spending = p.spending * f * (1.0 + p.spending_growth) ** years
    non_oil = p.non_oil_revenue * f * (1.0 + p.revenue_growth) ** years
    if revenue_index is not None:
        non_oil = non_oil * revenue_index
    planned_def = p.defence_share * spending
    reserve, b = _old_budget_step(
        spending=spending, non_oil_revenue=non_oil,
        oil_gas=flows["oil_gas_revenue"], oil_gas_base=og_base,
        external=p.external_financing * f, reserve=state.reserve, draw_share=p.draw_share,
        borrow_cap=p.borrow_cap * f, reserve_return=p.reserve_return, dt_weeks=dt_weeks)
    defence = np.maximum(planned_def - np.clip(p.defence_cut_share, 0, 1) * b["cut"], 0.0)
    index = defence / ((1.0 + p.inflation) ** years * p.defence_share * p.spending * f)
    index = np.where(np.isfinite(index), index, 0.0)
    recruits, prod = _old_defence_output(
        defence_real_index=index, recruits_per_week=p.recruits_per_week,
        recruit_elasticity=p.recruit_elasticity, production_per_week=p.production_per_week,
        production_elasticity=p.production_elasticity, production_growth=p.production_growth,
        week=week, dt_weeks=dt_weeks)
    sigma = p.price_volatility * np.sqrt(f)
    new = EconomyState(reserve=reserve, debt=state.debt + b["borrowing"],
                       log_shock=state.log_shock + sigma * z - 0.5 * sigma**2,
                       recruits=state.recruits + recruits, production=state.production + prod)
    flows.update(b)
    flows.update({"spending": spending - b["cut"], "defence_spending": defence,
                  "defence_real_index": index, "reserve_fund": reserve, "debt": new.debt,
                  "recruits": recruits, "production": prod})
    return new, flows


# --- the old capability stage step (CapabilityStage.step at 19ddd24) ----------------------

def _old_log_change(self, state: dict, name: str) -> np.ndarray | None:
    arr = state.get(name)
    if arr is None:
        return None
    prev = self.last.get(name)
    self.last[name] = arr.copy()
    if prev is None:
        return None
    return np.log(np.maximum(arr, 1e-9) / np.maximum(prev, 1e-9))


def old_capability_step(self, state: dict, week: int, date, rng: np.random.Generator) -> None:
    if week == 1:  # the first step's starting values are the family stages' inits
        for a in self.actors:
            for var in (f"forces.{a}", f"revenue.{a}"):
                if var in state:
                    self.last.setdefault(var, state[var].copy())
        self.start_forces = {a: self.last.get(f"forces.{a}") for a in self.actors}
    for a in self.actors:
        r = state[f"resolve.{a}"]
        r += self.noise[a] * rng.standard_normal(self.ctx.n)
        dforces = _old_log_change(self, state, f"forces.{a}")
        if dforces is not None:
            r += self.k_forces * dforces
        drev = _old_log_change(self, state, f"revenue.{a}")
        if drev is not None:
            r += self.k_economy * drev
        np.clip(r, 0.0, 1.0, out=r)
        f0 = self.start_forces.get(a)
        power = self.influence[a]
        if f0 is not None:
            power = power * np.sqrt(np.maximum(state[f"forces.{a}"], 0) / np.maximum(f0, 1e-9))
        state[f"power.{a}"][:] = power


# --- the old attrition step (lanchester.step and laws.rk4_step at 19ddd24) -------------

def _old_rk4_step(red: np.ndarray, blue: np.ndarray, a: np.ndarray, b: np.ndarray,
             exps: Exponents, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """Losses ``(loss_red, loss_blue)`` over one RK4 step of length ``dt``.

    Each loss lies in ``[0, strength]``, so ``red - loss_red`` is never negative.
    The weighted sum ``dt/6 (k1 + 2 k2 + 2 k3 + k4)`` is accumulated in place, in the
    same order (IEEE addition is commutative, so ``2 k2 + k1`` is ``k1 + 2 k2`` exactly).
    """
    k1r, k1b = loss_rates(red, blue, a, b, exps)
    h = 0.5 * dt
    k2r, k2b = loss_rates(_rk4_stage(red, h, k1r), _rk4_stage(blue, h, k1b), a, b, exps)
    k3r, k3b = loss_rates(_rk4_stage(red, h, k2r), _rk4_stage(blue, h, k2b), a, b, exps)
    k4r, k4b = loss_rates(_rk4_stage(red, dt, k3r), _rk4_stage(blue, dt, k3b), a, b, exps)
    s = dt / 6.0
    out = []
    for k1, k2, k3, k4, x in ((k1r, k2r, k3r, k4r, red), (k1b, k2b, k3b, k4b, blue)):
        acc = np.multiply(k2, 2.0)
        acc += k1
        k3 = np.multiply(k3, 2.0)
        acc += k3
        acc += k4
        acc *= s
        out.append(np.clip(acc, 0.0, np.maximum(x, 0.0), out=acc))
    return out[0], out[1]


def old_lanchester_step(state: TheatreState, red: SideInputs, blue: SideInputs, exps: Exponents, *,
         substeps: int = 4, shock: np.ndarray | None = None) -> TheatreState:
    """Advance ``state`` by one week (force generation, withdrawals, then combat).

    ``shock`` (n,) multiplies both sides' attrition coefficients this week (default 1).
    This is the coupling point for an engine: change the inputs between calls.
    """
    week = state.week
    r = _generate(state.red, red, week)
    b = _generate(state.blue, blue, week)
    n = r.forces.shape[0]
    intensity = np.ones(n) if shock is None else np.asarray(shock, dtype=float)
    a_eff = _at(red.coef, week, n) * _at(blue.multiplier, week, n) * intensity
    b_eff = _at(blue.coef, week, n) * _at(red.multiplier, week, n) * intensity
    fr, fb = r.forces, b.forces
    lost_r, lost_b = np.zeros(n), np.zeros(n)
    dt = 1.0 / substeps
    for _ in range(substeps):
        lr, lb = _old_rk4_step(fr, fb, a_eff, b_eff, exps, dt)
        fr, fb = fr - lr, fb - lb
        lost_r += lr
        lost_b += lb
    return TheatreState(
        replace(r, forces=fr, losses=r.losses + lost_r),
        replace(b, forces=fb, losses=b.losses + lost_b),
        week + 1,
    )


# --- measurement -------------------------------------------------------------------------

@dataclass(frozen=True)
class Kernel:
    """A kernel to time: the module attribute the stages call, and the old code to patch
    in for it (``old`` maps attribute names of ``module`` to the old functions)."""

    name: str
    module: str
    attr: str
    old: dict


KERNELS = [
    Kernel("escalation ladder `step`", "polemos.models.escalation.ladder", "step",
           {"step": old_ladder_step, "prepare": old_ladder_tables}),
    Kernel("war economy `step` (every actor)", "polemos.models.economy.war_economy", "step",
           {"step": old_economy_step}),
    Kernel("attrition `lanchester.step` (every theatre)", "polemos.models.attrition.build",
           "step", {"step": old_lanchester_step}),
    Kernel("capability stage `step`", "polemos.engine.stages.capability",
           "CapabilityStage.step", {"CapabilityStage.step": old_capability_step}),
]


def _owner(module, dotted: str) -> tuple:
    *path, attr = dotted.split(".")
    for part in path:
        module = getattr(module, part)
    return module, attr


@contextlib.contextmanager
def _patched(module, values: dict):
    saved = {k: getattr(*_owner(module, k)) for k in values}
    try:
        for k, v in values.items():
            setattr(*_owner(module, k), v)
        yield
    finally:
        for k, v in saved.items():
            setattr(*_owner(module, k), v)


def _block(kernel: Kernel, old: bool) -> tuple[float, dict]:
    """CPU seconds inside ``kernel`` over one block, and the block's arrays."""
    import importlib

    from polemos.engine.loop import make_plan, simulate_block
    from polemos.engine.params import ParamSpace
    from polemos.engine.stages import active_stages
    from polemos.scenario import load_scenario

    module = importlib.import_module(kernel.module)
    scen = load_scenario(SCENARIO)
    stages = active_stages(scen)
    plan = make_plan(scen, stages)
    plan.arms = {}  # the main arm only; dated observables up to the last week run
    plan.obs = [(name, at) for name, at in plan.obs
                if at is None or (at - scen.meta.as_of).days <= 7 * WEEKS]
    spent = [0.0]
    values = dict(kernel.old) if old else {}
    inner = values.get(kernel.attr, getattr(*_owner(module, kernel.attr)))

    def timed(*args, **kw):
        t0 = time.process_time()
        try:
            return inner(*args, **kw)
        finally:
            spent[0] += time.process_time() - t0

    values[kernel.attr] = timed
    arrays = {}
    with _patched(module, values):
        for block in range(N_DRAWS // BLOCK):
            stages = active_stages(scen)
            res = simulate_block(scen, stages, plan, ParamSpace.from_scenario(scen),
                                 seed=SEED, block=block, n=BLOCK, stop=WEEKS)
            arrays.update({f"c{block}:{k}": v for k, v in res.columns.items()})
            arrays.update({f"a{block}:{k}": v for k, v in res.aggregates.items()})
    return spent[0], arrays


def _same(a: dict, b: dict) -> bool:
    return sorted(a) == sorted(b) and all(
        np.asarray(a[k]).tobytes() == np.asarray(b[k]).tobytes() for k in a)


RUN = """
import contextlib, importlib, importlib.util, sys, time
from polemos.engine.runner import RunOptions, make_job, run_blocks
from polemos.scenario import load_scenario
job = make_job(load_scenario(sys.argv[1]), RunOptions(draws=10_000, seed=1))
blocks = list(range(-(-job.draws // job.block_size)))
with contextlib.ExitStack() as patches:
    if len(sys.argv) > 2:  # this tree with every old kernel of bench_kernels patched in
        spec = importlib.util.spec_from_file_location("bench_kernels", sys.argv[2])
        bench = importlib.util.module_from_spec(spec)
        sys.modules["bench_kernels"] = bench
        spec.loader.exec_module(bench)
        for k in bench.KERNELS:
            patches.enter_context(bench._patched(importlib.import_module(k.module), k.old))
    run_blocks(job, blocks[:1])  # imports and first-call set-up out of the timing
    t0 = time.process_time()
    run_blocks(job, blocks)
    print(time.process_time() - t0)
"""


def _run_blocks_seconds(src: Path, *extra: str) -> float:
    out = subprocess.run([sys.executable, "-c", RUN, str(SCENARIO), *extra], check=True,
                         capture_output=True, text=True, env={"PYTHONPATH": str(src),
                                                              "PATH": "/usr/bin:/bin"})
    return float(out.stdout.strip().splitlines()[-1])


def main() -> str:
    rows = []
    for k in KERNELS:
        t_old, a_old = _block(k, old=True)
        t_new, a_new = _block(k, old=False)
        t_old2, _ = _block(k, old=True)  # old, new, old, new: the better of each pair
        t_new2, _ = _block(k, old=False)
        t_old, t_new = min(t_old, t_old2), min(t_new, t_new2)
        rows.append(f"| {k.name} | {t_old:.2f} | {t_new:.2f} | {t_old / t_new:.2f} | "
                    f"{'yes' if _same(a_old, a_new) else '**no**'} |")
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", BASE, "src"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        runs = {"before": [], "old kernels": [], "after": []}
        for _ in range(2):  # interleaved, the better of two each
            runs["before"].append(_run_blocks_seconds(Path(tmp) / "src"))
            runs["old kernels"].append(_run_blocks_seconds(ROOT / "src", __file__))
            runs["after"].append(_run_blocks_seconds(ROOT / "src"))
    b, o, a = (min(runs[k]) for k in ("before", "old kernels", "after"))
    return "\n".join([
        "## Kernels (issue 15): old against new, same bits",
        "",
        f"Budapest scenario, {N_DRAWS:,} draws ({N_DRAWS // BLOCK} blocks of {BLOCK:,}) x "
        f"{WEEKS} weeks through the engine; CPU seconds inside the kernel's calls (the "
        f"better of two runs each); old = the code of commit {BASE}, kept in "
        "`bench/bench_kernels.py` and patched in. *Same bits*: every column and aggregate "
        "of the four blocks byte-identical.",
        "",
        "| kernel | old CPU s | new CPU s | old / new | same bits |",
        "| --- | ---: | ---: | ---: | --- |",
        *rows,
        "",
        f"Whole `run_blocks`, {N_DRAWS:,} draws (4 blocks of 2,500, the scenario's full "
        "horizon and counterfactual arms), each in a fresh subprocess, CPU seconds (the "
        "better of two runs; imports and one warm-up block not counted). *Before* is the "
        f"tree of {BASE}; *old kernels* is this tree with every old kernel above patched "
        "in (the kernels' share alone: other work landed since, e.g. counterfactual arms "
        "forked instead of re-run, counts in both other rows):",
        "",
        "| tree | CPU s | before / this |",
        "| --- | ---: | ---: |",
        f"| before ({BASE}) | {b:.2f} | 1.00 |",
        f"| this tree, old kernels patched in | {o:.2f} | {b / o:.2f} |",
        f"| after (this tree) | {a:.2f} | {b / a:.2f} |",
        "",
        f"The new kernels alone: {o:.2f} -> {a:.2f} CPU s ({o / a:.2f}x).",
    ])


if __name__ == "__main__":
    print(main())
