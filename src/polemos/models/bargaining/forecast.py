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


def draw_inputs(
    capability: Sequence[Any],
    position: Sequence[Any],
    salience: Sequence[Any],
    n_draws: int,
    rng: np.random.Generator,
    status_quo: Sequence[Any] | None = None,
) -> dict[str, np.ndarray]:
    """Arrays with a leading draw axis from per-actor quantities (numbers or distributions).

    ``position`` and ``salience`` hold one quantity per actor, or one list per actor (one
    quantity per dimension): the arrays are then ``(n_draws, n_actors)`` or ``(n_draws,
    n_actors, n_dims)``. ``status_quo`` (optional) holds one quantity per dimension.
    Quantities are sampled independently through their inverse CDFs with uniforms from
    ``rng``, drawn in a fixed order, so results are reproducible. Saliences are returned
    as given (0-100 in scenario files).
    """
    n = len(capability)
    nested = n > 0 and isinstance(position[0], (list, tuple))
    pos = [list(row) if nested else [row] for row in position]
    sal = [list(row) if nested else [row] for row in salience]
    k = len(pos[0]) if n else 1
    qs = [*capability, *[q for row in pos for q in row], *[q for row in sal for q in row]]
    qs += list(status_quo or [])
    u = rng.random((n_draws, len(qs)))
    if all(isinstance(q, (int, float)) for q in qs):
        # plain numbers only (e.g. a CSV): constants, without loading the distributions
        # (SciPy); the same values as ``ppf`` gives, and the same draws consumed
        cols = np.tile(np.asarray(qs, dtype=float), (n_draws, 1))
    else:
        from polemos.scenario.quantities import ppf

        cols = np.stack([ppf(q, u[:, m]) for m, q in enumerate(qs)], axis=1)
    shape = (n_draws, n, k) if nested else (n_draws, n)
    out = {
        "capability": cols[:, :n],
        "position": cols[:, n : n + n * k].reshape(shape),
        "salience": cols[:, n + n * k : n + 2 * n * k].reshape(shape),
    }
    if status_quo:
        out["status_quo"] = cols[:, n + 2 * n * k :]
    return out


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
