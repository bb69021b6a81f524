"""A war economy per actor, stepped weekly (or monthly): oil and gas -> budget -> defence.

Chain (one step of ``dt`` weeks, every array with a leading draw axis)::

    bite e_m(t) of each measure                      (measures.strength)
    B(t) = B0 exp(mu t + s(t)),  s a random walk with annual volatility sigma
    fx(t) = fx0 exp(-beta s(t))                      (rouble weakens when oil falls)
    p(t) = B(t) - D0 - sum k d e;  caps                (measures.combine, realised_price)
    V(t) = (V_crude + V_products) prod(1 - k v e);  Q(t) = Q0 - (V0 - V(t))
    X(t) = V p days/1000 + gas;  T_og = tau Q days/1000 max(p - 15, 0) fx + tau_g X_gas fx
    budget, fiscal rule, reserve fund, borrowing, cuts  (fiscal.budget_step)
    recruits, production of munitions, drones, missiles (fiscal.defence_output)

Sources: revenue.py (Russian Tax Code art. 342; Ministry of Finance), measures.py (KSE
Institute, CREA), fiscal.py (Budget Code art. 96.10). The rouble-oil elasticity ``beta``
is a scenario input (0 when the exchange-rate path is given).

Engine API: build :class:`EconomyParams` and :class:`MeasureArrays` (see
``polemos.models.economy.build``), then ``state = initial_state(params)``,
``starts = draw_starts(measures, rng)`` and each week
``state, flows = step(params, measures, state, week, dt_weeks, z, starts, active)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from polemos.models.economy import fiscal, measures, revenue

WEEKS_PER_YEAR = fiscal.WEEKS_PER_YEAR


@dataclass(frozen=True)
class EconomyParams:
    """Parameters of one actor's economy; each an array of shape (n,) unless stated.

    Amounts per year are in national currency bn (RUB bn for Russia); volumes in mb/d
    and bcm/y; prices in USD. ``production_*`` are (n, K) for the items ``items``.
    """

    crude_mbd: np.ndarray
    products_mbd: np.ndarray
    taxed_mbd: np.ndarray
    benchmark_usd: np.ndarray
    discount_usd: np.ndarray
    fx: np.ndarray
    tax_take: np.ndarray
    non_oil_revenue: np.ndarray
    spending: np.ndarray
    defence_share: np.ndarray
    reserve: np.ndarray
    benchmark_trend: Any = None  # annual log drift
    price_volatility: Any = None  # annual sd of log price
    fx_oil_elasticity: Any = None
    gas_bcm_year: Any = None
    gas_price_usd: Any = None
    gas_tax_take: Any = None
    base_price_usd: Any = None  # fiscal-rule base price; NaN = no rule
    revenue_growth: Any = None
    spending_growth: Any = None
    external_financing: Any = None
    reserve_return: Any = None
    draw_share: Any = None
    borrow_cap: Any = None
    defence_cut_share: Any = None
    inflation: Any = None
    recruits_per_week: Any = None
    recruit_elasticity: Any = None
    production_per_week: Any = None  # (n, K)
    production_elasticity: Any = None  # (n, K)
    production_growth: Any = None  # (n, K)
    items: tuple[str, ...] = ()

    def __post_init__(self):
        n = np.shape(self.crude_mbd)[0]
        defaults = {
            "benchmark_trend": 0.0, "price_volatility": 0.0, "fx_oil_elasticity": 0.0,
            "gas_bcm_year": 0.0, "gas_price_usd": 0.0, "gas_tax_take": 0.0,
            "base_price_usd": np.nan, "revenue_growth": 0.0, "spending_growth": 0.0,
            "external_financing": 0.0, "reserve_return": 0.0, "draw_share": 1.0,
            "borrow_cap": np.inf, "defence_cut_share": 0.3, "inflation": 0.0,
            "recruits_per_week": 0.0, "recruit_elasticity": 0.0,
        }
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "items":
                continue
            if f.name.startswith("production_"):
                k = len(self.items)
                value = np.zeros((n, k)) if value is None else np.broadcast_to(
                    np.asarray(value, float), (n, k))
            else:
                value = defaults.get(f.name, 0.0) if value is None else value
                value = np.broadcast_to(np.asarray(value, float), (n,))
            object.__setattr__(self, f.name, value)

    @property
    def n_draws(self) -> int:
        return int(np.shape(self.crude_mbd)[0])


@dataclass(frozen=True)
class MeasureArrays:
    """Measures acting on this actor, each field (n, M); ``ids`` names the M columns.

    ``start`` is the scheduled start or the threatened deadline (week; inf = never);
    ``postpone_prob`` 0 for a measure that is not a threat. ``cap_usd`` inf for no cap.
    """

    ids: tuple[str, ...]
    start: np.ndarray
    lag: np.ndarray
    compliance: np.ndarray
    coverage: np.ndarray
    volume_cut: np.ndarray
    discount_usd: np.ndarray
    cap_usd: np.ndarray
    half_life: np.ndarray
    postpone_prob: np.ndarray
    postpone_weeks: np.ndarray
    max_postponements: np.ndarray

    @classmethod
    def none(cls, n: int) -> MeasureArrays:
        empty = np.zeros((n, 0))
        return cls((), *([empty] * 11))

    def active_mask(self, without=()) -> np.ndarray:
        """(M,) booleans: every measure except those in ``without`` (unknown ids: error)."""
        unknown = [w for w in without if w not in self.ids]
        if unknown:
            raise KeyError(f"no measure {unknown[0]!r}; measures are {list(self.ids)}")
        return np.array([i not in set(without) for i in self.ids], dtype=bool)


def draw_starts(m: MeasureArrays, rng: np.random.Generator) -> np.ndarray:
    """Effective start weeks (n, M): threats postponed a geometric number of times."""
    u = 1.0 - rng.random(np.shape(m.start))
    return measures.threat_start(u, m.start, m.postpone_prob, m.postpone_weeks,
                                 m.max_postponements)


@dataclass
class EconomyState:
    """Stocks carried from step to step, (n,) arrays (production (n, K))."""

    reserve: np.ndarray
    debt: np.ndarray
    log_shock: np.ndarray
    recruits: np.ndarray
    production: Any = field(default=None)


def initial_state(p: EconomyParams) -> EconomyState:
    n = p.n_draws
    return EconomyState(np.array(p.reserve, float), np.zeros(n), np.zeros(n), np.zeros(n),
                        np.zeros((n, len(p.items))))


@dataclass(frozen=True)
class Prepared:
    """What :func:`step` computes from ``p``, ``m`` and the step length alone: the same
    every week (:func:`prepare`). Each entry is a leading part of the plain expression,
    evaluated in the same order, so the week's results keep their bits."""

    dt_weeks: float
    bite: measures.Bite
    mix: measures.Mix
    exports0: np.ndarray  # V_crude + V_products
    gas_x: np.ndarray  # X_gas
    gas_tax: np.ndarray  # tau_gas X_gas
    base_rent: np.ndarray  # max(p_base - floor, 0)
    no_rule: np.ndarray | None  # p_base is NaN (None: nowhere)
    fx_elasticity: np.ndarray  # -elasticity
    spending: np.ndarray  # S f
    spending_growth: np.ndarray  # 1 + g_S
    non_oil: np.ndarray  # R f
    revenue_growth: np.ndarray  # 1 + g_R
    external: np.ndarray  # A f
    rules: tuple  # fiscal.budget_rules
    cut_share: np.ndarray  # clip(phi, 0, 1)
    inflation: np.ndarray  # 1 + pi
    recruits: np.ndarray  # r0 dt
    production: np.ndarray  # q0 dt
    sigma: np.ndarray  # sigma sqrt(f)
    half_var: np.ndarray  # sigma**2 f / 2


