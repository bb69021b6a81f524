"""Attrition and the front: the ``theatres`` section through the attrition family's
:class:`~polemos.models.attrition.build.TheatreSim` (Lanchester law with force
generation, rate of advance, fall of towns).

Reads ``ceasefire`` (last week's) and this week's humanitarian truces (no fighting in
those draws: both sides' fire multipliers are zero, so neither side takes losses and the
front stands), and the economy's defence-spending index when the economy stage runs
(``ctx.shared["defence_index"]``, relative to its first week: recruitment scales with
it, capped at ``theatres[].defence_index_cap`` (default 3), and combat power with its
power ``theatres[].munitions_exponent`` (default 1/3, the cube root), the budget paying
for munitions; both judgements, docs/assumptions.md). Writes the
section's names: ``forces.<theatre>.<actor>``, ``losses...``, ``recruited...``,
``advance.<theatre>``, ``territory.<theatre>``, ``town.<theatre>.<town>`` and
``forces.<actor>`` (all theatres).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from polemos.engine.feed import fed_copy
from polemos.engine.stage import BaseStage, Context, State


class AttritionStage(BaseStage):
    name = "attrition"
    key = 5
    section = "theatres"
    READS = ("ceasefire", "economy defence index")
    WRITES = ("forces.<theatre>.<actor>", "losses.<theatre>.<actor>", "advance.<theatre>",
              "territory.<theatre>", "town.<theatre>.<town>", "forces.<actor>")

    def active(self, scenario: Any) -> bool:
        return bool(getattr(scenario, "theatres", None))

    def init(self, ctx: Context) -> State:
        from polemos.models.attrition.build import TheatreSim

        self.ctx = ctx
        rng = ctx.init_rng(self.key)
        self.sims = [TheatreSim(fed_copy(th, ctx.params, f"theatres.{th.id}"), ctx.n, rng)
                     for th in ctx.scenario.theatres]
        self.base_index: dict[str, np.ndarray] = {}
        self.cap, self.exponent = [], []
        for th in ctx.scenario.theatres:
            self.cap.append(ctx.params.value(th.defence_index_cap, 3.0))
            e = ctx.params.value(th.munitions_exponent, 1.0 / 3.0)
            # the default as np.cbrt, as before the field (same bits)
            self.exponent.append(None if np.all(e == 1.0 / 3.0) else e)
        return self._state()

    def _state(self, copy: bool = True) -> State:
        """The stage's variables; ``copy=False`` (views, for copying into the state)."""
        out: State = {}
        totals: dict[str, np.ndarray] = {}
        for sim in self.sims:
            for name, arr in sim.state().items():
                out[name] = np.array(arr, dtype=float, copy=copy or None)
            for actor, side in zip(sim.actors, (sim.state_.red, sim.state_.blue), strict=True):
                totals[actor] = totals.get(actor, 0.0) + side.forces
        for actor, f in totals.items():
            out[f"forces.{actor}"] = np.array(f, dtype=float, copy=copy or None)
        return out

    def step(self, state: State, week: int, date: dt.date, rng: np.random.Generator) -> None:
        quiet = state.get("ceasefire", np.zeros(self.ctx.n)) > 0
        quiet = quiet | self.ctx.shared.get("truce", np.zeros(self.ctx.n, dtype=bool))
        index = self.ctx.shared.get("defence_index", {})
        for sim, cap, exponent in zip(self.sims, self.cap, self.exponent, strict=True):
            sim.rng = rng
            recruit, mult = {}, {}
            for i, actor in enumerate(sim.actors):
                ratio = np.ones(self.ctx.n)
                if actor in index:
                    base = self.base_index.setdefault(actor, np.maximum(index[actor], 1e-9))
                    ratio = np.clip(index[actor] / base, 0.0, cap)
                    recruit[actor] = sim.inputs[i].recruit * ratio
                power = np.cbrt(ratio) if exponent is None else ratio ** exponent
                mult[actor] = np.where(quiet, 0.0, power)
            sim.step(recruit=recruit or None, multiplier=mult)
        for name, arr in self._state(copy=False).items():
            state[name][:] = arr
