"""Structural power: the ``structure`` section through the structure family's pipeline
(:func:`polemos.models.structure.simulate.simulate`: capability projections, overtaking,
power-transition war hazard).

Structural change runs on a scale of years, so the stage simulates the section once per
block at set-up (yearly paths from ``base_year`` to ``base_year + horizon``) and then
moves its state variables (``structure.share.<actor>``, ``structure.ratio.<a>_<b>``,
``structure.overtaken.<a>``, ``structure.war_hazard``) year by year with the calendar:
in the week a date enters year Y they take that year's values (index ``Y - base_year``,
clipped to the projected years), so ``structure.* by DATE`` reads the year of DATE and
the last week the year of ``meta.horizon``. ``overtaken`` is true once the challenger
has been ahead by that year, ``war_hazard`` the cumulative onset probability to that
year. They enter outcomes and claims (and, as draws, the sensitivity analysis) but do
not feed the other stages. Base levels ``from_cow`` are filled from the Correlates of
War data (read once per process).
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
        self.paths = yearly_paths(run)
        self.base_year, self.last = int(run.years[0]), len(run.years) - 1
        self.index = self._index(ctx.start)
        return {k: v[:, self.index].copy() for k, v in self.paths.items()}

    def _index(self, date: dt.date) -> int:
        return min(max(date.year - self.base_year, 0), self.last)

    def step(self, state: State, week: int, date: dt.date, rng: np.random.Generator) -> None:
        index = self._index(date)
        if index != self.index:
            self.index = index
            for name, path in self.paths.items():
                state[name][:] = path[:, index]


def yearly_paths(run: Any) -> dict[str, np.ndarray]:
    """``(n, years)`` path of every state variable of a structure run (the values
    :func:`polemos.models.structure.simulate.state` gives at the last year)."""
    from polemos.models.structure.simulate import REST

    out: dict[str, np.ndarray] = {}
    for i, a in enumerate(run.actors):
        if a != REST:
            out[f"structure.share.{a}"] = run.cinc[:, :, i]
    t = np.arange(len(run.years))
    for j, target in enumerate(run.targets):
        out[f"structure.ratio.{target}_{run.dominant}"] = run.ratio[:, :, j]
        first = run.first_ahead[:, j, None]
        out[f"structure.overtaken.{target}"] = (first >= 0) & (first <= t)
    out["structure.war_hazard"] = run.war_cumulative
    return {k: np.asarray(v, dtype=float) for k, v in out.items()}
