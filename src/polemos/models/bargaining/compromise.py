"""Compromise model: the capability x salience weighted mean of positions.

.. math::  \\hat{x} = \\frac{\\sum_i c_i s_i x_i}{\\sum_i c_i s_i}

The simplest of the collective-choice models, and in comparisons on EU legislative
decisions the most accurate (Achen 2006, "Evaluating political decision-making models",
in Thomson, Stokman, Achen & Koenig (eds.), *The European Union Decides*, CUP, ch. 10,
eq. for the "compromise model"; van den Bos 1991).
"""

from __future__ import annotations

import numpy as np

from polemos.models.bargaining._common import as_draws, weighted_mean

CITATION = (
    "Achen, C. H. (2006). Evaluating political decision-making models. In Thomson et al. "
    "(eds.), The European Union Decides, Cambridge UP, ch. 10 (compromise model)."
)


def run(capability, position, salience, rng: np.random.Generator | None = None) -> dict:
    """Capability x salience weighted mean of positions (Achen 2006, compromise model).

    ``forecast = sum_i c_i s_i x_i / sum_i c_i s_i`` per draw (and per dimension when
    ``position`` is ``(n_draws, n_actors, n_dims)``; a 2-D salience then applies to every
    dimension). ``rng`` is unused: the model is deterministic given its inputs.

    Returns ``{"forecast": (n_draws[, n_dims]), "positions": position}``.
    """
    x = np.asarray(position, dtype=float)
    c = as_draws(capability, "capability", 2)
    if x.ndim == 2:
        s = as_draws(salience, "salience", 2)
        w = c * s
        return {"forecast": weighted_mean(x, w), "positions": x.copy()}
    x = as_draws(x, "position", 3)
    s = np.asarray(salience, dtype=float)
    if s.ndim == 2:
        s = np.repeat(s[..., None], x.shape[-1], axis=-1)
    w = c[..., None] * s
    tot = np.where(w.sum(axis=1) > 0, w.sum(axis=1), 1.0)
    return {"forecast": (w * x).sum(axis=1) / tot, "positions": x.copy()}
