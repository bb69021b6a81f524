"""The ``economy`` scenario section: per-actor war economies and economic measures.

Shape (amounts per year in the actor's currency, bn; volumes mb/d and bcm/y; USD prices)::

    economy:
      actors:
        RUS:
          currency: RUB
          fx_per_usd: {dist: normal, mean: 83.3, sd: 4, sources: [vedomosti_fx]}
          oil: {crude_exports_mbd: 4.7, product_exports_mbd: 2.3, production_mbd: 9.2,
                benchmark_usd: 69, discount_usd: 11.5, tax_take: 0.67}
          gas: {exports_bcm_year: 110, price_usd_kcm: 250, tax_take: 0.2}
          budget: {non_oil_gas_revenue: 28000, spending: 42300, defence_share: 0.32,
                   reserve_fund: 3810, fiscal_rule_price_usd: 60}
          recruitment: {recruits_per_week: 7000, elasticity: 1.0}
          production:
            drones: {per_week: 30000, elasticity: 0.8, growth_per_year: 0.3}
      measures:
        - id: us_rosneft_lukoil
          kind: sanction
          sender: USA
          target: RUS
          start: 2025-10-22            # or event: <event id>, or threat: {...}
          coverage: 0.5
          compliance: {dist: beta, a: 4, b: 4}
          lag_weeks: 4

Every number is a :data:`~polemos.scenario.quantities.Quantity` and may carry
``sources``. ``check`` verifies actor and event ids and measure ids; source ids anywhere
in the section are checked by the core (``polemos.scenario.semantics``).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import Field, model_validator

from polemos.scenario.base import Id, StrictModel
from polemos.scenario.quantities import NonNegative, Probability, Quantity, Share
from polemos.scenario.sections import register_section

Sources = list[Id]


INF = float("inf")


def check_bounds(obj: Any, bounds: dict[str, tuple[float, float]]) -> Any:
    """Raise a ValueError naming the first field whose values leave its ``(low, high)``."""
    from polemos.scenario.schema import within

    for name, (lo, hi) in bounds.items():
        value = getattr(obj, name)
        items = value.items() if isinstance(value, dict) else [(None, value)]
        for key, q in items:
            what = name if key is None else f"{name}.{key}"
            within(q, lo, hi, f"{what} must lie in [{lo:g}, {hi:g}]")
    return obj


class MeasureKind(StrEnum):
    sanction = "sanction"
    price_cap = "price_cap"
    tariff = "tariff"
    secondary_tariff = "secondary_tariff"
    export_ban = "export_ban"
    export_control = "export_control"
    financial_sanction = "financial_sanction"
    secondary_sanction = "secondary_sanction"
    reserve_freeze = "reserve_freeze"


TRADE_ONLY = frozenset({MeasureKind.export_control, MeasureKind.financial_sanction,
                        MeasureKind.secondary_sanction, MeasureKind.reserve_freeze})
"""Kinds that never touch the oil-export path (they act on trade flows or reserves)."""

OIL = "oil"
"""The sector id a measure names to act on the oil-export path as well as on trade."""


KIND_DEFAULTS: dict[MeasureKind, tuple[float, float]] = {
    MeasureKind.sanction: (0.05, 5.0),
    MeasureKind.price_cap: (0.0, 0.0),
    MeasureKind.tariff: (1.0, 0.0),
    MeasureKind.secondary_tariff: (0.1, 3.0),
    MeasureKind.export_ban: (1.0, 0.0),
    MeasureKind.export_control: (1.0, 0.0),
    MeasureKind.financial_sanction: (1.0, 0.0),
    MeasureKind.secondary_sanction: (1.0, 0.0),
    MeasureKind.reserve_freeze: (0.0, 0.0),
}
"""(volume_cut, discount_usd) at full compliance when a measure does not state them:
placeholders of the right order (KSE Institute and CREA 2025 report discounts widening by
5-15 USD/bbl after major designations and volumes dipping a few per cent), to be
replaced by sourced figures in a scenario."""


class Oil(StrictModel):
    crude_exports_mbd: NonNegative = Field(description="Crude exports, mb/d.")
    product_exports_mbd: NonNegative = Field(0.0, description="Refined-product exports, mb/d.")
    production_mbd: NonNegative = Field(description="Taxed crude production, mb/d.")
    benchmark_usd: NonNegative = Field(description="Benchmark price (Brent), USD/bbl.")
    benchmark_trend: Quantity = Field(0.0, description="Annual log drift of the benchmark.")
    price_volatility: NonNegative = Field(0.0, description="Annual s.d. of log benchmark.")
    discount_usd: Quantity = Field(0.0, description="Discount of the export grade, USD/bbl.")
    tax_take: Share = Field(description="Effective take on (price - 15) x fx (0-1).")
    fx_oil_elasticity: Quantity = Field(0.0, description="-d ln fx / d ln price shock.")
    sources: Sources = Field(default_factory=list)
    note: str | None = None


class Gas(StrictModel):
    exports_bcm_year: NonNegative = 0.0
    price_usd_kcm: NonNegative = Field(0.0, description="Export price, USD per 1000 m3.")
    tax_take: Share = Field(0.0, description="Share of gas export receipts to the budget.")
    sources: Sources = Field(default_factory=list)
    note: str | None = None


class Budget(StrictModel):
    non_oil_gas_revenue: Quantity = Field(description="Revenue other than oil and gas, bn/y.")
    spending: NonNegative = Field(description="Planned spending, bn/y.")
    defence_share: Share = Field(description="Share of spending on defence (0-1).")
    reserve_fund: NonNegative = Field(0.0, description="Liquid reserve (NWF), bn, at as_of.")
    fiscal_rule_price_usd: Quantity | None = Field(
        None, description="Base price of a fiscal rule (Russia: Urals 60 USD); none = no rule.")
    revenue_growth: Quantity = Field(0.0, description="Nominal growth of non-oil revenue / y.")
    spending_growth: Quantity = Field(0.0, description="Nominal growth of planned spending / y.")
    external_financing: Quantity = Field(0.0, description="Grants and loans received, bn/y.")
    reserve_return: Quantity = Field(0.0, description="Annual return on the reserve.")
    reserve_draw_share: Share = Field(1.0, description="Share of the deficit from reserve.")
    borrowing_cap: NonNegative | None = Field(None, description="Max borrowing bn/y; none = no cap.")
    defence_cut_share: Share = Field(0.3, description="Share of forced cuts borne by defence.")
    inflation: Quantity = Field(0.0, description="Annual inflation deflating defence spending.")
    sources: Sources = Field(default_factory=list)
    note: str | None = None


class Recruitment(StrictModel):
    recruits_per_week: NonNegative
    elasticity: Quantity = Field(1.0, description="d ln recruits / d ln real defence spending.")
    sources: Sources = Field(default_factory=list)
    note: str | None = None


class Production(StrictModel):
    per_week: NonNegative
    elasticity: Quantity = Field(1.0, description="d ln output / d ln real defence spending.")
    growth_per_year: Quantity = Field(0.0, description="Capacity growth, log per year.")
    sources: Sources = Field(default_factory=list)
    note: str | None = None


class Output(StrictModel):
    """An actor's output and how it answers lost trade (see ``economy.trade``)."""

    gdp_usd_bn: NonNegative = Field(description="Output (GDP) at as_of, USD bn per year.")
    growth: Quantity = Field(0.0, description="Trend growth of output, per year.")
    adjustment_half_life_weeks: NonNegative = Field(
        8.0, description="Weeks for output to close half the gap to its new level after a "
        "trade shock (default 8: a judgement; the GSDB event studies (Felbermayr et al. 2020) "
        "find most of a sanction's trade effect within the first year).")
    export_income_share: Share = Field(
        0.5, description="Share of lost export receipts lost as income in the short run "
        "(value added in exports not redeployed; default 0.5, OECD TiVA: domestic value added "
        "is about 0.6-0.8 of gross exports, part of it redeployed).")
    critical: dict[Id, Quantity] = Field(
        default_factory=dict, description="Sector id -> output share lost per unit share of "
        "that sector's imports lost (a supply-chain bottleneck beyond the gains-from-trade "
        "loss); 0 if omitted.")
    tax_elasticity: Quantity = Field(
        1.0, description="d ln non-oil revenue / d ln output (default 1: revenue in "
        "proportion to the tax base).")
    sources: Sources = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _bounds(self):
        return check_bounds(self, {"gdp_usd_bn": (0.0, INF), "adjustment_half_life_weeks": (0.0, INF), "export_income_share": (0.0, 1.0), "critical": (0.0, 1.0), "tax_elasticity": (0.0, 10.0)})