def prepare(p: EconomyParams, m: MeasureArrays, dt_weeks: float = 1.0) -> Prepared:
    """The fixed parts of :func:`step` for repeated calls with the same ``p``, ``m`` and
    ``dt_weeks`` (``p`` and ``m`` are not changed in place between calls; ``starts``
    and ``active`` may change, they are arguments of each step)."""
    days, f = 7.0 * dt_weeks, dt_weeks / WEEKS_PER_YEAR
    gas_x = revenue.gas_export_revenue(p.gas_bcm_year, p.gas_price_usd, days)
    no_rule = np.isnan(p.base_price_usd)
    sigma = p.price_volatility * np.sqrt(f)
    return Prepared(
        dt_weeks=dt_weeks,
        bite=measures.bite_inputs(m.lag, m.compliance, m.half_life),
        mix=measures.mix_inputs(m.coverage, m.volume_cut, m.discount_usd),
        exports0=p.crude_mbd + p.products_mbd,
        gas_x=gas_x,
        gas_tax=np.asarray(p.gas_tax_take, float) * np.asarray(gas_x, float),
        base_rent=revenue.rent(p.base_price_usd),
        no_rule=no_rule if no_rule.any() else None,
        fx_elasticity=-p.fx_oil_elasticity,
        spending=p.spending * f,
        spending_growth=_uniform(1.0 + p.spending_growth),
        non_oil=p.non_oil_revenue * f,
        revenue_growth=_uniform(1.0 + p.revenue_growth),
        external=p.external_financing * f,
        rules=fiscal.budget_rules(p.draw_share, p.borrow_cap * f, p.reserve_return, dt_weeks),
        cut_share=np.clip(p.defence_cut_share, 0, 1),
        inflation=_uniform(1.0 + p.inflation),
        recruits=p.recruits_per_week * dt_weeks,
        production=p.production_per_week * dt_weeks,
        sigma=sigma,
        half_var=0.5 * sigma**2,
    )


