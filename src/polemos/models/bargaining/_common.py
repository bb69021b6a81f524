"""Shared helpers of the bargaining family: input checks and weighted statistics.

Conventions used by every kernel of :mod:`polemos.models.bargaining`:

* ``capability``: ``(n_draws, n_actors)``, non-negative influence (any scale).
* ``position``: ``(n_draws, n_actors)`` for one issue, or ``(n_draws, n_actors, n_dims)``.
* ``salience``: same shape as ``position`` (or ``(n_draws, n_actors)``), in ``[0, 1]``
  (scenario files use 0-100; readers divide by 100).

Every kernel returns arrays with the same leading draw axis.
"""

from __future__ import annotations

import numpy as np


def as_draws(a, name: str, ndim: int) -> np.ndarray:
    """``a`` as a float array with a leading draw axis and exactly ``ndim`` dimensions."""
    arr = np.asarray(a, dtype=float)
    if arr.ndim == ndim - 1:
        arr = arr[None]
    if arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions (n_draws, ...), got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} has non-finite values; check the inputs")
    return arr


def check_inputs(capability, position, salience) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate and broadcast 1-D issue inputs to ``(n_draws, n_actors)`` float arrays."""
    c = as_draws(capability, "capability", 2)
    x = as_draws(position, "position", 2)
    s = as_draws(salience, "salience", 2)
    try:
        c, x, s = np.broadcast_arrays(c, x, s)
    except ValueError:
        raise ValueError(
            f"capability {c.shape}, position {x.shape} and salience {s.shape} do not match; "
            "each must be (n_draws, n_actors)"
        ) from None
    if (c < 0).any():
        raise ValueError("capability must be non-negative")
    if (s < 0).any() or (s > 1).any():
        raise ValueError("salience must lie in [0, 1] (divide 0-100 scores by 100)")
    return c.copy(), x.copy(), s.copy()


def weighted_median(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted (lower) median of ``x`` along the last axis, for each draw.

    The smallest ``x_k`` such that the weight at or below it is at least half the total:
    in one dimension with distance-based preferences this is the Condorcet winner among
    the actors' positions (Black 1948).
    """
    order = np.argsort(x, axis=-1, kind="stable")
    xs = np.take_along_axis(x, order, axis=-1)
    ws = np.take_along_axis(w, order, axis=-1)
    cum = np.cumsum(ws, axis=-1)
    half = 0.5 * cum[..., -1:]
    # tolerance so that an exact half (e.g. 33.85 of 67.7) is not lost to rounding
    idx = np.argmax(cum >= half * (1 - 1e-12), axis=-1)
    return np.take_along_axis(xs, idx[..., None], axis=-1)[..., 0]


def weighted_mean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted mean along the actor axis (axis 1); ``x`` may carry a trailing dim axis."""
    w = np.asarray(w, dtype=float)
    total = w.sum(axis=1, keepdims=True)
    total = np.where(total > 0, total, 1.0)
    if x.ndim == w.ndim + 1:
        return (x * (w / total)[..., None]).sum(axis=1)
    return (x * (w / total)).sum(axis=-1)