class Finance(StrictModel):
    """Reserves and the currencies trade is settled in (for financial measures)."""

    reserves_usd_bn: NonNegative = Field(0.0, description="Foreign reserves, USD bn.")
    reserve_shares: dict[str, Share] = Field(
        default_factory=dict, description="Currency -> share of reserves held in it (0-1).")
    settlement_shares: dict[str, Share] = Field(
        default_factory=dict, description="Currency -> share of the actor's trade settled "
        "in it (0-1); a financial sanction in a currency bites on that share.")
    sources: Sources = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _bounds(self):
        return check_bounds(self, {"reserves_usd_bn": (0.0, INF), "reserve_shares": (0.0, 1.0), "settlement_shares": (0.0, 1.0)})


class ActorEconomy(StrictModel):
    currency: str = "USD"
    fx_per_usd: NonNegative = Field(1.0, description="National currency per US dollar.")
    oil: Oil | None = None
    gas: Gas | None = None
    budget: Budget
    recruitment: Recruitment | None = None
    production: dict[Id, Production] = Field(default_factory=dict)
    output: Output | None = Field(None, description="Output answering trade (trade model).")
    finance: Finance | None = None
    sources: Sources = Field(default_factory=list)
    note: str | None = None

    def has_oil(self) -> bool:
        """Whether the actor is an oil (and gas) exporter, or a legacy budget-only economy."""
        return self.oil is not None or self.gas is not None or self.output is None


