"""Events fire: the scenario's dated timeline, each event happening with its probability.

Reads nothing; writes ``event.<id>`` (1 once the event has happened) and, for the other
stages of the same week, ``ctx.shared["negotiating"]`` (draws where a summit or
negotiation takes place this week) and ``ctx.shared["fired"]`` (event id -> mask) and ``ctx.shared["truce"]`` (draws where a
ceasefire event, e.g. a humanitarian pause, holds this week).
Events dated on or before ``meta.as_of`` are history and do not fire again.
In a counterfactual arm (``ctx.shared["without"]``) the events named there never happen;
their random numbers are still drawn, so every other event keeps its common random numbers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from polemos.engine.stage import NEVER, BaseStage, Context, State

NEGOTIATION_KINDS = {"summit", "negotiation"}


class EventsStage(BaseStage):
    name = "events"
    key = 1
    READS = ("events[].date", "events[].probability",)
    WRITES = ("event.<id>",)

    def init(self, ctx: Context) -> State:
        self.ctx = ctx
        sc = ctx.scenario
        self.events = [e for e in sc.events if sc.meta.as_of < e.date <= sc.meta.horizon]
        self.prob = {e.id: ctx.params.value(e.probability, 1.0) for e in self.events}
        self.switch_off(frozenset(ctx.shared.get("without", ())))
        self.by_week: dict[int, list[Any]] = {}
        for e in self.events:
            self.by_week.setdefault(ctx.week_of(e.date), []).append(e)
        ctx.shared["negotiating"] = np.zeros(ctx.n, dtype=bool)
        ctx.shared["fired"] = {}
        ctx.shared["truce"] = np.zeros(ctx.n, dtype=bool)
        return {f"event.{e.id}": np.zeros(ctx.n) for e in self.events}

    def step(self, state: State, week: int, date: dt.date, rng: np.random.Generator) -> None:
        negotiating = np.zeros(self.ctx.n, dtype=bool)
        truce = np.zeros(self.ctx.n, dtype=bool)
        fired: dict[str, np.ndarray] = {}
        for e in self.by_week.get(week, []):
            happens = rng.random(self.ctx.n) < self.prob[e.id]
            if e.id in self.off:
                happens[:] = False
            state[f"event.{e.id}"][happens] = 1.0
            fired[e.id] = happens
            if str(e.kind) in NEGOTIATION_KINDS:
                negotiating |= happens
            elif str(e.kind) == "ceasefire":
                truce |= happens
        self.ctx.shared["negotiating"] = negotiating
        self.ctx.shared["truce"] = truce
        self.ctx.shared["fired"] = fired

    def shared_weeks(self, without: frozenset[str]) -> int:
        """Weeks before the first switched-off event's week (its random numbers are drawn
        in both arms, so earlier weeks step alike)."""
        weeks = [w for w, events in self.by_week.items() if any(e.id in without for e in events)]
        return max(0, min(weeks) - 1) if weeks else NEVER

    def switch_off(self, without: frozenset[str]) -> None:
        self.off = frozenset(without) & {e.id for e in self.events}
