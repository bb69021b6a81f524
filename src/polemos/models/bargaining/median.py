"""Weighted median voter / Condorcet winner from pairwise weighted votes.

Each candidate is one actor's position. Voter ``k`` (weight ``w_k = c_k s_k``) prefers
candidate ``a`` to ``b`` when ``d_k(a) < d_k(b)``, with ``d_k`` the salience-weighted
Euclidean distance from ``k``'s own position. The pairwise margin is

.. math::  m(a, b) = \\sum_k w_k\\,[d_k(a) < d_k(b)] - \\sum_k w_k\\,[d_k(b) < d_k(a)]

and the winner is the candidate whose worst margin is largest (Simpson-Kramer minimax):
the Condorcet winner whenever one exists, which in one dimension is the weighted median
(Black 1948, "On the rationale of group decision-making", J. Political Economy 56:23-34;
as used by Bueno de Mesquita 1994 for the initial forecast).
"""

from __future__ import annotations

import numpy as np

from polemos.models.bargaining._common import as_draws

CITATION = (
    "Black, D. (1948). On the rationale of group decision-making. J. Political Economy "
    "56(1):23-34; Bueno de Mesquita (1994) in European Community Decision Making, Yale UP."
)


def pairwise_margins(capability, position, salience) -> np.ndarray:
    """Weighted pairwise vote margins ``m[d, a, b]`` between actor positions ``a`` and ``b``."""
    c = as_draws(capability, "capability", 2)
    x = np.asarray(position, dtype=float)
    if x.ndim == 2:
        x = x[..., None]
    s = np.asarray(salience, dtype=float)
    if s.ndim == 2:
        w = c * s
        sw = np.ones_like(x)
    else:
        w = c
        sw = s
    # dist[d, k, a]: salience-weighted distance of voter k to candidate a
    diff = x[:, None, :, :] - x[:, :, None, :]
    dist = np.sqrt((sw[:, :, None, :] * diff**2).sum(-1))
    pref = np.sign(dist[:, :, None, :] - dist[:, :, :, None])  # +1 when k prefers a to b
    return np.einsum("dk,dkab->dab", w, pref)


def run(capability, position, salience, rng: np.random.Generator | None = None) -> dict:
    """Condorcet winner among actor positions under weighted pairwise votes (Black 1948).

    ``forecast`` is the position of the candidate maximising ``min_b m(a, b)`` with
    ``m(a, b) = sum_k c_k s_k sign(d_k(b) - d_k(a))``; ties go to the lowest actor index.
    ``condorcet`` is 1.0 where that candidate beats or ties every other (a true Condorcet
    winner), else 0.0. ``rng`` is unused.
    """
    x = np.asarray(position, dtype=float)
    m = pairwise_margins(capability, x, salience)
    n = m.shape[-1]
    eye = np.eye(n, dtype=bool)
    worst = np.where(eye, np.inf, m).min(axis=-1)
    best = np.argmax(worst, axis=-1)
    if x.ndim == 2:
        forecast = np.take_along_axis(x, best[:, None], axis=1)[:, 0]
    else:
        forecast = np.take_along_axis(x, best[:, None, None], axis=1)[:, 0]
    condorcet = (np.take_along_axis(worst, best[:, None], axis=1)[:, 0] >= -1e-12).astype(float)
    return {"forecast": forecast, "winner": best, "condorcet": condorcet}
