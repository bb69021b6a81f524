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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from polemos.engine.stage import BaseStage, Context, State

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
        self.vars = {a: [v for v in variables if v.startswith(f"economy.{a}.")] for a in self.actors}
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
            self.models[a] = _Actor(params, measures, st, starts, events, active)
            for v in self.vars[a]:
                out[v] = np.zeros(ctx.n)
            out[f"revenue.{a}"] = np.zeros(ctx.n)
            # week-0 values: the flows of a first week without shocks (state not advanced)
            _, flows = war_economy.step(params, measures, st, 0.0, 1.0, np.zeros(ctx.n), starts,
                                        active)
            self._publish(out, a, params, flows)
            out[f"economy.{a}.reserve_fund"] = np.asarray(params.reserve, dtype=float) \
                * np.ones(ctx.n)
            out[f"economy.{a}.debt"] = np.zeros(ctx.n)
        ctx.shared["defence_index"] = {}
        return out

    def step(self, state: State, week: int, date: dt.date, rng: np.random.Generator) -> None:
        fired = self.ctx.shared.get("fired", {})
        index = self.ctx.shared["defence_index"]
        for a in self.actors:
            m = self.models[a]
            for eid, cols in m.events.items():
                if eid in fired:
                    mask = fired[eid] & np.isinf(m.starts[:, cols[0]])
                    m.starts[np.ix_(mask, cols)] = week - 1.0
            z = rng.standard_normal(self.ctx.n)
            m.state, flows = self.k.step(m.params, m.measures, m.state, float(week - 1), 1.0, z,
                                         m.starts, m.active)
            self._publish(state, a, m.params, flows)
            index[a] = np.asarray(flows["defence_real_index"], dtype=float)

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
