"""The contract between the engine and its stages.

A stage adapts one model family to the weekly loop. ``init`` returns the variables it
owns as ``(n_draws,)`` arrays (the names outcome and claim expressions use, e.g.
``resolve.RUS``); ``step`` updates the shared state in place for one week, drawing
randomness only from the generator it is given. A stage is *active* for a scenario when
the scenario has what it needs (for family stages: its section).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np

from polemos.engine.params import Params

State = dict[str, np.ndarray]

NEVER = 2**31 - 1
"""``shared_weeks`` of a stage that steps alike whatever a counterfactual arm switches off."""


@dataclass
class Context:
    """What every stage may read: the scenario, the block's parameters, the calendar."""

    scenario: Any
    params: Params
    n: int
    start: dt.date
    weeks: int
    shared: dict[str, Any] = field(default_factory=dict)
    """Non-state data stages pass to each other within a block (e.g. summit flags)."""
    seed: int = 0
    block: int = 0
    wrap: Any = None
    """Optional ``wrap(generator) -> generator`` (e.g. common random numbers)."""

    def init_rng(self, key: int) -> np.random.Generator:
        """A stage's stream for its set-up (distinct from the one its steps get)."""
        from polemos.numerics.rng import child_generator

        gen = child_generator(self.seed, self.block, key, 1)
        return gen if self.wrap is None else self.wrap(gen)

    def date(self, week: int) -> dt.date:
        return self.start + dt.timedelta(days=7 * week)

    def week_of(self, day: dt.date) -> int:
        """The step whose end first reaches ``day`` (0 = the start), clipped to the run."""
        days = (day - self.start).days
        return int(min(max(-(-days // 7), 0), self.weeks))


@runtime_checkable
class Stage(Protocol):
    name: str
    key: int
    """A fixed small integer: the stage's child random stream within a block."""

    def active(self, scenario: Any) -> bool: ...

    def init(self, ctx: Context) -> State: ...

    def step(self, state: State, week: int, date: dt.date, rng: np.random.Generator) -> None: ...

    def reads(self) -> list[str]: ...

    def writes(self) -> list[str]: ...


class BaseStage:
    """Convenience base: always active unless ``section`` names a scenario section."""

    name = "stage"
    key = 99
    section: str | None = None
    READS: tuple[str, ...] = ()
    WRITES: tuple[str, ...] = ()

    def active(self, scenario: Any) -> bool:
        return self.section is None or getattr(scenario, self.section, None) is not None

    def reads(self) -> list[str]:
        return list(self.READS)

    def writes(self) -> list[str]:
        return list(self.WRITES)

    def shared_weeks(self, without: frozenset[str]) -> int:
        """How many leading weeks this stage, initialised for the main arm, steps exactly
        as it would in the counterfactual arm that switches ``without`` off.

        The engine forks an arm from the main arm after the fewest such weeks over the
        stages (0: the arm is simulated from the start). A stage that never reads
        ``ctx.shared["without"]`` steps alike until another stage's difference reaches it
        through the state, so it answers :data:`NEVER`; a stage that reads it must say
        when its own difference can begin, and :meth:`switch_off` must apply it.
        """
        return NEVER

    def switch_off(self, without: frozenset[str]) -> None:
        """Switch ``without`` off in a stage forked from the main arm (see
        :meth:`shared_weeks`); stages that never read ``without`` have nothing to do."""
