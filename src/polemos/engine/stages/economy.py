"""The war economy: the ``economy`` section through the economy family's weekly kernel
(:func:`polemos.models.economy.war_economy.step`): oil and gas revenue under sanctions,
price caps and tariffs (threats postponed at random), the budget and reserve fund,
defence spending, recruits and production.

Parameters come from the run's design (the builder's ``value`` hook). Measures that
start with an event start in the draws where the events stage fires that event, in
that week. Writes ``economy.<actor>.<variable>`` (the section's names), ``revenue.<actor>``
(oil-and-gas budget revenue, read by the capability stage) and, for the attrition stage,
``ctx.shared["defence_index"][actor]`` (real defence spending relative to plan).
In a counterfactual arm the measures named in ``ctx.shared["without"]`` are switched
off (the kernel's ``active`` mask; same random numbers as the main arm).

With ``economy.trade`` the stage also steps the trade matrix
(:func:`polemos.models.economy.trade.step`) each week, with the share of shipping that
gets through each blockade (``ctx.shared["blockade_reach"]``, from the blockade stage):
it writes ``economy.<actor>.output``, ``output_loss``, ``exports``, ``imports``, ``trade``,
``rerouted``, ``reserves_frozen`` and ``imports.<sector>``, and scales each such actor's
non-oil revenue by its output, so defence spending answers trade with the budget's lags.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from polemos.engine.stage import NEVER, BaseStage, Context, State

FLOW_NAMES = {"spending_cut": "cut"}


@dataclass
class _Actor:
    """One actor's economy within a block: sampled inputs, kernel state, measure starts."""

    params: Any
    measures: Any
    state: Any
    starts: np.ndarray
    events: dict[str, list[int]]
    active: Any = True
    """(M,) measures switched on, or True (all: the main arm)."""
    prepared: Any = None
    """The kernel's fixed parts (:func:`war_economy.prepare`), computed once."""


