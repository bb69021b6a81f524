"""From the ``economy`` scenario section to kernel arrays, one actor at a time.

Every :data:`Quantity` is sampled by its inverse CDF at uniforms drawn in a fixed order
(actor fields, then measures in file order, each measure's fields in a fixed order), so
one seed gives the same parameters whatever measures a counterfactual switches off.
Dates become weeks since ``meta.as_of``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from polemos.models.economy.section import ActorEconomy, EconomicMeasure, EconomySection
from polemos.models.economy.war_economy import EconomyParams, MeasureArrays
from polemos.scenario.errors import Problem, ScenarioError
from polemos.scenario.quantities import Quantity, ppf

Value = Callable[[Any, float], np.ndarray]


class _Sampler:
    """Per-draw values of quantities: own uniforms, or the engine's ``Params.value``."""

    def __init__(self, rng: np.random.Generator, n: int, value: Value | None = None):
        self.rng, self.n, self.value = rng, n, value

    def __call__(self, q: Quantity | None, default: float = 0.0) -> np.ndarray:
        u = self.rng.random(self.n)  # drawn even for a default: keeps the order fixed
        if q is None:
            return np.full(self.n, float(default))
        if self.value is not None:
            return np.asarray(self.value(q, default), float)
        return ppf(q, u)


def section_of(scenario: Any, name: str = "<scenario>") -> EconomySection:
    """The scenario's economy section, or a located error naming file ``name``."""
    sec = getattr(scenario, "economy", None)
    if sec is None:
        raise ScenarioError([Problem(name, None, None, "economy",
                                     "the scenario has no economy section",
                                     "add an 'economy:' section (see docs/validation/economy.md)")])
    return sec


def actor_params(econ: ActorEconomy, s: _Sampler) -> EconomyParams:
    """Sample one actor's economy into :class:`EconomyParams`."""
    oil, gas, b = econ.oil, econ.gas, econ.budget
    o = {} if oil is None else {
        "crude_mbd": s(oil.crude_exports_mbd), "products_mbd": s(oil.product_exports_mbd),
        "taxed_mbd": s(oil.production_mbd), "benchmark_usd": s(oil.benchmark_usd),
        "benchmark_trend": s(oil.benchmark_trend), "price_volatility": s(oil.price_volatility),
        "discount_usd": s(oil.discount_usd), "tax_take": s(oil.tax_take),
        "fx_oil_elasticity": s(oil.fx_oil_elasticity)}
    zero = np.zeros(s.n)
    o = {k: o.get(k, zero) for k in ("crude_mbd", "products_mbd", "taxed_mbd", "benchmark_usd",
                                     "benchmark_trend", "price_volatility", "discount_usd",
                                     "tax_take", "fx_oil_elasticity")}
    g = (zero, zero, zero) if gas is None else (
        s(gas.exports_bcm_year), s(gas.price_usd_kcm), s(gas.tax_take))
    items = tuple(econ.production)
    prods = [(s(p.per_week), s(p.elasticity), s(p.growth_per_year))
             for p in econ.production.values()]

    def col(i):
        return np.stack([x[i] for x in prods], axis=1) if prods else np.zeros((s.n, 0))

    rec = econ.recruitment
    return EconomyParams(
        **o, fx=s(econ.fx_per_usd), gas_bcm_year=g[0], gas_price_usd=g[1], gas_tax_take=g[2],
        non_oil_revenue=s(b.non_oil_gas_revenue), spending=s(b.spending),
        defence_share=s(b.defence_share), reserve=s(b.reserve_fund),
        base_price_usd=s(b.fiscal_rule_price_usd, np.nan),
        revenue_growth=s(b.revenue_growth), spending_growth=s(b.spending_growth),
        external_financing=s(b.external_financing), reserve_return=s(b.reserve_return),
        draw_share=s(b.reserve_draw_share), borrow_cap=s(b.borrowing_cap, np.inf),
        defence_cut_share=s(b.defence_cut_share), inflation=s(b.inflation),
        recruits_per_week=s(None if rec is None else rec.recruits_per_week),
        recruit_elasticity=s(None if rec is None else rec.elasticity),
        items=items, production_per_week=col(0), production_elasticity=col(1),
        production_growth=col(2),
    )


