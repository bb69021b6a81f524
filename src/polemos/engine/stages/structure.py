"""Structural power: the ``structure`` section through the structure family's pipeline
(:func:`polemos.models.structure.simulate.simulate`: capability projections, overtaking,
power-transition war hazard).

Structural change runs on a scale of years, longer than a scenario's horizon, so the
stage simulates the section once per block at set-up and holds its horizon values
(``structure.share.<actor>``, ``structure.ratio.<a>_<b>``, ``structure.overtaken.<a>``,
``structure.war_hazard``) as constant state variables; they enter outcomes and claims
(and, as draws, the sensitivity analysis) but do not feed the weekly loop. Base levels
``from_cow`` are filled from the Correlates of War data (read once per process).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import numpy as np

from polemos.engine.feed import fed_copy
from polemos.engine.stage import BaseStage, Context, State


@lru_cache(maxsize=4)
def _nmc():
    from polemos.datasets import capabilities as cap

    return cap.load_nmc(None)


def _filled(section: Any) -> Any:
    blocs = [*section.powers, *([section.rest_of_world] if section.rest_of_world else [])]
    if all(b.components is not None for b in blocs):
        return section
    from polemos.datasets import capabilities as cap
    from polemos.models.structure.simulate import fill_components
    from polemos.scenario.errors import Problem, ScenarioError

    try:
        nmc = _nmc()
        return fill_components(section, lambda c, y: cap.components_for(nmc, c, y),
                               lambda y: cap.system_totals(nmc, y))
    except Exception as exc:  # noqa: BLE001 - reported as a located scenario problem
        raise ScenarioError([Problem("<scenario>", None, None, "structure",
                                     f"from_cow: {exc}",
                                     "give components explicitly, or install the COW data")]
                            ) from None


class StructureStage(BaseStage):
    name = "structure"
    key = 7
    section = "structure"
    WRITES = ("structure.share.<actor>", "structure.ratio.<a>_<b>",
              "structure.overtaken.<a>", "structure.war_hazard")

    def init(self, ctx: Context) -> State:
        from polemos.models.structure import simulate

        sec = _filled(fed_copy(ctx.scenario.structure, ctx.params, "structure"))
        run = simulate.simulate(sec, ctx.n, ctx.init_rng(self.key))
        return {k: np.asarray(v, dtype=float).copy() for k, v in simulate.state(run).items()}

    def step(self, state: State, week: int, date: dt.date, rng: np.random.Generator) -> None:
        return None