def _uniform(a: np.ndarray) -> np.ndarray:
    """``a`` (n,), or its first element as a (1,) array when every element has the same
    bits: a power of it is then taken once and broadcast (the same value in each draw,
    as NumPy's power gives the same bits for the same inputs whatever the array's size)."""
    bits = np.ascontiguousarray(a).view(np.uint64)
    return a[:1].copy() if len(a) and (bits == bits[0]).all() else a


def _oil(p: EconomyParams, m: MeasureArrays, e, shock, week, days, k: Prepared):
    """Prices, volumes, export receipts and budget oil-and-gas revenue for one step."""
    vol_mult, extra = measures.mix(e, k.mix)
    bench = p.benchmark_usd * np.exp(p.benchmark_trend * week / WEEKS_PER_YEAR + shock)
    fx = p.fx * np.exp(k.fx_elasticity * shock)
    price = measures.capped_price(bench - p.discount_usd - extra, e, k.mix.cover, m.cap_usd)
    exports = k.exports0 * vol_mult
    taxed = np.maximum(p.taxed_mbd - (k.exports0 - exports), 0.0)
    oil_x = revenue.oil_export_revenue(exports, price, days)
    # revenue.budget_oil_gas_revenue at the realised and at the base price, sharing the
    # tax base and the gas term: tau Q days/1000 rent fx + tau_gas X_gas fx
    per_usd = revenue.tax_base(p.tax_take, taxed, days)
    gas = k.gas_tax * fx
    og = per_usd * revenue.rent(price) * fx + gas
    base = per_usd * k.base_rent * fx + gas
    if k.no_rule is not None:
        base = np.where(k.no_rule, og, base)
    return {"benchmark_usd": bench, "urals_price": price, "fx": fx, "export_mbd": exports,
            "volume_multiplier": vol_mult, "extra_discount": extra,
            "export_revenue": oil_x + k.gas_x, "oil_gas_revenue": og}, base


def step(p: EconomyParams, m: MeasureArrays, state: EconomyState, week: float,
         dt_weeks: float, z: np.ndarray, starts: np.ndarray, active=True, revenue_index=None,
         prepared: Prepared | None = None):
    """Advance one actor's economy by ``dt_weeks`` from ``week``; returns (state, flows).

    ``z`` (n,) standard normals drive the oil-price random walk; ``starts`` (n, M) the
    effective start weeks (from :func:`draw_starts`, or set by the engine when an event
    fires); ``active`` (M,) or (n, M) switches measures on or off (counterfactuals);
    ``revenue_index`` (n,) scales non-oil revenue with output (the trade model's
    ``(1 - L)**eta``; None: 1). ``prepared`` (from :func:`prepare`) saves recomputing
    the fixed parts each week.
    """
    k = prepared if prepared is not None and prepared.dt_weeks == dt_weeks else prepare(
        p, m, dt_weeks)
    days = 7.0 * dt_weeks
    e = measures.bite(week, starts, k.bite, active)
    flows, og_base = _oil(p, m, e, state.log_shock, week, days, k)
    years = week / WEEKS_PER_YEAR
    spending = k.spending * k.spending_growth ** years
    non_oil = k.non_oil * k.revenue_growth ** years
    if revenue_index is not None:
        non_oil = non_oil * revenue_index
    planned_def = p.defence_share * spending
    reserve, b = fiscal.budget(spending, non_oil, flows["oil_gas_revenue"], og_base,
                               k.external, state.reserve, *k.rules)
    defence = np.maximum(planned_def - k.cut_share * b["cut"], 0.0)
    f = dt_weeks / WEEKS_PER_YEAR
    index = defence / (k.inflation ** years * p.defence_share * p.spending * f)
    index = np.where(np.isfinite(index), index, 0.0)
    recruits, prod = fiscal.output(index, k.recruits, p.recruit_elasticity, k.production,
                                   p.production_elasticity, p.production_growth, week)
    new = EconomyState(reserve=reserve, debt=state.debt + b["borrowing"],
                       log_shock=state.log_shock + k.sigma * z - k.half_var,
                       recruits=state.recruits + recruits, production=state.production + prod)
    flows.update(b)
    flows.update({"spending": spending - b["cut"], "defence_spending": defence,
                  "defence_real_index": index, "reserve_fund": reserve, "debt": new.debt,
                  "recruits": recruits, "production": prod})
    return new, flows