class EconomyStage(BaseStage):
    name = "economy"
    key = 2
    section = "economy"
    READS = ("events fired this week",)
    WRITES = ("economy.<actor>.<variable>", "revenue.<actor>", "defence index (shared)")

    def init(self, ctx: Context) -> State:
        from polemos.models.economy import build, war_economy
        from polemos.models.economy.section import names

        self.ctx = ctx
        self.k = war_economy
        rng = ctx.init_rng(self.key)
        sec = ctx.scenario.economy
        self.actors = list(sec.actors)
        self.models: dict[str, _Actor] = {}
        variables = names(ctx.scenario)
        from polemos.models.economy import trade_build as tb
        from polemos.models.economy.section import TRADE_VARIABLES

        self.vars = {a: [v for v in variables if v.startswith(f"economy.{a}.")] for a in self.actors}
        trade_keys = set(TRADE_VARIABLES)
        self.tvars = {a: [v for v in self.vars[a] if v.split(".")[2] in trade_keys]
                      for a in self.actors}
        self.vars = {a: [v for v in self.vars[a] if v not in set(self.tvars[a])]
                     for a in self.actors}
        out: State = {}
        for a in self.actors:
            params, measures = build.build_actor(ctx.scenario, a, ctx.n, rng, value=ctx.params.value)
            starts = war_economy.draw_starts(measures, rng)
            events = build.event_columns(ctx.scenario, a)
            for cols in events.values():
                starts[:, cols] = np.inf  # started by the events stage
            st = war_economy.initial_state(params)
            off = [i for i in ctx.shared.get("without", ()) if i in set(measures.ids)]
            active = measures.active_mask(off) if off else True
            self.models[a] = _Actor(params, measures, st, starts, events, active,
                                    war_economy.prepare(params, measures, 1.0))
            for v in self.vars[a]:
                out[v] = np.zeros(ctx.n)
            out[f"revenue.{a}"] = np.zeros(ctx.n)
            # week-0 values: the flows of a first week without shocks (state not advanced)
            _, flows = war_economy.step(params, measures, st, 0.0, 1.0, np.zeros(ctx.n), starts,
                                        active, None, self.models[a].prepared)
            self._publish(out, a, params, flows)
            out[f"economy.{a}.reserve_fund"] = np.asarray(params.reserve, dtype=float) \
                * np.ones(ctx.n)
            out[f"economy.{a}.debt"] = np.zeros(ctx.n)
        ctx.shared["defence_index"] = {}
        self.trade = None
        self.oil: dict[str, np.ndarray] = {}
        if tb.has_trade(ctx.scenario):
            self._init_trade(ctx, out)
        return out

    def _init_trade(self, ctx: Context, out: State) -> None:
        from polemos.models.economy import trade, trade_build

        p, m = trade_build.build_trade(ctx.scenario, ctx.n, ctx.init_rng(self.key + 20),
                                       value=ctx.params.value)
        starts = np.array(m.start, dtype=float)
        events = trade_build.event_columns(ctx.scenario, m)
        for cols in events.values():
            starts[:, cols] = np.inf  # started by the events stage
        off = [i for i in ctx.shared.get("without", ()) if i in set(m.ids)]
        self.trade = _Trade(p, m, trade.initial_state(p), starts, events,
                            m.active_mask(off) if off else True)
        # an oil exporter's oil flows carry the value of its oil-export path (one step late)
        self.oil = {a: idx for a, idx in trade_build.oil_flows(ctx.scenario.economy).items()
                    if a in self.models}
        self.oil_scale = {a: np.ones(ctx.n) for a in self.oil}
        _, flows = trade.step(p, m, self.trade.state, 0.0, 1.0, starts, None,
                              self.trade.active)
        for a in p.actors:
            for v in self.tvars[a]:
                out[v] = np.zeros(ctx.n)
        self._publish_trade(out, flows)

    def _step_trade(self, state: State, week: int) -> dict | None:
        from polemos.models.blockade.build import reach_by_party
        from polemos.models.economy import trade

        t = self.trade
        if t is None:
            return None
        fired = self.ctx.shared.get("fired", {})
        for eid, cols in t.events.items():
            if eid in fired:
                mask = fired[eid] & np.isinf(t.starts[:, cols[0]])
                t.starts[np.ix_(mask, cols)] = week - 1.0
        reach = reach_by_party(self.ctx.scenario, t.params.parties,
                               self.ctx.shared.get("blockade_reach", {}), self.ctx.n)
        scale = None
        if self.oil:
            scale = np.ones_like(t.params.base)
            for a, idx in self.oil.items():
                scale[:, idx] = self.oil_scale[a][:, None]
        t.state, flows = trade.step(t.params, t.measures, t.state, float(week - 1), 1.0,
                                    t.starts, reach, t.active, scale)
        self._publish_trade(state, flows)
        return {a: flows["revenue_index"][:, i] for i, a in enumerate(t.params.actors)}

    def _publish_trade(self, state: State, flows: dict) -> None:
        p = self.trade.params
        for i, a in enumerate(p.actors):
            prefix = f"economy.{a}."
            for var in self.tvars[a]:
                key = var[len(prefix):]
                if key.startswith("imports."):
                    j = p.sectors.index(key.split(".", 1)[1])
                    state[var][:] = flows["imports_by_sector"][:, i, j]
                else:
                    state[var][:] = flows[key][:, i]

    def step(self, state: State, week: int, date: dt.date, rng: np.random.Generator) -> None:
        fired = self.ctx.shared.get("fired", {})
        index = self.ctx.shared["defence_index"]
        revenue = self._step_trade(state, week) or {}
        for a in self.actors:
            m = self.models[a]
            for eid, cols in m.events.items():
                if eid in fired:
                    mask = fired[eid] & np.isinf(m.starts[:, cols[0]])
                    m.starts[np.ix_(mask, cols)] = week - 1.0
            z = rng.standard_normal(self.ctx.n)
            m.state, flows = self.k.step(m.params, m.measures, m.state, float(week - 1), 1.0, z,
                                         m.starts, m.active, revenue.get(a), m.prepared)
            self._publish(state, a, m.params, flows)
            index[a] = np.asarray(flows["defence_real_index"], dtype=float)
            if a in self.oil:
                from polemos.models.economy.trade_build import oil_scale

                self.oil_scale[a] = oil_scale(m.params, flows)

    def _switchable(self) -> list[tuple[Any, Any, np.ndarray, dict[str, list[int]]]]:
        """(holder, measures, starts, event columns) of each set of measures in the block."""
        out = [(m, m.measures, m.starts, m.events) for m in self.models.values()]
        if self.trade is not None:
            t = self.trade
            out.append((t, t.measures, t.starts, t.events))
        return out

    def shared_weeks(self, without: frozenset[str]) -> int:
        """Weeks stepped alike with and without the measures in ``without``.

        A measure's bite is exactly zero before its start (:func:`measures.strength`; step
        ``w`` evaluates it at week ``w - 1``), so the arms step alike through week
        ``floor(s)``, ``s`` the earliest start over the block's draws; a measure that starts
        with an event starts at the event's week less one, where the events stage fires it.
        Week-0 flows at ``init`` use the bite at week 0: a measure already in force gives 0.
        """
        event_week = {e.id: self.ctx.week_of(e.date) for e in self.ctx.scenario.events
                      if self.ctx.scenario.meta.as_of < e.date <= self.ctx.scenario.meta.horizon}
        weeks = NEVER
        for _, measures, starts, events in self._switchable():
            for j, ident in enumerate(measures.ids):
                if ident not in without:
                    continue
                s = starts[:, j]
                s = s[np.isfinite(s)]
                first = float(s.min()) if s.size else np.inf
                for eid, cols in events.items():
                    if j in cols and eid in event_week:
                        first = min(first, event_week[eid] - 1.0)
                if np.isfinite(first):
                    weeks = min(weeks, max(0, int(np.floor(first))))
        return weeks

    def switch_off(self, without: frozenset[str]) -> None:
        for holder, measures, _, _ in self._switchable():
            off = [i for i in without if i in set(measures.ids)]
            holder.active = measures.active_mask(off) if off else True

    def _publish(self, state: State, a: str, params: Any, flows: dict) -> None:
        prefix = f"economy.{a}."
        items = list(getattr(params, "items", ()) or ())
        for var in self.vars[a]:
            key = var[len(prefix):]
            if key.startswith("production."):
                item = key.split(".", 1)[1]
                if item in items:
                    state[var][:] = np.asarray(flows["production"])[:, items.index(item)]
                continue
            value = flows.get(FLOW_NAMES.get(key, key))
            if value is not None:
                state[var][:] = value
        state[f"revenue.{a}"][:] = flows["oil_gas_revenue"]


@dataclass
class _Trade:
    """The trade system within a block: sampled matrix and measures, output state."""

    params: Any
    measures: Any
    state: Any
    starts: np.ndarray
    events: dict[str, list[int]]
    active: Any = True
