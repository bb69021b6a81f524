"""Blockade: the ``blockade`` section through the blockade family's theatre kernel
(:func:`polemos.models.blockade.theatre.step`): interdiction under a quarantine or a
kinetic blockade, escorts and convoys, shots at escorts, losses and war-risk insurance.

Reads the events fired this week (a blockade, an escort decision or a lifting tied to an
event starts in the draws where the events stage fires it) and the ladder's current rung
last week (``escalation.current``: at ``kinetic_rung`` the quarantine turns kinetic).
Writes ``blockade.<theatre>.<name>`` (shots at escorts, ships lost, premium ...: names the
escalation ladder, outcomes and claims can read) and, for the economy's trade matrix,
``ctx.shared["blockade_reach"][theatre]``: the share of shipping getting through.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from polemos.engine.stage import BaseStage, Context, State


class BlockadeStage(BaseStage):
    name = "blockade"
    key = 8
    section = "blockade"
    READS = ("events fired this week", "escalation.current (last week)")
    WRITES = ("blockade.<theatre>.<variable>", "blockade reach (shared)")

    def init(self, ctx: Context) -> State:
        from polemos.models.blockade import build, theatre
        from polemos.models.blockade.section import VARIABLES

        self.ctx, self.k = ctx, theatre
        sec = ctx.scenario.blockade
        self.params = build.build_theatres(ctx.scenario, ctx.n, ctx.init_rng(self.key),
                                           value=ctx.params.value, fire_events=False)
        self.theatres = list(sec.theatres)
        self.states = {th.id: theatre.initial_state(self.params[th.id]) for th in self.theatres}
        ctx.shared["blockade_reach"] = {th.id: np.ones(ctx.n) for th in self.theatres}
        return {f"blockade.{th.id}.{v}": np.zeros(ctx.n) for th in self.theatres
                for v in VARIABLES}

    def _fire(self, th, week: int) -> None:
        fired = self.ctx.shared.get("fired", {})
        p = self.params[th.id]
        esc = th.escorts
        for ev, arr in ((th.event, p.start), (th.end_event, p.end),
                        (None if esc is None else esc.event, p.escort_start)):
            if ev is not None and ev in fired:
                arr[fired[ev] & np.isinf(arr)] = week - 1.0

    def step(self, state: State, week: int, date: dt.date, rng: np.random.Generator) -> None:
        rung = state.get("escalation.current", np.zeros(self.ctx.n))
        for th in self.theatres:
            self._fire(th, week)
            u = rng.random(self.ctx.n)
            self.states[th.id], values = self.k.step(self.params[th.id], self.states[th.id],
                                                     float(week - 1), 1.0, rung, u, rng)
            for k, v in values.items():
                state[f"blockade.{th.id}.{k}"][:] = v
            self.ctx.shared["blockade_reach"][th.id] = values["reach"]