def _weeks(date, as_of) -> float:
    return (date - as_of).days / 7.0


def measure_columns(m: EconomicMeasure, scenario: Any, s: _Sampler) -> dict[str, np.ndarray]:
    """Sampled columns of one measure (every field drawn, in a fixed order)."""
    as_of = scenario.meta.as_of
    n = s.n
    volume_cut, discount = m.effect()
    col = {"lag": s(m.lag_weeks), "compliance": s(m.compliance), "coverage": s(m.coverage),
           "volume_cut": s(volume_cut), "discount_usd": s(discount),
           "cap_usd": s(m.cap_usd, np.inf), "half_life": s(m.adaptation_half_life_weeks, np.inf)}
    happens = s.rng.random(n)
    threat = m.threat
    col["postpone_prob"] = s(None if threat is None else threat.postpone_prob)
    col["postpone_weeks"] = s(None if threat is None else threat.postpone_weeks, 4.0)
    max_post = np.inf if threat is None or threat.max_postponements is None else \
        float(threat.max_postponements)
    col["max_postponements"] = np.full(n, max_post)
    if m.start is not None:
        start = np.full(n, _weeks(m.start, as_of))
    elif threat is not None:
        start = np.full(n, _weeks(threat.deadline, as_of))
    else:
        event = next(e for e in scenario.events if e.id == m.event)
        p = ppf(event.probability, s.rng.random(n))
        start = np.where(happens < p, _weeks(event.date, as_of), np.inf)
    col["start"] = start
    return col


def build_actor(scenario: Any, actor_id: str, n_draws: int, rng: np.random.Generator,
                value: Value | None = None) -> tuple[EconomyParams, MeasureArrays]:
    """Sampled parameters of ``actor_id``'s economy and of the measures targeting it.

    ``value(q, default) -> (n,)`` (the engine's ``Params.value``) replaces the builder's
    own sampling of quantities, so a Latin-hypercube or Sobol design reaches the economy.
    """
    sec = section_of(scenario)
    if actor_id not in sec.actors:
        known = ", ".join(sec.actors) or "none"
        raise ScenarioError([Problem("<scenario>", None, None, f"economy.actors.{actor_id}",
                                     f"no economy for actor {actor_id!r}",
                                     f"choose one of: {known}")])
    s = _Sampler(rng, n_draws, value)
    params = actor_params(sec.actors[actor_id], s)
    targeted = [m for m in sec.measures if m.target == actor_id]
    cols = [measure_columns(m, scenario, s) for m in targeted]
    for m, c in zip(targeted, cols, strict=True):
        if not m.touches_oil():  # a trade-only measure leaves the oil-export path alone
            c["coverage"] = np.zeros(n_draws)
    fields_ = ("start", "lag", "compliance", "coverage", "volume_cut", "discount_usd", "cap_usd",
               "half_life", "postpone_prob", "postpone_weeks", "max_postponements")
    if not cols:
        return params, MeasureArrays.none(n_draws)
    arrays = {f: np.stack([c[f] for c in cols], axis=1) for f in fields_}
    return params, MeasureArrays(ids=tuple(m.id for m in targeted), **arrays)


def event_columns(scenario: Any, actor_id: str) -> dict[str, list[int]]:
    """Event id -> columns of the measures on ``actor_id`` that start with that event.

    The engine, which fires events itself, sets ``starts[fired, j] = week`` for them.
    """
    targeted = [m for m in section_of(scenario).measures if m.target == actor_id]
    out: dict[str, list[int]] = {}
    for j, m in enumerate(targeted):
        if m.event is not None:
            out.setdefault(m.event, []).append(j)
    return out
