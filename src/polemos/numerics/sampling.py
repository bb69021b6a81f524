"""Designs on the unit hypercube: plain Monte Carlo, Latin hypercube, scrambled Sobol.

Each returns an ``(n, d)`` array in [0, 1) from an explicit generator; quantities are
then mapped through their inverse CDFs (:func:`polemos.scenario.quantities.ppf`).
References: McKay, Beckman & Conover (1979) for Latin hypercube sampling; Sobol' (1967)
and Owen (1998) for scrambled Sobol sequences, as implemented in :mod:`scipy.stats.qmc`.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np


class Design(StrEnum):
    plain = "plain"
    lhs = "lhs"
    sobol = "sobol"


def unit_samples(design: Design | str, n: int, d: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points in ``[0, 1)^d`` from ``design``, drawn with ``rng``."""
    design = Design(design)
    if d == 0:
        return np.empty((n, 0))
    if design is Design.plain:
        return rng.random((n, d))
    from scipy.stats import qmc  # only for these designs: scipy.stats takes 0.3 s to load

    if design is Design.lhs:
        return qmc.LatinHypercube(d=d, rng=rng).random(n)
    sampler = qmc.Sobol(d=d, scramble=True, rng=rng)
    m = int(np.ceil(np.log2(max(n, 2))))
    return sampler.random_base2(m)[:n]
