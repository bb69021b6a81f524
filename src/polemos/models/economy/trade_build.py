"""From ``economy.trade`` and the trade measures to :mod:`trade` kernel arrays.

Quantities are read from the scenario's section objects inside the call (the engine's
``Params.value`` when given, else inverse-CDF sampling in a fixed order: trade-level
fields, sectors, flows, actors' output and finance, then measures in file order).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from polemos.models.economy.build import Value, _Sampler, measure_columns
from polemos.models.economy.measures import threat_start
from polemos.models.economy.section import (
    OIL,
    ROW,
    EconomicMeasure,
    EconomySection,
    MeasureKind,
)
from polemos.models.economy.trade import TradeMeasures, TradeParams

SECONDARY = (MeasureKind.secondary_sanction, MeasureKind.secondary_tariff)
TARIFFS = (MeasureKind.tariff, MeasureKind.secondary_tariff)


def has_trade(scenario: Any) -> bool:
    sec = getattr(scenario, "economy", None)
    return sec is not None and sec.trade is not None and any(
        e.output is not None for e in sec.actors.values())


def parties_of(sec: EconomySection) -> tuple[str, ...]:
    """Every party of the trade matrix: actors with output, flow ends, then ROW."""
    seen: list[str] = [a for a, e in sec.actors.items() if e.output is not None]
    for f in sec.trade.flows:
        for x in (f.exporter, f.importer):
            if x not in seen and x != ROW:
                seen.append(x)
    return tuple(seen) + (ROW,)


def build_params(sec: EconomySection, s: _Sampler) -> TradeParams:
    tr = sec.trade
    theta, rmax, rhl, rcost = (s(tr.trade_elasticity, 5.0), s(tr.reroute_share),
                               s(tr.reroute_half_life_weeks, 26.0), s(tr.reroute_cost, 0.1))
    sectors = tuple(tr.sectors)
    air = np.stack([s(x.air_share) for x in tr.sectors.values()], axis=1) if sectors else \
        np.zeros((s.n, 0))
    parties = parties_of(sec)
    flows = tr.flows
    base = np.stack([s(f.usd_bn_year) for f in flows], axis=1) if flows else np.zeros((s.n, 0))
    actors = tuple(a for a, e in sec.actors.items() if e.output is not None)
    cols: dict[str, list] = {k: [] for k in ("gdp", "growth", "hl", "xs", "crit", "res", "te")}
    for a in actors:
        o = sec.actors[a].output
        cols["gdp"].append(s(o.gdp_usd_bn))
        cols["growth"].append(s(o.growth))
        cols["hl"].append(s(o.adjustment_half_life_weeks, 8.0))
        cols["xs"].append(s(o.export_income_share, 0.5))
        cols["te"].append(s(o.tax_elasticity, 1.0))
        cols["crit"].append(np.stack([s(o.critical.get(x)) for x in sectors], axis=1)
                            if sectors else np.zeros((s.n, 0)))
        fin = sec.actors[a].finance
        cols["res"].append(s(None if fin is None else fin.reserves_usd_bn))

    def st(k, shape):
        return np.stack(cols[k], axis=1) if cols[k] else np.zeros(shape)

    return TradeParams(
        parties=parties, sectors=sectors, actors=actors,
        exporter=np.array([parties.index(f.exporter) for f in flows], dtype=int),
        importer=np.array([parties.index(f.importer) for f in flows], dtype=int),
        sector=np.array([sectors.index(f.sector) for f in flows], dtype=int),
        base=base, air_share=air, theta=theta, reroute_max=rmax, reroute_half_life=rhl,
        reroute_cost=rcost, gdp=st("gdp", (s.n, 0)), growth=st("growth", (s.n, 0)),
        half_life=st("hl", (s.n, 0)), export_share=st("xs", (s.n, 0)),
        critical=st("crit", (s.n, 0, len(sectors))), reserves=st("res", (s.n, 0)),
        tax_elasticity=st("te", (s.n, 0)))


def _incidence(m: EconomicMeasure, sec: EconomySection, p: TradeParams) -> np.ndarray:
    """(F,) 0/1: the flows measure ``m`` touches."""
    flows = sec.trade.flows
    t = m.target
    if m.kind is MeasureKind.financial_sanction:
        partners = None  # every partner: payments fail whoever trades
    elif m.kind in SECONDARY:
        partners = set(m.third)
    else:
        partners = {m.sender, *m.senders}
    direction = "imports" if m.kind is MeasureKind.export_control else m.direction
    sectors = None if m.sectors is None else set(m.sectors)
    out = np.zeros(len(flows))
    oil_paths = oil_exporters(sec)
    for j, f in enumerate(flows):
        if sectors is not None and f.sector not in sectors:
            continue
        if f.sector == OIL and f.exporter in oil_paths:
            continue  # the oil-export path carries the measures on these flows
        exp_ok = f.exporter == t and direction in ("both", "exports") and \
            (partners is None or f.importer in partners)
        imp_ok = f.importer == t and direction in ("both", "imports") and \
            (partners is None or f.exporter in partners)
        out[j] = float(exp_ok or imp_ok)
    return out


def _settle(m: EconomicMeasure, sec: EconomySection, s: _Sampler) -> np.ndarray:
    fin = sec.actors[m.target].finance if m.target in sec.actors else None
    if m.kind is not MeasureKind.financial_sanction:
        return np.ones(s.n)
    if fin is None or not fin.settlement_shares:
        return np.ones(s.n)
    return s(fin.settlement_shares.get(m.currency))


def _freeze(m: EconomicMeasure, sec: EconomySection, p: TradeParams, s: _Sampler,
            coverage: np.ndarray) -> np.ndarray:
    out = np.zeros((s.n, len(p.actors)))
    if m.kind is not MeasureKind.reserve_freeze or m.target not in p.actors:
        return out
    a = p.actors.index(m.target)
    fin = sec.actors[m.target].finance
    if fin is None:
        return out
    share = s(fin.reserve_shares.get(m.currency))
    out[:, a] = p.reserves[:, a] * np.clip(share, 0, 1) * np.clip(coverage, 0, 1)
    return out


def trade_measures(scenario: Any, p: TradeParams, s: _Sampler) -> list[EconomicMeasure]:
    sec: EconomySection = scenario.economy
    return [m for m in sec.measures if m.touches_trade() or m.kind is MeasureKind.reserve_freeze]


def build_measures(scenario: Any, p: TradeParams, s: _Sampler) -> TradeMeasures:
    sec: EconomySection = scenario.economy
    chosen = trade_measures(scenario, p, s)
    n, F, P, A = s.n, len(p.exporter), len(p.parties), len(p.actors)
    if not chosen:
        return TradeMeasures.none(n, F, P, A)
    rows: dict[str, list] = {k: [] for k in ("start", "lag", "compliance", "half_life", "cut",
                                            "rate", "hit", "tariff", "block", "reroute",
                                            "freeze")}
    for m in chosen:
        c = measure_columns(m, scenario, s)
        rate = s(m.rate)
        u = 1.0 - s.rng.random(n)
        rows["start"].append(threat_start(u, c["start"], c["postpone_prob"], c["postpone_weeks"],
                                          c["max_postponements"]))
        rows["lag"].append(c["lag"])
        rows["compliance"].append(c["compliance"])
        rows["half_life"].append(c["half_life"])
        hit = _incidence(m, sec, p)
        is_tariff = m.kind in TARIFFS and m.rate is not None
        vcut = np.zeros(n) if is_tariff and m.volume_cut is None else c["volume_cut"]
        rows["cut"].append(np.clip(c["coverage"], 0, 1) * np.clip(vcut, 0, 1)
                           * _settle(m, sec, s))
        rows["rate"].append(rate if is_tariff else np.zeros(n))
        rows["hit"].append(hit)
        rows["tariff"].append(hit if is_tariff else np.zeros(F))
        block = np.zeros(P)
        if m.kind in SECONDARY and m.target in p.parties:
            block[p.parties.index(m.target)] = 1.0
        rows["block"].append(block)
        rows["reroute"].append(m.kind not in SECONDARY)
        rows["freeze"].append(_freeze(m, sec, p, s, c["coverage"]))

    def st(k):
        return np.stack(rows[k], axis=1)

    return TradeMeasures(
        ids=tuple(m.id for m in chosen), start=st("start"), lag=st("lag"),
        compliance=st("compliance"), half_life=st("half_life"), cut=st("cut"), rate=st("rate"),
        hit=np.stack(rows["hit"]), tariff=np.stack(rows["tariff"]), block=np.stack(rows["block"]),
        reroutable=np.array(rows["reroute"], dtype=bool), freeze=st("freeze"))


def build_trade(scenario: Any, n: int, rng: np.random.Generator,
                value: Value | None = None) -> tuple[TradeParams, TradeMeasures]:
    """The trade system of the scenario, sampled for ``n`` draws."""
    s = _Sampler(rng, n, value)
    p = build_params(scenario.economy, s)
    return p, build_measures(scenario, p, s)


def oil_exporters(sec: EconomySection) -> set[str]:
    """Actors whose oil exports the oil-export path models (an ``oil`` block)."""
    return {a for a, e in sec.actors.items() if e.oil is not None}


def oil_flows(sec: EconomySection) -> dict[str, np.ndarray]:
    """Oil exporter -> indices of its ``oil`` flows in the trade matrix: the oil-export
    path sets their value (volume x realised price relative to as_of) each step."""
    out: dict[str, list[int]] = {}
    exporters = oil_exporters(sec)
    for j, f in enumerate(sec.trade.flows):
        if f.sector == OIL and f.exporter in exporters:
            out.setdefault(f.exporter, []).append(j)
    return {a: np.array(v, dtype=int) for a, v in out.items()}


def oil_scale(params: Any, flows: dict) -> np.ndarray:
    """Oil export value relative to as_of: ``V/V0 x p / (B0 - D0)``, (n,) or (n, T)."""
    price = np.asarray(flows["urals_price"], float)
    p0 = np.asarray(params.benchmark_usd, float) - np.asarray(params.discount_usd, float)
    p0 = p0.reshape(p0.shape + (1,) * (price.ndim - 1))
    ratio = price / np.where(p0 > 0, p0, np.inf)
    return np.asarray(flows["volume_multiplier"], float) * np.maximum(ratio, 0.0)


def event_columns(scenario: Any, m: TradeMeasures) -> dict[str, list[int]]:
    """Event id -> columns of the trade measures that start with that event."""
    by_id = {x.id: x for x in scenario.economy.measures}
    out: dict[str, list[int]] = {}
    for j, ident in enumerate(m.ids):
        ev = by_id[ident].event
        if ev is not None:
            out.setdefault(ev, []).append(j)
    return out