def simulate(p: EconomyParams, m: MeasureArrays, n_steps: int, dt_weeks: float,
             rng: np.random.Generator, active=True, starts=None,
             revenue_index=None) -> dict[str, np.ndarray]:
    """Run ``n_steps`` steps; every flow stacked to (n, T) ((n, T, K) for production).

    Random numbers are drawn in a fixed order (threat postponements, then price shocks)
    whatever ``active`` is, so two calls with equal seeds and different ``active`` are
    paired draws: the difference is the effect of the switched-off measures alone.
    """
    drawn = draw_starts(m, rng)
    starts = drawn if starts is None else starts
    z = rng.standard_normal((int(n_steps), p.n_draws))  # time-major: z[t] is contiguous
    state = initial_state(p)
    fixed = prepare(p, m, dt_weeks)
    out: dict[str, np.ndarray] = {}
    for t in range(int(n_steps)):
        ri = None if revenue_index is None else revenue_index[:, t]
        state, flows = step(p, m, state, t * dt_weeks, dt_weeks, z[t], starts, active, ri,
                            fixed)
        for key, value in flows.items():
            if key not in out:  # time-major buffers: contiguous writes, one per step
                out[key] = np.empty((int(n_steps),) + np.shape(value))
            out[key][t] = value
    result = {k: np.moveaxis(v, 0, 1) for k, v in out.items()}
    result["measure_start"] = np.asarray(starts, float)
    return result


def run(*, economy: EconomyParams, measures_: MeasureArrays | None = None, n_steps: int = 52,
        dt_weeks: float = 1.0, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Trajectories of one actor's war economy: revenue, budget, reserve, defence output.

    ``T_og = tau Q days/1000 max(p - 15, 0) fx`` (effective NDPI take, Russian Tax Code
    art. 342), fiscal rule and reserve fund (Budget Code art. 96.10), measures' bite
    ``e = c clip((t-s)/L,0,1) 2**(-(t-s-L)+/h)`` on volumes and discounts (KSE Institute;
    CREA), defence output ``q0 x**eps``. Outputs (n, T); production (n, T, K).
    """
    m = measures_ if measures_ is not None else MeasureArrays.none(economy.n_draws)
    out = simulate(economy, m, n_steps, dt_weeks, rng)
    out.pop("measure_start")
    return out


def example(rng: np.random.Generator, n_draws: int) -> dict:
    """A Russia-like economy with one threatened sanction and one price cap, 26 weeks."""
    n = n_draws

    def u(lo, hi, shape=(n,)):
        return rng.uniform(lo, hi, shape)

    econ = EconomyParams(
        crude_mbd=u(4.4, 5.0), products_mbd=u(2.0, 2.5), taxed_mbd=u(9.0, 9.4),
        benchmark_usd=u(60, 75), discount_usd=u(8, 15), fx=u(78, 95), tax_take=u(0.6, 0.7),
        non_oil_revenue=u(27000, 29000), spending=u(41000, 44000), defence_share=u(0.3, 0.34),
        reserve=u(3500, 4100), price_volatility=u(0.2, 0.4), fx_oil_elasticity=u(0, 0.5),
        base_price_usd=np.full(n, 60.0), inflation=u(0.05, 0.1), spending_growth=u(0.05, 0.1),
        borrow_cap=u(3000, 6000), recruits_per_week=u(6000, 8000), recruit_elasticity=u(0.5, 1.5),
        items=("shells", "drones"), production_per_week=u(50000, 70000, (n, 2)),
        production_elasticity=u(0.3, 1.0, (n, 2)), production_growth=u(0.0, 0.3, (n, 2)),
    )
    mm = MeasureArrays(
        ids=("sanction", "cap"), start=u(4, 10, (n, 2)), lag=u(0, 6, (n, 2)),
        compliance=u(0.2, 0.9, (n, 2)), coverage=u(0.3, 0.6, (n, 2)),
        volume_cut=u(0, 0.2, (n, 2)), discount_usd=u(2, 10, (n, 2)),
        cap_usd=np.stack([np.full(n, np.inf), np.full(n, 47.6)], axis=1),
        half_life=u(10, 40, (n, 2)), postpone_prob=u(0, 0.7, (n, 2)),
        postpone_weeks=u(2, 6, (n, 2)), max_postponements=np.full((n, 2), 5.0),
    )
    return {"economy": econ, "measures_": mm, "n_steps": 26, "dt_weeks": 1.0}


__all__ = ["EconomyParams", "EconomyState", "MeasureArrays", "Prepared", "draw_starts",
           "initial_state", "prepare", "run", "simulate", "step"]
