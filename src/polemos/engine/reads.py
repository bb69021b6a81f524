"""Which inputs of a scenario the models actually read.

An input that no model reads changes nothing, so a claim cannot depend on it and a
driver list must not name it; a user who writes one deserves to be told. We find the
reads by watching: a short simulation (a few draws over the whole horizon) runs every
active stage's ``init`` and ``step`` while attribute reads on the scenario's objects
are recorded. An input (a number, a distribution or a mapping of numbers the file
states) counts as read when a stage fetched it from the object that holds it. Inputs
under ``meta``, ``outcomes``, ``claims`` and ``questions`` are not model inputs.

A scenario declares inputs that are context rather than model input under
``meta.descriptive`` (dotted-path patterns with ``*`` wildcards, e.g.
``actors.*.capabilities.*``); those are exempt from the warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel

from polemos.scenario.base import StrictModel
from polemos.scenario.quantities import _Dist

NOT_INPUTS = ("meta", "outcomes", "claims", "questions")
TRACK_DRAWS = 64
"""Draws of the watching run: enough that rare branches (an event that fires with a
small probability, a summit) are taken in some draw."""


@dataclass(frozen=True)
class Input:
    """One stated input: its dotted path (ids), location (indices) and holder."""

    path: str
    loc: tuple[Any, ...]
    owner: Any
    field: str


def _join(prefix: str, part: Any) -> str:
    if isinstance(part, int):
        return f"{prefix}[{part}]"
    return f"{prefix}.{part}" if prefix else str(part)


def _numeric(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, _Dist)):
        return True
    if isinstance(value, dict) and value:
        return all(_numeric(v) for v in value.values())
    if isinstance(value, (list, tuple)) and value:
        return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    return False


def stated_inputs(obj: Any, path: str = "", loc: tuple[Any, ...] = ()) -> Iterator[Input]:
    """Every numeric input the file states (fields set explicitly, not defaults)."""
    if isinstance(obj, BaseModel) and not isinstance(obj, _Dist):
        for name in type(obj).model_fields:
            if name not in obj.model_fields_set or (not path and name in NOT_INPUTS):
                continue
            value = getattr(obj, name)
            p, lc = _join(path, name), (*loc, name)
            if _numeric(value):
                yield Input(p, lc, obj, name)
            else:
                yield from stated_inputs(value, p, lc)
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from stated_inputs(value, _join(path, str(key)), (*loc, key))
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            ident = getattr(item, "id", None)
            yield from stated_inputs(item, _join(path, ident if isinstance(ident, str) else i),
                                     (*loc, i))


class _Watch:
    """Records ``(id(object), field)`` for attribute reads on scenario objects."""

    def __init__(self) -> None:
        self.seen: set[tuple[int, str]] = set()
        self.on = False

    def __enter__(self) -> _Watch:
        watch = self
        original = StrictModel.__getattribute__

        def getattribute(obj: Any, name: str) -> Any:
            if watch.on and not name.startswith("_"):
                watch.seen.add((id(obj), name))
            return original(obj, name)

        self._original = original
        StrictModel.__getattribute__ = getattribute  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: Any) -> None:
        StrictModel.__getattribute__ = self._original  # type: ignore[method-assign]


def watched_reads(scenario: Any, draws: int = TRACK_DRAWS, seed: int = 0) -> set[tuple[int, str]]:
    """``(id(holder), field)`` of every scenario attribute the stages read in a short run."""
    from polemos.engine.loop import block_unit_samples, horizon_weeks
    from polemos.engine.params import Params, ParamSpace
    from polemos.engine.stage import Context
    from polemos.engine.stages import active_stages
    from polemos.numerics.rng import child_generator

    space = ParamSpace.from_scenario(scenario)
    stages = active_stages(scenario)
    u = block_unit_samples(space, "plain", seed, 0, draws)
    weeks = horizon_weeks(scenario)
    with _Watch() as watch:
        ctx = Context(scenario, Params(space, u), draws, scenario.meta.as_of, weeks,
                      seed=seed, block=0)
        state: dict[str, np.ndarray] = {"week": np.zeros(draws)}
        with np.errstate(all="ignore"):
            for stage in stages:
                watch.on = True
                try:
                    state.update(stage.init(ctx))
                finally:
                    watch.on = False
            rngs = [child_generator(seed, 0, stage.key) for stage in stages]
            for week in range(1, weeks + 1):
                state["week"][:] = float(week)
                date = ctx.date(week)
                for stage, rng in zip(stages, rngs, strict=True):
                    watch.on = True
                    try:
                        stage.step(state, week, date, rng)
                    finally:
                        watch.on = False
    return watch.seen


def descriptive_patterns(scenario: Any) -> list[str]:
    return list(getattr(scenario.meta, "descriptive", None) or [])


def is_descriptive(path: str, patterns: list[str]) -> bool:
    """Whether ``path`` matches a pattern (``*`` matches any characters, dots included;
    everything else literally, brackets too)."""
    return any(re.fullmatch(".*".join(map(re.escape, pat.split("*"))), path) for pat in patterns)


@dataclass
class ReadReport:
    """Stated inputs sorted by whether a model reads them."""

    read: list[Input]
    unread: list[Input]
    descriptive: list[Input]
    parameters_read: set[str]
    """ParamSpace names of the uncertain inputs some model reads."""


def read_report(scenario: Any) -> ReadReport:
    """Which stated inputs of ``scenario`` the models read (see the module doc)."""
    from polemos.engine.params import ParamSpace

    seen = watched_reads(scenario)
    patterns = descriptive_patterns(scenario)
    read, unread, context = [], [], []
    holder_of: dict[int, Input] = {}
    for item in stated_inputs(scenario):
        holder_of[id(getattr(item.owner, item.field))] = item
        if (id(item.owner), item.field) in seen:
            read.append(item)
        elif is_descriptive(item.path, patterns):
            context.append(item)
        else:
            unread.append(item)
    params = set()
    for p in ParamSpace.from_scenario(scenario).parameters:
        item = holder_of.get(id(p.quantity))
        # a distribution inside a stated mapping has no holder of its own: counted as read
        if item is None or (id(item.owner), item.field) in seen:
            params.add(p.path)
    return ReadReport(read, unread, context, params)
