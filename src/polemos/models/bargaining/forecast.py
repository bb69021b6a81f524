"""Monte Carlo forecast helpers shared by the bargaining models.

A forecast is the distribution, over draws, of a model's predicted outcome; inputs are
drawn from the scenario's distributions of capabilities, positions and saliences
(:func:`draw_inputs`). The *zone of possible agreement* (ZOPA) on one issue is the set
of outcomes that every actor who cares about the issue strictly prefers to its value of
no agreement: the status quo when one is given, else the expected value of the
capability-weighted lottery over the actors' positions less a cost of no agreement
(Fearon 1995; :mod:`polemos.models.bargaining.nash` gives the formulas).
:func:`zopa_probability` is the share of draws in which that set is not empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from polemos.models.bargaining import nash
from polemos.scenario.quantities import ppf


def draw_inputs(
    capability: Sequence[Any],
    position: Sequence[Any],
    salience: Sequence[Any],
    n_draws: int,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """``(n_draws, n_actors)`` arrays from per-actor quantities (numbers or distributions).

    Each quantity is sampled independently through its inverse CDF with uniforms from
    ``rng`` (one stream, drawn in a fixed order, so results are reproducible).
    """
    qs = [*capability, *position, *salience]
    u = rng.random((n_draws, len(qs)))
    cols = [ppf(q, u[:, k]) for k, q in enumerate(qs)]
    n = len(capability)
    arr = np.stack(cols, axis=1) if cols else np.empty((n_draws, 0))
    return {
        "capability": arr[:, :n],
        "position": arr[:, n : 2 * n],
        "salience": arr[:, 2 * n :],
    }


def summarize(forecast: np.ndarray, levels: tuple[float, float] = (0.05, 0.95)) -> dict:
    """Mean, median and central interval of a forecast distribution (1-D over draws)."""
    f = np.asarray(forecast, dtype=float)
    lo, hi = np.quantile(f, levels)
    return {
        "mean": float(f.mean()),
        "median": float(np.median(f)),
        "interval": [float(lo), float(hi)],
        "levels": list(levels),
    }


def zopa_probability(
    capability, position, salience, status_quo=None, cost: float | None = None
) -> float:
    """Share of draws in which a zone of possible agreement exists (see module docstring)."""
    return float(nash.zone(capability, position, salience, status_quo, cost)[2].mean())
