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


def state_variables(out: dict[str, np.ndarray], items: Sequence[str]) -> dict[str, np.ndarray]:
    """Kernel outputs renamed to the section's state variables (arrays (n, T))."""
    named = {k: out[v] for k, v in STATE_VARIABLES.items()}
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
    """Simulate ``actor``; with ``without``, also the paired run without those measures."""
    params, m = build_actor(scenario, actor, n_draws, child_generator(seed, 0))
    for ident in without:
        if ident not in m.ids:
            sec = section_of(scenario)
            other = next((x for x in sec.measures if x.id == ident), None)
            if other is not None:
                raise UnknownMeasure(f"measure {ident!r} targets {other.target}, not {actor}")
            known = ", ".join(x.id for x in sec.measures) or "none"
            raise UnknownMeasure(f"no measure {ident!r} in the scenario (measures: {known})")
    base = simulate(params, m, n_steps, dt_weeks, child_generator(seed, 1))
    cf = None
    if without:
        cf = simulate(params, m, n_steps, dt_weeks, child_generator(seed, 1),
                      active=m.active_mask(without))
        cf = state_variables(cf, params.items)
    return ActorRun(actor, dt_weeks, params.items, m.ids, state_variables(base, params.items),
                    cf, tuple(without))


def interval(x: np.ndarray, level: float = 0.9) -> dict[str, np.ndarray]:
    """Median and central ``level`` interval over the draw axis."""
    a = (1.0 - level) / 2.0
    lo, med, hi = np.quantile(x, [a, 0.5, 1.0 - a], axis=0)
    return {"low": lo, "median": med, "high": hi}


STOCKS = ("reserve_fund", "debt", "urals_price")
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
