"""Weighted (asymmetric) Nash bargaining solution on one issue, with a disagreement point.

Actor ``i`` at position ``x_i`` with salience ``s_i`` values an agreement ``z`` at
``u_i(z) = -s_i |z - x_i|``; without agreement it gets ``u_i(q)`` at the disagreement
point ``q`` (the status quo), or, when no status quo is given, the expected value of the
capability-weighted lottery over the actors' positions (each actor's position prevails
with probability ``c_k / sum c``: Fearon's 1995 costly lottery) less a cost ``kappa`` of
no agreement (in units of the issue; default 5 % of the range of positions; an actor
bears it in proportion to ``1 / s_i``: what it cares little about it concedes cheaply).
Writing ``rho_i`` for the distance at which ``i`` is indifferent to disagreement
(``rho_i = |q - x_i| + kappa / s_i`` or ``sum_k p_k |x_k - x_i| + kappa / s_i``), the
solution is

.. math::  z^* = \\arg\\max_z \\sum_i c_i \\log(\\rho_i - |z - x_i|)

over the zone of possible agreement ``(max_i(x_i - rho_i), min_i(x_i + rho_i))`` (Nash
1950, "The bargaining problem", Econometrica 18:155-162; asymmetric weights per Kalai
1977, "Nonsymmetric Nash solutions", Int. J. Game Theory 6:129-133; Roth 1979). The
salience factor ``s_i`` cancels in the logarithm: it decides the zone, not the split.
"""

from __future__ import annotations

import numpy as np

from polemos.models.bargaining._common import check_inputs

CITATION = (
    "Nash, J. (1950). The bargaining problem. Econometrica 18(2):155-162; Kalai, E. (1977). "
    "Nonsymmetric Nash solutions and replications of 2-person bargaining. IJGT 6:129-133."
)


LOTTERY_COST = 0.05
MIN_SALIENCE = 0.05


def indifference_radius(
    capability, position, salience, status_quo=None, cost: float | None = None
) -> np.ndarray:
    """``rho[d, i]``: the distance from ``x_i`` at which ``i`` is indifferent to no agreement.

    ``cost=None``: 0 with a status quo, else ``LOTTERY_COST`` x the range of positions.
    """
    c = np.asarray(capability, dtype=float)
    x = np.asarray(position, dtype=float)
    s = np.maximum(np.asarray(salience, dtype=float), MIN_SALIENCE)
    if cost is None:
        kappa = 0.0 if status_quo is not None else LOTTERY_COST * (x.max(1) - x.min(1))
    else:
        kappa = np.full(x.shape[0], float(cost))
    kappa = np.broadcast_to(kappa, x.shape[:1])[:, None] / s
    if status_quo is not None:
        q = np.broadcast_to(np.asarray(status_quo, dtype=float), x.shape[:1])
        return np.abs(q[:, None] - x) + kappa
    tot = c.sum(axis=1, keepdims=True)
    p = c / np.where(tot > 0, tot, 1.0)
    return np.einsum("dk,dki->di", p, np.abs(x[:, :, None] - x[:, None, :])) + kappa


def zone(capability, position, salience, status_quo=None, cost: float | None = None):
    """The zone of possible agreement ``(low, high, exists)`` for every draw.

    ZOPA: the set of agreements that *every* actor with positive salience strictly prefers
    to its value of no agreement (the status quo less its cost, or the expected value of
    the power-weighted lottery less its cost; see the module docstring). It exists when
    ``low < high``. Actors with zero salience are indifferent to everything and do not
    constrain the zone.
    """
    c, x, s = check_inputs(capability, position, salience)
    rho = indifference_radius(c, x, s, status_quo, cost)
    care = s > 0
    low = np.where(care, x - rho, -np.inf).max(axis=1)
    high = np.where(care, x + rho, np.inf).min(axis=1)
    return low, high, low < high


def run(
    capability,
    position,
    salience,
    rng: np.random.Generator | None = None,
    status_quo=None,
    cost: float | None = None,
    iterations: int = 100,
) -> dict[str, np.ndarray]:
    """Weighted Nash bargaining solution (Nash 1950; Kalai 1977) with a disagreement point.

    Maximises ``sum_i c_i log(rho_i - |z - x_i|)`` over the zone of possible agreement (see
    the module docstring) by golden-section search, vectorised over draws (the objective
    is concave there). ``status_quo``: ``(n_draws,)`` or a scalar disagreement point;
    ``None`` uses the capability-weighted lottery over positions; ``cost`` of no agreement
    in issue units (``None``: 0 with a status quo, 5 % of the positions' range without).

    Returns ``forecast`` (the solution, or the disagreement outcome where no zone exists:
    the status quo, else the lottery's mean), ``agreement`` (1.0 where a zone exists) and
    the zone's ``zopa_low`` / ``zopa_high`` (NaN-free: equal to the forecast when empty).
    ``rng`` is unused.
    """
    c, x, s = check_inputs(capability, position, salience)
    low, high, exists = zone(c, x, s, status_quo, cost)
    rho = indifference_radius(c, x, s, status_quo, cost)
    w = np.where(s > 0, c, 0.0)
    a = np.where(exists, low, 0.0)
    b = np.where(exists, high, 0.0)

    def objective(z):
        slack = rho - np.abs(z[:, None] - x)
        safe = np.where(w > 0, np.maximum(slack, 1e-300), 1.0)
        return (w * np.log(safe)).sum(axis=1)

    g = (np.sqrt(5.0) - 1.0) / 2.0
    for _ in range(iterations):
        m1 = b - g * (b - a)
        m2 = a + g * (b - a)
        left = objective(m1) >= objective(m2)
        a, b = np.where(left, a, m1), np.where(left, m2, b)
    z = 0.5 * (a + b)
    tot = c.sum(axis=1)
    if status_quo is not None:
        fallback = np.broadcast_to(np.asarray(status_quo, dtype=float), z.shape)
    else:
        fallback = (c * x).sum(axis=1) / np.where(tot > 0, tot, 1.0)
    forecast = np.where(exists, z, fallback)
    return {
        "forecast": forecast,
        "agreement": exists.astype(float),
        "zopa_low": np.where(exists, low, forecast),
        "zopa_high": np.where(exists, high, forecast),
    }
