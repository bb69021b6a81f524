"""Collective bargaining models: who gets what on a contested issue.

One module per model, each a pure kernel over arrays with a leading draw axis:

* :mod:`.compromise`: capability x salience weighted mean (Achen 2006);
* :mod:`.median`: weighted median voter / Condorcet winner (Black 1948);
* :mod:`.eum`: Bueno de Mesquita's expected-utility challenge model (1994), per
  Scholz, Calbert & Smith (2011);
* :mod:`.smp`: a spatial model of politics in the manner of KTAB (Wise et al., KAPSARC);
* :mod:`.nash`: weighted Nash bargaining solution with a disagreement point.

Registered in :mod:`polemos.models.registry` as ``bargaining.<model>``.
"""

from __future__ import annotations

import numpy as np

from polemos.models.bargaining import compromise, eum, median, nash, smp
from polemos.models.registry import ModelSpec, register

__all__ = ["compromise", "eum", "median", "nash", "smp", "MODELS"]

N_ACTORS = 6


def _example_1d(rng: np.random.Generator, n_draws: int) -> dict:
    """A small 6-actor issue on a 0-100 scale with random capabilities and saliences."""
    return {
        "capability": rng.uniform(10, 100, (n_draws, N_ACTORS)),
        "position": rng.uniform(0, 100, (n_draws, N_ACTORS)),
        "salience": rng.uniform(0.2, 1.0, (n_draws, N_ACTORS)),
    }


def _example_eum(rng: np.random.Generator, n_draws: int) -> dict:
    return {**_example_1d(rng, n_draws), "rounds": 4, "scale": (0.0, 100.0)}


def _example_smp(rng: np.random.Generator, n_draws: int) -> dict:
    """5 actors, 2 dimensions; saliences sum to 0.5-0.99 per actor (KTAB's convention)."""
    raw = rng.uniform(0.1, 1.0, (n_draws, 5, 2))
    total = rng.uniform(0.5, 0.99, (n_draws, 5, 1))
    return {
        "capability": rng.uniform(10, 100, (n_draws, 5)),
        "position": rng.uniform(0, 100, (n_draws, 5, 2)),
        "salience": raw / raw.sum(axis=-1, keepdims=True) * total,
        "max_turns": 6,
    }


def _example_nash(rng: np.random.Generator, n_draws: int) -> dict:
    return {**_example_1d(rng, n_draws), "status_quo": rng.uniform(0, 100, n_draws)}


_IN_RANGE = (0.0, 100.0)

# (module, example, bounds of outputs, simplex axes, summary): one row per model
_TABLE = [
    (compromise, _example_1d, {"forecast": _IN_RANGE}, {},
     "Capability x salience weighted mean of positions."),
    (median, _example_1d, {"forecast": _IN_RANGE, "condorcet": (0.0, 1.0)}, {},
     "Weighted median voter / Condorcet winner among actor positions."),
    (eum, _example_eum,
     {"positions": _IN_RANGE, "median": _IN_RANGE, "mean": _IN_RANGE, "forecast": _IN_RANGE,
      "forecast_last": _IN_RANGE, "cycle_positions": _IN_RANGE, "cycle_low": _IN_RANGE,
      "cycle_high": _IN_RANGE, "risk": (0.5, 2.0)}, {},
     "Bueno de Mesquita's expected-utility challenge model (rounds of offers)."),
    (smp, _example_smp,
     {"positions": _IN_RANGE, "forecast": _IN_RANGE, "probabilities": (0.0, 1.0),
      "position_probability": (0.0, 1.0)}, {"probabilities": -1},
     "KTAB-style spatial model of politics: challenges, bargains, Condorcet election."),
    (nash, _example_nash, {"forecast": _IN_RANGE, "agreement": (0.0, 1.0)}, {},
     "Weighted Nash bargaining solution with a status-quo disagreement point."),
]

MODELS = [
    register(
        ModelSpec(
            name=f"bargaining.{module.__name__.rsplit('.', 1)[-1]}",
            run=module.run,
            example=example,
            citation=module.CITATION,
            bounds=bounds,
            simplex=simplex,
            summary=summary,
        )
    )
    for module, example, bounds, simplex, summary in _TABLE
]
