"""Escalation: the ``escalation`` section through the escalation family's ladder kernel
(:func:`polemos.models.escalation.ladder.step`: logit quantal response over moves with
red lines, finite stocks and unintended steps).

Reads the battlefield trend, written by the attrition stage: the week's change of depth
in each theatre, signed for the ladder's side ``a`` and squashed by
``tanh(km / advance_scale_km)``, plus ``force_weight`` times the change since the start of
the log ratio of the two sides' forces (``forces.<actor>``, summed over the ladder's
actors on each side); the sum is clipped to [-1, 1]. A losing side values escalation
more (``loss_weight``) and raises the unintended-step hazard (``loss_hazard``); crossed
red lines raise it too (``chance_weight``); deterrence (the opponents' red lines and
the severities above, weighted by ``risk_weight``) pulls the other way. Reads the state of
talks (1 in a week of
negotiation, 0 otherwise). A move withheld (``enabled: false``) with an ``event`` is
released in the draws where the events stage fires that event. Writes the section's
names: ``escalation.rung``, ``escalation.current``, ``escalation.reached.<rung>``,
``nuclear_use`` and ``stocks.<actor>.<move>``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from polemos.engine.feed import fed_copy
from polemos.engine.stage import BaseStage, Context, State


class EscalationStage(BaseStage):
    name = "escalation"
    key = 6
    section = "escalation"
    READS = ("advance.<theatre>", "forces.<actor>", "negotiating (shared)",
             "events fired this week")
    WRITES = ("escalation.rung", "escalation.current", "escalation.reached.<rung>",
              "nuclear_use", "stocks.<actor>.<move>")

    def init(self, ctx: Context) -> State:
        from polemos.models.escalation import build, ladder

        self.ctx, self.ladder, self.build = ctx, ladder, build
        sec = fed_copy(ctx.scenario.escalation, ctx.params, "escalation")
        self.p, self.layout = build.ladder_inputs(sec, ctx.n, ctx.init_rng(self.key))
        self.state = ladder.initial_state(self.p, self.layout.start)
        self.tables = ladder.prepare(self.p)
        sides = {a.actor: (1.0 if str(a.side) == "a" else -1.0) for a in sec.actors}
        self.theatres = []
        for th in getattr(ctx.scenario, "theatres", None) or []:
            self.theatres.append((f"advance.{th.id}", sides.get(th.attacker, 0.0)))
        esc = ctx.scenario.escalation
        self.scale_km = np.maximum(ctx.params.value(esc.advance_scale_km), 1e-9)
        self.force_weight = ctx.params.value(esc.force_weight)
        self.side_actors = {s: [a.actor for a in esc.actors if str(a.side) == s]
                            for s in ("a", "b")}
        self.ratio0: np.ndarray | None = None
        self.last_depth: dict[str, np.ndarray] = {}
        self.releases: dict[str, list[int]] = {}
        for j, mv in enumerate(sec.moves):
            if not mv.enabled and mv.event is not None:
                self.releases.setdefault(mv.event, []).append(j)
        return self._values()

    def _values(self) -> State:
        return {k: np.asarray(v, dtype=float).copy()
                for k, v in self.build.state_values(self.state, self.layout).items()}

    def _log_force_ratio(self, state: State) -> np.ndarray | None:
        """log(forces of side a / forces of side b) over the ladder's actors, or None."""
        totals = []
        for side in ("a", "b"):
            arrs = [state[f"forces.{a}"] for a in self.side_actors[side]
                    if f"forces.{a}" in state]
            if not arrs:
                return None
            totals.append(np.maximum(np.sum(arrs, axis=0), 1e-9))
        return np.log(totals[0] / totals[1])

    def _battlefield(self, state: State) -> np.ndarray:
        trend = np.zeros(self.ctx.n)
        for name, sign in self.theatres:
            depth = state.get(name)
            if depth is None:
                continue
            prev = self.last_depth.get(name, depth)
            trend += sign * np.tanh((depth - prev) / self.scale_km)
            self.last_depth[name] = depth.copy()
        ratio = self._log_force_ratio(state)
        if ratio is not None:
            if self.ratio0 is None:
                self.ratio0 = ratio.copy()
            trend += self.force_weight * (ratio - self.ratio0)
        return np.clip(trend, -1.0, 1.0)

    def step(self, state: State, week: int, date: dt.date, rng: np.random.Generator) -> None:
        fired = self.ctx.shared.get("fired", {})
        for eid, cols in self.releases.items():
            if eid in fired:
                self.p.enabled[np.ix_(fired[eid], cols)] = True
        talks = self.ctx.shared.get("negotiating", np.zeros(self.ctx.n, dtype=bool))
        self.state = self.ladder.step(self.state, self.p, rng, self._battlefield(state),
                                      talks.astype(float), self.tables, inplace=True)
        for name, arr in self.build.state_values(self.state, self.layout).items():
            state[name][:] = arr  # cast to float as it is written: no copy first