class Threat(StrictModel):
    deadline: dt.date
    postpone_prob: Probability = Field(description="Chance each deadline is put off (0-1).")
    postpone_weeks: NonNegative = Field(4.0, description="Length of each postponement.")
    max_postponements: int | None = Field(None, description="Dropped after this many.")
    sources: Sources = Field(default_factory=list)


class EconomicMeasure(StrictModel):
    id: Id
    kind: MeasureKind
    sender: Id
    target: Id
    start: dt.date | None = None
    event: Id | None = Field(None, description="Starts when this event happens.")
    threat: Threat | None = None
    coverage: Share = Field(description="Share touched (0-1) of the target's oil exports, "
                               "or of the trade in the measure's sectors.")
    compliance: Share = Field(description="Share complying, 1 - evasion (0-1).")
    lag_weeks: NonNegative = 0.0
    volume_cut: Share | None = Field(None, description="Export share lost at full bite.")
    discount_usd: Quantity | None = Field(None, description="Extra discount at full bite.")
    cap_usd: NonNegative | None = Field(None, description="Price cap (price_cap only), USD/bbl.")
    adaptation_half_life_weeks: NonNegative | None = Field(None, description="None = no decay.")
    sectors: list[Id] | None = Field(
        None, description="Trade sectors touched (economy.trade.sectors ids; 'oil' also "
        "means the oil-export path); none: the oil-export path only.")
    senders: list[Id] = Field(default_factory=list, description="Coalition members applying "
                              "the measure with the sender (their flows with the target).")
    direction: str = Field("both", pattern="^(both|exports|imports)$",
                           description="The target's flows touched: exports, imports, both.")
    rate: NonNegative | None = Field(None, description="Ad valorem tariff rate (tariff kinds on "
                                  "trade), e.g. 0.25; cuts flows by (1 + rate)**-theta.")
    third: list[Id] = Field(default_factory=list, description="Secondary measures: the third "
                            "countries whose trade with the target is penalised.")
    currency: str | None = Field(None, description="Financial measures: the currency "
                                 "(settlement or reserves) the measure bites on.")
    description: str = ""
    sources: Sources = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_start(self) -> EconomicMeasure:
        given = [k for k in ("start", "event", "threat") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                f"a measure needs exactly one of start, event, threat (got {given or 'none'}); "
                "give a date, an event id or a threat with a deadline")
        if (self.kind is MeasureKind.price_cap) != (self.cap_usd is not None):
            raise ValueError("cap_usd is required for kind price_cap and only for it")
        if self.kind is MeasureKind.export_control and not self.sectors:
            raise ValueError("an export_control needs 'sectors:' (the trade sectors it covers)")
        if self.kind in (MeasureKind.financial_sanction, MeasureKind.reserve_freeze) \
                and self.currency is None:
            raise ValueError(f"a {self.kind} needs 'currency:' (e.g. USD)")
        if self.kind is MeasureKind.secondary_sanction and not self.third:
            raise ValueError("a secondary_sanction needs 'third:' (the third countries)")
        return self

    def touches_oil(self) -> bool:
        """Whether the measure acts on the oil-export path (the oil exporter's measures)."""
        if self.kind in TRADE_ONLY:
            return False
        return self.sectors is None or OIL in self.sectors

    def touches_trade(self) -> bool:
        """Whether the measure acts on bilateral trade flows (the trade model)."""
        if self.kind is MeasureKind.reserve_freeze:
            return False
        if self.kind is MeasureKind.financial_sanction:
            return True
        return bool(self.sectors) and any(x != OIL for x in self.sectors)

    def effect(self) -> tuple[Quantity, Quantity]:
        vc, d = KIND_DEFAULTS[self.kind]
        return (vc if self.volume_cut is None else self.volume_cut,
                d if self.discount_usd is None else self.discount_usd)


