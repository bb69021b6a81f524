"""Run one actor's economy from a scenario, and the paired counterfactual without measures.

Paired draws: both arms use the same sampled parameters (child stream 0 of the seed) and
the same random numbers in the kernel (child stream 1: threat postponements, then price
shocks), so the with-minus-without difference isolates the switched-off measures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from polemos.models.economy.build import build_actor, section_of
from polemos.models.economy.section import TRADE_VARIABLES
from polemos.models.economy.war_economy import simulate
from polemos.numerics.rng import child_generator

STEP_WEEKS = {"week": 1.0, "month": 365.25 / 12.0 / 7.0}

STATE_VARIABLES = {
    "oil_gas_revenue": "oil_gas_revenue", "export_revenue": "export_revenue",
    "defence_spending": "defence_spending", "reserve_fund": "reserve_fund", "debt": "debt",
    "spending_cut": "cut", "urals_price": "urals_price", "recruits": "recruits",
}
"""State-variable suffix (``economy.<actor>.<name>``) -> kernel output."""


class UnknownMeasure(KeyError):
    """A counterfactual names a measure that does not exist or does not target the actor."""

    def __str__(self) -> str:
        return str(self.args[0])


OIL_VARIABLES = ("oil_gas_revenue", "export_revenue", "urals_price")
"""Variables of an oil exporter only (absent for an economy with output and no oil)."""


def state_variables(out: dict[str, np.ndarray], items: Sequence[str],
                    oil: bool = True) -> dict[str, np.ndarray]:
    """Kernel outputs renamed to the section's state variables (arrays (n, T))."""
    named = {k: out[v] for k, v in STATE_VARIABLES.items() if oil or k not in OIL_VARIABLES}
    for j, item in enumerate(items):
        named[f"production.{item}"] = out["production"][:, :, j]
    return named


@dataclass(frozen=True)
class ActorRun:
    actor: str
    dt_weeks: float
    items: tuple[str, ...]
    measures: tuple[str, ...]
    with_: dict[str, np.ndarray]
    without: dict[str, np.ndarray] | None
    removed: tuple[str, ...]


def run_actor(scenario: Any, actor: str, *, n_draws: int, n_steps: int, dt_weeks: float,
              seed: int, without: Sequence[str] = ()) -> ActorRun:
    """Simulate ``actor``; with ``without``, also the paired run without those measures.

    With a trade matrix (``economy.trade``) the whole matrix is stepped (child stream 2)
    with the blockade theatres (child stream 3; event-tied starts sampled from the events'
    probabilities, no escalation ladder), and ``actor``'s output scales its revenue.
    """
    params, m = build_actor(scenario, actor, n_draws, child_generator(seed, 0))
    sec = section_of(scenario)
    trade = _trade_system(scenario, n_draws, n_steps, dt_weeks, seed)
    trade_ids = () if trade is None else trade[1].ids
    for ident in without:
        if ident not in m.ids and not (ident in trade_ids and _in_trade(trade, actor)):
            other = next((x for x in sec.measures if x.id == ident), None)
            if other is not None:
                raise UnknownMeasure(f"measure {ident!r} targets {other.target}, not {actor}")
            known = ", ".join(x.id for x in sec.measures) or "none"
            raise UnknownMeasure(f"no measure {ident!r} in the scenario (measures: {known})")
    econ = sec.actors[actor]
    base = _simulate(params, m, trade, actor, n_steps, dt_weeks, seed, (), econ)
    cf = None
    if without:
        cf = _simulate(params, m, trade, actor, n_steps, dt_weeks, seed, tuple(without), econ)
    return ActorRun(actor, dt_weeks, params.items, m.ids + tuple(
        i for i in trade_ids if i not in m.ids and _in_trade(trade, actor)), base, cf,
        tuple(without))


def _in_trade(trade, actor: str) -> bool:
    return trade is not None and actor in trade[0].actors


