"""One actor's economy as a weekly stepper, for the coupled engine.

    econ = ActorStepper(scenario, "RUS", n, rng, value=ctx.params.value, event_driven=True)
    state.update(econ.variables())          # initial values, named economy.RUS.*
    ...each week:
    econ.fire("new_package", mask, week)    # when the engine's events stage fires an event
    state.update(econ.advance(week, rng))   # one step of war_economy.step

With ``event_driven=True`` measures that start with an event wait for :meth:`fire`
(the engine decides whether and when the event happens); otherwise the builder samples
the event from its probability and date. ``switch_off(ids)`` runs a counterfactual.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from polemos.models.economy.build import build_actor, event_columns
from polemos.models.economy.counterfactual import STATE_VARIABLES
from polemos.models.economy.war_economy import draw_starts, initial_state, step


class ActorStepper:
    """Parameters, measure starts and stocks of one actor's economy across steps."""

    def __init__(self, scenario: Any, actor: str, n_draws: int, rng: np.random.Generator,
                 value: Callable[[Any, float], np.ndarray] | None = None,
                 dt_weeks: float = 1.0, event_driven: bool = False):
        self.actor, self.dt_weeks = actor, dt_weeks
        self.params, self.measures = build_actor(scenario, actor, n_draws, rng, value)
        self.starts = draw_starts(self.measures, rng)
        self.event_cols = event_columns(scenario, actor)
        if event_driven:
            for cols in self.event_cols.values():
                self.starts[:, cols] = np.inf
        self.active = np.ones(len(self.measures.ids), dtype=bool)
        self.state = initial_state(self.params)
        self.flows: dict[str, np.ndarray] = {}

    def fire(self, event_id: str, mask: np.ndarray, week: float) -> None:
        """Start the measures tied to ``event_id`` in the draws of ``mask`` (first firing)."""
        for j in self.event_cols.get(event_id, []):
            col = self.starts[:, j]
            col[np.asarray(mask, bool) & ~np.isfinite(col)] = week

    def switch_off(self, ids: Sequence[str]) -> None:
        self.active = self.measures.active_mask(ids)

    def advance(self, week: float, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """One step from ``week``; returns the actor's state variables after it."""
        z = rng.standard_normal(self.params.n_draws)
        self.state, self.flows = step(self.params, self.measures, self.state, week,
                                      self.dt_weeks, z, self.starts, self.active)
        return self.variables()

    def variables(self) -> dict[str, np.ndarray]:
        """``economy.<actor>.<name>`` -> (n,) values of the last step (zeros before any)."""
        p = f"economy.{self.actor}"
        n = self.params.n_draws
        out = {}
        for name, key in STATE_VARIABLES.items():
            default = self.state.reserve if key == "reserve_fund" else np.zeros(n)
            out[f"{p}.{name}"] = np.asarray(self.flows.get(key, default), float)
        prod = self.flows.get("production", np.zeros((n, len(self.params.items))))
        for j, item in enumerate(self.params.items):
            out[f"{p}.production.{item}"] = prod[:, j]
        return out