class Sector(StrictModel):
    """A traded sector (goods, energy, semiconductors, rare earths ...)."""

    name: str = ""
    air_share: Quantity = Field(0.0, description="Share of the sector's trade value that "
                                "flies (escapes a sea blockade), 0-1.")
    sources: Sources = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _bounds(self):
        return check_bounds(self, {"air_share": (0.0, 1.0)})


class Flow(StrictModel):
    """One bilateral flow of the trade matrix: exporter -> importer, one sector."""

    exporter: Id = Field(description="Actor id, or ROW (rest of the world).")
    importer: Id = Field(description="Actor id, or ROW (rest of the world).")
    sector: Id
    usd_bn_year: Quantity = Field(description="Value at as_of, USD bn per year.")
    sources: Sources = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _bounds(self):
        return check_bounds(self, {"usd_bn_year": (0.0, INF)})


ROW = "ROW"
"""The rest of the world, a trade partner that is not a scenario actor."""


class TradeSection(StrictModel):
    """The bilateral trade matrix and the gravity response of trade to measures."""

    trade_elasticity: Quantity = Field(
        5.0, description="theta: d ln trade / d ln (1 + tariff), positive (default 5.0: the "
        "median structural gravity estimate, Head & Mayer 2014, Handbook of International "
        "Economics vol. 4, ch. 3, table 5).")
    reroute_share: Quantity = Field(
        0.0, description="Largest share of a sanctioned flow re-routed through third "
        "countries once evasion is set up (0-1; Chupilkin, Javorcik & Plekhanov 2023, 'The "
        "Eurasian roundabout', EBRD working paper, on Russia's imports).")
    reroute_half_life_weeks: Quantity = Field(26.0, description="Weeks to set up half of it.")
    reroute_cost: Quantity = Field(
        0.1, description="Extra cost of re-routed trade as an iceberg share (default 0.1: a "
        "judgement; re-exported goods to Russia were priced 10-20% above direct imports).")
    sectors: dict[Id, Sector] = Field(default_factory=dict)
    flows: list[Flow] = Field(default_factory=list)
    sources: Sources = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _bounds(self):
        return check_bounds(self, {"trade_elasticity": (0.0, 50.0), "reroute_share": (0.0, 1.0), "reroute_half_life_weeks": (0.0, INF), "reroute_cost": (0.0, 1.0)})


class EconomySection(StrictModel):
    """War economies per actor (keyed by actor id) and the measures between them."""

    actors: dict[Id, ActorEconomy] = Field(default_factory=dict)
    measures: list[EconomicMeasure] = Field(default_factory=list)
    trade: TradeSection | None = None


def _unknown(kind: str, ident: str, known: list[str]) -> tuple[str, str]:
    from polemos.scenario.errors import did_you_mean

    hint = did_you_mean(ident, known) or (f"declare it in {kind}" if known else f"add {kind}")
    return f"unknown {kind.rstrip('s')} id {ident!r}", hint


def check(scenario: Any) -> list[tuple[tuple, str, str]]:
    """Actor ids (economies, senders, targets), event ids and duplicate measure ids."""
    sec: EconomySection = scenario.economy
    actors = [a.id for a in scenario.actors]
    events = [e.id for e in scenario.events]
    out: list[tuple[tuple, str, str]] = []
    for actor_id in sec.actors:
        if actor_id not in actors:
            out.append((("economy", "actors", actor_id), *_unknown("actors", actor_id, actors)))
    seen: set[str] = set()
    for i, m in enumerate(sec.measures):
        loc = ("economy", "measures", i)
        if m.id in seen:
            out.append((loc + ("id",), f"duplicate id {m.id!r}", "every measure id must be unique"))
        seen.add(m.id)
        for role in ("sender", "target"):
            ident = getattr(m, role)
            if ident not in actors:
                out.append((loc + (role,), *_unknown("actors", ident, actors)))
        if m.target in actors and m.target not in sec.actors:
            out.append((loc + ("target",), f"target {m.target!r} has no economy",
                        f"add economy.actors.{m.target} or target an actor that has one"))
        if m.event is not None and m.event not in events:
            out.append((loc + ("event",), *_unknown("events", m.event, events)))
        for role in ("senders", "third"):
            for j, ident in enumerate(getattr(m, role)):
                if ident not in actors:
                    out.append((loc + (role, j), *_unknown("actors", ident, actors)))
        out += _check_sectors(sec, m, loc)
    out += _check_trade(sec, actors)
    return out