def _trade_system(scenario: Any, n: int, n_steps: int, dt_weeks: float, seed: int):
    """(params, measures, reach (n, T, P)) of the scenario's trade matrix, or None."""
    from polemos.models.economy import trade_build

    if not trade_build.has_trade(scenario):
        return None
    p, tm = trade_build.build_trade(scenario, n, child_generator(seed, 2))
    reach = None
    if getattr(scenario, "blockade", None) is not None:
        from polemos.models.blockade import build as bb
        from polemos.models.blockade import theatre

        rng = child_generator(seed, 3)
        params = bb.build_theatres(scenario, n, rng)
        paths = {k: theatre.simulate(v, n_steps, dt_weeks, rng)["reach"]
                 for k, v in params.items()}
        reach = bb.reach_by_party(scenario, p.parties, paths, n)  # (n, P, T)
        reach = np.moveaxis(reach, 2, 1)
    return p, tm, reach, scenario


def _oil_scale(scenario: Any, p, n_steps: int, dt_weeks: float, seed: int, without):
    """(n, T, F) value of oil exporters' oil flows relative to as_of, or None.

    Each oil exporter's oil-export path is simulated as in its own run (parameters from
    child stream 0, prices from child stream 1); its budget does not feed back on it.
    """
    from polemos.models.economy import trade_build

    flows = trade_build.oil_flows(scenario.economy)
    if not flows:
        return None
    scale = np.ones((p.n_draws, n_steps, len(p.exporter)))
    for a, idx in flows.items():
        params, m = build_actor(scenario, a, p.n_draws, child_generator(seed, 0))
        off = tuple(i for i in without if i in m.ids)
        out = simulate(params, m, n_steps, dt_weeks, child_generator(seed, 1),
                       active=m.active_mask(off) if off else True)
        scale[:, :, idx] = trade_build.oil_scale(params, out)[:, :, None]
    return scale


def _simulate(params, m, trade, actor, n_steps, dt_weeks, seed, without, econ):
    from polemos.models.economy import trade as tk

    oil_off = tuple(i for i in without if i in m.ids)
    active = m.active_mask(oil_off) if oil_off else True
    index, tflows = None, None
    if _in_trade(trade, actor):
        p, tm, reach, scenario = trade
        t_active = tm.active_mask(without) if without else True
        scale = _oil_scale(scenario, p, n_steps, dt_weeks, seed, without)
        tflows = tk.simulate(p, tm, n_steps, dt_weeks, tm.start, reach, t_active, scale)
        index = tflows["revenue_index"][:, :, p.actors.index(actor)]
    out = simulate(params, m, n_steps, dt_weeks, child_generator(seed, 1), active=active,
                   revenue_index=index)
    named = state_variables(out, params.items, econ.has_oil())
    if tflows is not None:
        i = trade[0].actors.index(actor)
        for k in TRADE_VARIABLES:
            named[k] = tflows[k][:, :, i]
        for j, sname in enumerate(trade[0].sectors):
            named[f"imports.{sname}"] = tflows["imports_by_sector"][:, :, i, j]
    return named


def interval(x: np.ndarray, level: float = 0.9) -> dict[str, np.ndarray]:
    """Median and central ``level`` interval over the draw axis."""
    a = (1.0 - level) / 2.0
    lo, med, hi = np.quantile(x, [a, 0.5, 1.0 - a], axis=0)
    return {"low": lo, "median": med, "high": hi}


STOCKS = ("reserve_fund", "debt", "urals_price", "output_loss", "reserves_frozen")
"""Variables compared at the horizon rather than summed over it."""


def effects(run: ActorRun, level: float = 0.9) -> dict[str, dict[str, float]]:
    """With-minus-without over the horizon (sum of flows, end value of stocks), per draw.

    Returns, per variable, the median and interval of the absolute difference and of the
    relative difference (per cent of the counterfactual), and the share of draws in which
    the measures made any difference at all.
    """
    if run.without is None:
        return {}
    out = {}
    for name, w in run.with_.items():
        wo = run.without[name]
        a, b = (w[:, -1], wo[:, -1]) if name in STOCKS else (w.sum(axis=1), wo.sum(axis=1))
        diff = a - b
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(b != 0, 100.0 * diff / np.abs(b), 0.0)
        d, r = interval(diff, level), interval(rel, level)
        out[name] = {"with": float(np.median(a)), "without": float(np.median(b)),
                     "diff_median": float(d["median"]), "diff_low": float(d["low"]),
                     "diff_high": float(d["high"]), "pct_median": float(r["median"]),
                     "pct_low": float(r["low"]), "pct_high": float(r["high"]),
                     "share_changed": float(np.mean(np.abs(diff) > 1e-9 * (1 + np.abs(b))))}
    return out
