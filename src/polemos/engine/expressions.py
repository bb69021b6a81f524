"""The engine's side of the expression language: environments over simulation state.

Outcome conditions and claims are parsed by :mod:`polemos.scenario.expr`; this module
gives them environments (``env.value(name, at) -> (n_draws,)``) over the live state of
a block (:class:`StepEnv`) or over the recorded observables of a whole run
(:class:`TableEnv`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np

Obs = tuple[str, dt.date | None]
Arm = frozenset[str]
"""A counterfactual arm: the economy measure and event ids switched off."""


def _expr():
    from polemos.scenario import expr

    return expr


@lru_cache(maxsize=1024)
def parse(text: str) -> Any:
    """The syntax tree of ``text`` (trees are immutable, so they are cached)."""
    return _expr().parse(text)


def evaluate(tree: Any, env: Any, weights: Any = None) -> np.ndarray:
    return np.asarray(_expr().evaluate(tree, env, weights=weights))


def checked(weights: np.ndarray) -> Any:
    """``weights`` checked once, for many evaluations (:class:`CheckedWeights`)."""
    from polemos.scenario.expr.evaluate import CheckedWeights

    return CheckedWeights(weights)


WITHOUT_TAG = "~without:"


def obs_column(name: str, at: dt.date | None, without: frozenset[str] = frozenset()) -> str:
    """The column that holds observable ``name`` at date ``at`` (``None``: the end), in
    the main arm or, for a non-empty ``without``, in that counterfactual arm
    (``o:name@date~without:id1,id2``, ids sorted)."""
    col = f"o:{name}" if at is None else f"o:{name}@{at.isoformat()}"
    return col + WITHOUT_TAG + ",".join(sorted(without)) if without else col


class StepEnv:
    """The live state of a block: current values, snapshots at past dates, outcomes."""

    def __init__(
        self,
        state: Mapping[str, np.ndarray],
        week_of: Callable[[dt.date], int],
        snapshots: Mapping[tuple[str, int], np.ndarray],
        reached: Mapping[str, np.ndarray],
    ):
        self.state = state
        self.week_of = week_of
        self.snapshots = snapshots
        self.reached = reached
        self.week = 0

    def value(self, name: str, at: dt.date | None = None) -> np.ndarray:
        if name in self.reached:  # an outcome id: reached by `at` (or by now)
            first = self.reached[name]
            limit = self.week if at is None else min(self.week, self.week_of(at))
            return ((first >= 0) & (first <= limit)).astype(float)
        if at is not None:
            snap = self.snapshots.get((name, self.week_of(at)))
            if snap is not None:
                return snap
        try:
            return self.state[name]
        except KeyError:
            raise KeyError(f"unknown state variable {name!r}") from None


class TableEnv:
    """Recorded observables of many draws (columns ``o:name[@date]``)."""

    def __init__(self, columns: Mapping[str, np.ndarray]):
        self.columns = columns

    def value(self, name: str, at: dt.date | None = None,
              without: frozenset[str] = frozenset()) -> np.ndarray:
        col = obs_column(name, at, without)
        if col not in self.columns:
            if without:
                ids = ", ".join(sorted(without))
                raise KeyError(f"{name!r} at {at} without {ids} was not recorded "
                               "(unknown measure or event id?)")
            raise KeyError(f"{name!r} at {at} was not recorded")
        return self.columns[col]