def _check_sectors(sec: EconomySection, m: EconomicMeasure, loc: tuple) -> list:
    known = list(sec.trade.sectors) if sec.trade is not None else []
    out = []
    for j, ident in enumerate(m.sectors or ()):
        if ident != OIL and ident not in known:
            msg, hint = _unknown("sectors", ident, known + [OIL])
            out.append((loc + ("sectors", j), msg,
                        hint if known else "declare it under economy.trade.sectors"))
    return out


def _check_trade(sec: EconomySection, actors: list[str]) -> list:
    out: list[tuple[tuple, str, str]] = []
    if sec.trade is None:
        for a, econ in sec.actors.items():
            if econ.output is not None:
                out.append((("economy", "actors", a, "output"), "an output block needs a "
                            "trade matrix", "add economy.trade with flows, or drop 'output'"))
        return out
    parties = actors + [ROW]
    for i, f in enumerate(sec.trade.flows):
        loc = ("economy", "trade", "flows", i)
        for role in ("exporter", "importer"):
            ident = getattr(f, role)
            if ident not in parties:
                out.append((loc + (role,), *_unknown("actors", ident, parties)))
        if f.sector not in sec.trade.sectors:
            out.append((loc + ("sector",), *_unknown("sectors", f.sector, list(sec.trade.sectors))))
        if f.exporter == f.importer:
            out.append((loc, "a flow from an actor to itself", "make exporter and importer differ"))
    for a, econ in sec.actors.items():
        for s in (econ.output.critical if econ.output is not None else {}):
            if s not in sec.trade.sectors:
                out.append((("economy", "actors", a, "output", "critical", s),
                            *_unknown("sectors", s, list(sec.trade.sectors))))
    return out


def names(scenario: Any) -> dict[str, str]:
    """State variables ``economy.<actor>.<variable>`` for every actor with an economy."""
    out: dict[str, str] = {}
    for actor_id, econ in scenario.economy.actors.items():
        cur = econ.currency
        p = f"economy.{actor_id}"
        out[f"{p}.defence_spending"] = f"defence spending of {actor_id}, {cur} bn/step"
        out[f"{p}.reserve_fund"] = f"liquid reserve fund of {actor_id}, {cur} bn"
        out[f"{p}.debt"] = f"borrowing by {actor_id} since as_of, {cur} bn"
        out[f"{p}.spending_cut"] = f"forced spending cut of {actor_id}, {cur} bn/step"
        out[f"{p}.recruits"] = f"recruits of {actor_id} per step"
        for item in econ.production:
            out[f"{p}.production.{item}"] = f"output of {item} by {actor_id} per step"
        if econ.output is not None:
            out.update(_trade_names(p, actor_id, scenario.economy))
        if not econ.has_oil():
            continue
        out[f"{p}.oil_gas_revenue"] = f"budget oil-and-gas revenue of {actor_id}, {cur} bn/step"
        out[f"{p}.export_revenue"] = f"oil and gas export receipts of {actor_id}, USD bn/step"
        out[f"{p}.urals_price"] = f"realised export oil price of {actor_id}, USD/bbl"
    return out


TRADE_VARIABLES = {
    "output": "output (GDP) of {a}, USD bn/step",
    "output_loss": "output lost to trade disruption by {a}, share of its trend (0-1)",
    "exports": "goods exports of {a} (direct and re-routed), USD bn/step",
    "imports": "goods imports of {a} (direct and re-routed), USD bn/step",
    "trade": "exports plus imports of {a}, USD bn/step",
    "rerouted": "trade of {a} re-routed through third countries, USD bn/step",
    "reserves_frozen": "reserves of {a} frozen by measures, USD bn",
}
"""Trade state variables (``economy.<actor>.<name>``) of an actor with an output block."""


def _trade_names(p: str, actor_id: str, sec: EconomySection) -> dict[str, str]:
    out = {f"{p}.{k}": v.format(a=actor_id) for k, v in TRADE_VARIABLES.items()}
    for s in (sec.trade.sectors if sec.trade is not None else {}):
        out[f"{p}.imports.{s}"] = f"imports of {s} by {actor_id}, USD bn/step"
    return out


SECTION = register_section(
    "economy", EconomySection,
    doc="War economies per actor (oil and gas, budget, reserve fund, defence output) and "
        "sanctions, price caps and tariffs with compliance, lags and threatened deadlines.",
    check=check, names=names,
)
