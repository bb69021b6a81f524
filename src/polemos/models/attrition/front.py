"""Front movement: rate of advance from the force ratio and the defender's advantage.

The attacker's effective combat-power ratio is ::

    rho_t = (m_A,t * A_t) / (m_D,t * D_t * pi_D)

with ``A, D`` the forces on the line, ``m`` the combat-power multipliers (as in
:mod:`.lanchester`) and ``pi_D`` the defender's posture factor. ``pi_D`` follows the
posture factors of Dupuy's Quantified Judgment Model (QJM): hasty defence 1.3, prepared
defence 1.5, fortified defence 1.6 (T. N. Dupuy, *Numbers, Predictions and War*, 1979,
and *Understanding War*, 1987, the QJM/TNDM tables of posture factors).

The rate of advance (km per week) is a saturating threshold function of ``rho``::

    v(rho) = v_max * x / (x + h - 1),   x = max(rho - 1, 0)

zero at or below parity after posture, half of ``v_max`` at ``rho = h`` and ``v_max`` as
``rho -> inf``. **Source and status:** the threshold at an effective ratio of one
follows the QJM's logic (an attack gains ground only when its combat power, posture
included, exceeds the defender's: Dupuy 1979, ch. on the P/P ratio); the saturating
shape is the form of the force-ratio FEBA-movement tables of theatre models of the
ATLAS/TACWAR lineage, written here as a closed-form function of our own choice, not a
published equation. ``v_max`` and ``h`` are scenario inputs; a CDB90 check of advance
against force ratio is in :func:`polemos.models.attrition.fit.advance_by_ratio` and
``docs/validation/attrition.md``.

Territory: the attacker's depth ``d_t = sum v`` (km, never negative: the defender does
not counter-advance in this model); ground taken ``= d_t * front_km``. A town at
``distance_km`` behind the front falls the week ``d_t >= distance_km`` (the theatre
simulator, :mod:`.build`, scales ``d_t`` by a per-town ``effort``: the local advance on an
axis of main effort relative to the front's mean).
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np


class Posture(StrEnum):
    """The defender's posture; values are the words scenario files use."""

    none = "none"
    hasty = "hasty"
    prepared = "prepared"
    fortified = "fortified"


POSTURE_FACTOR = {Posture.none: 1.0, Posture.hasty: 1.3, Posture.prepared: 1.5,
                  Posture.fortified: 1.6}
"""Dupuy's QJM posture factors for the defender (Dupuy 1979)."""


def advance_rate(rho: np.ndarray, v_max, half_ratio) -> np.ndarray:
    """Rate of advance ``v_max * x / (x + h - 1)``, ``x = max(rho - 1, 0)`` (km/week)."""
    x = np.maximum(np.asarray(rho, dtype=float) - 1.0, 0.0)
    finite = np.isfinite(x)
    xf = np.where(finite, x, 0.0)
    share = np.where(finite, xf / (xf + np.asarray(half_ratio, dtype=float) - 1.0), 1.0)
    return np.asarray(v_max, dtype=float) * share


def power_ratio(attacker, defender, m_attacker, m_defender, posture_factor) -> np.ndarray:
    """``rho = (m_A A) / (m_D D pi_D)``; infinite when the defender has no force left."""
    num = np.asarray(m_attacker, dtype=float) * np.maximum(attacker, 0.0)
    den = np.asarray(m_defender, dtype=float) * np.maximum(defender, 0.0) * posture_factor
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = np.where(den > 0.0, num / np.where(den > 0.0, den, 1.0), np.inf)
    return np.where(num > 0.0, rho, 0.0)


def front_step(depth, attacker, defender, *, m_attacker, m_defender, posture_factor,
               v_max, half_ratio, dt: float = 1.0) -> np.ndarray:
    """Depth after one step of ``dt`` weeks (the coupling point for an engine)."""
    rho = power_ratio(attacker, defender, m_attacker, m_defender, posture_factor)
    return np.asarray(depth, dtype=float) + dt * advance_rate(rho, v_max, half_ratio)


def advance(attacker: np.ndarray, defender: np.ndarray, *, m_attacker=1.0, m_defender=1.0,
            posture_factor=1.5, v_max, half_ratio, depth0=0.0) -> np.ndarray:
    """Depth ``(n, T+1)`` from force paths ``(n, T+1)``: week ``t`` uses the forces at ``t``.

    ``m_*`` may be ``(n,)`` or ``(n, T)``.
    """
    n, t1 = attacker.shape
    depth = np.empty((n, t1))
    depth[:, 0] = depth0
    ma = np.asarray(m_attacker, dtype=float)
    md = np.asarray(m_defender, dtype=float)
    for t in range(t1 - 1):
        depth[:, t + 1] = front_step(
            depth[:, t], attacker[:, t], defender[:, t],
            m_attacker=ma[:, t] if ma.ndim == 2 else ma,
            m_defender=md[:, t] if md.ndim == 2 else md,
            posture_factor=posture_factor, v_max=v_max, half_ratio=half_ratio)
    return depth


def towns_fallen(depth: np.ndarray, distances_km) -> np.ndarray:
    """``(n, k, T+1)`` booleans: town ``j`` has fallen by week ``t`` (``depth >= distance``)."""
    d = np.asarray(distances_km, dtype=float)
    return depth[:, None, :] >= d[None, :, None]


def fall_week(fallen: np.ndarray) -> np.ndarray:
    """First week each town has fallen, ``(n, k)``; ``T + 1`` where it never falls."""
    t1 = fallen.shape[-1]
    return np.where(fallen.any(axis=-1), fallen.argmax(axis=-1), t1)


def run_front(*, attacker, defender, v_max, half_ratio, front_km, town_km,
              m_attacker=1.0, m_defender=1.0, posture_factor=1.5, depth0=0.0,
              rng: np.random.Generator | None = None) -> dict[str, np.ndarray]:
    """Front depth, ground taken and fall of towns from two force paths.

    ``rho = m_A A / (m_D D pi_D)``; ``v = v_max max(rho-1,0) / (max(rho-1,0) + h - 1)``
    km/week; depth ``d_t = d_0 + sum v``; ground ``= (d_t - d_0) * front_km`` km^2; town
    ``j`` falls when ``d_t >= town_km[j]``. Posture factors after Dupuy (1979), QJM; the
    saturating form is ours (see module docstring). ``rng`` is unused (deterministic).
    """
    attacker = np.atleast_2d(np.asarray(attacker, dtype=float))
    defender = np.atleast_2d(np.asarray(defender, dtype=float))
    depth = advance(attacker, defender, m_attacker=m_attacker, m_defender=m_defender,
                    posture_factor=posture_factor, v_max=v_max, half_ratio=half_ratio,
                    depth0=depth0)
    fallen = towns_fallen(depth, town_km)
    front = np.asarray(front_km, dtype=float)
    front = front[:, None] if front.ndim == 1 else front
    return {
        "depth_km": depth,
        "territory_km2": (depth - depth[:, :1]) * front,
        "town_fallen": fallen,
        "town_fall_week": fall_week(fallen),
    }
