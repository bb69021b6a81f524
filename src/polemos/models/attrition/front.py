"""Front movement: rate of advance from the force ratio and the defender's advantage.

The attacker's effective combat-power ratio is ::

    rho_t = (m_A,t * A_t) / (m_D,t * D_t * pi_D)

with ``A, D`` the forces on the line, ``m`` the combat-power multipliers (as in
:mod:`.lanchester`) and ``pi_D`` the defender's posture factor. ``pi_D`` follows the
posture factors of Dupuy's Quantified Judgment Model (QJM): hasty defence 1.3, prepared
defence 1.5, fortified defence 1.6 (T. N. Dupuy, *Numbers, Predictions and War*, 1979,
and *Understanding War*, 1987, the QJM/TNDM tables of posture factors).

The rate of advance (km per week) follows one of two named laws (:class:`AdvanceLaw`).

``preponderance`` (the default for new scenarios) formalises Dupuy's advance-rate
verities (T. N. Dupuy, *Understanding War: History and Theory of Combat*, 1987, the list
of combat advance-rate verities; also in *The Evolution of Weapons and Warfare*, 1980;
restated in C. A. Lawrence, *War by Numbers*, 2017): "Advance against opposition
requires local combat power preponderance" and "There is no direct relationship between
advance rates and force strength ratios"; "Advance rates vary inversely with the strength
of the defender's fortifications". Hence a threshold in the combat-power ratio with
posture, and no dependence on the ratio above it::

    v(rho) = v_max * 1[rho > 1]

The defender's fortification enters through ``pi_D`` in ``rho`` (a stronger posture
raises the threshold, so over uncertain forces the expected rate falls with it). The
verities are qualitative: they fix the shape (threshold, flat above it), not a
magnitude; ``v_max`` stays an uncertain scenario input. The flat shape agrees with
CDB90 (median advance per day nearly flat across force-ratio bins:
:func:`polemos.models.attrition.fit.advance_by_ratio`, ``docs/validation/attrition.md``).

``saturating`` is the earlier form, our own choice and not a published equation (kept
so scenario files that set ``half_ratio`` run unchanged)::

    v(rho) = v_max * x / (x + h - 1),   x = max(rho - 1, 0)

zero at or below parity after posture, half of ``v_max`` at ``rho = h``, ``v_max`` as
``rho -> inf``.

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


class AdvanceLaw(StrEnum):
    """The rate-of-advance law; values are the words scenario files use."""

    preponderance = "preponderance"
    saturating = "saturating"


def resolve_law(law, half_ratio) -> AdvanceLaw:
    """``law`` if given, else ``saturating`` when ``half_ratio`` is given (the older
    files), else ``preponderance``."""
    if law is not None:
        return AdvanceLaw(law)
    return AdvanceLaw.preponderance if half_ratio is None else AdvanceLaw.saturating


def advance_rate(rho: np.ndarray, v_max, half_ratio=None, *,
                 law: AdvanceLaw | str | None = None) -> np.ndarray:
    """Rate of advance (km/week) under ``law`` (see the module docstring).

    ``preponderance``: ``v_max * 1[rho > 1]``; ``saturating``:
    ``v_max * x / (x + h - 1)``, ``x = max(rho - 1, 0)``, ``h = half_ratio``.
    """
    rho = np.asarray(rho, dtype=float)
    v_max = np.asarray(v_max, dtype=float)
    if resolve_law(law, half_ratio) is AdvanceLaw.preponderance:
        return np.where(rho > 1.0, v_max, 0.0 * v_max)
    if half_ratio is None:
        raise ValueError("the saturating law needs half_ratio")
    x = np.maximum(rho - 1.0, 0.0)
    finite = np.isfinite(x)
    xf = np.where(finite, x, 0.0)
    share = np.where(finite, xf / (xf + np.asarray(half_ratio, dtype=float) - 1.0), 1.0)
    return v_max * share


def power_ratio(attacker, defender, m_attacker, m_defender, posture_factor) -> np.ndarray:
    """``rho = (m_A A) / (m_D D pi_D)``; infinite when the defender has no force left."""
    num = np.asarray(m_attacker, dtype=float) * np.maximum(attacker, 0.0)
    den = np.asarray(m_defender, dtype=float) * np.maximum(defender, 0.0) * posture_factor
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = np.where(den > 0.0, num / np.where(den > 0.0, den, 1.0), np.inf)
    return np.where(num > 0.0, rho, 0.0)


def front_step(depth, attacker, defender, *, m_attacker, m_defender, posture_factor,
               v_max, half_ratio=None, law: AdvanceLaw | str | None = None,
               dt: float = 1.0) -> np.ndarray:
    """Depth after one step of ``dt`` weeks (the coupling point for an engine)."""
    rho = power_ratio(attacker, defender, m_attacker, m_defender, posture_factor)
    return np.asarray(depth, dtype=float) + dt * advance_rate(rho, v_max, half_ratio, law=law)


def advance(attacker: np.ndarray, defender: np.ndarray, *, m_attacker=1.0, m_defender=1.0,
            posture_factor=1.5, v_max, half_ratio=None,
            law: AdvanceLaw | str | None = None, depth0=0.0) -> np.ndarray:
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
            posture_factor=posture_factor, v_max=v_max, half_ratio=half_ratio, law=law)
    return depth


def towns_fallen(depth: np.ndarray, distances_km) -> np.ndarray:
    """``(n, k, T+1)`` booleans: town ``j`` has fallen by week ``t`` (``depth >= distance``)."""
    d = np.asarray(distances_km, dtype=float)
    return depth[:, None, :] >= d[None, :, None]


def fall_week(fallen: np.ndarray) -> np.ndarray:
    """First week each town has fallen, ``(n, k)``; ``T + 1`` where it never falls."""
    t1 = fallen.shape[-1]
    return np.where(fallen.any(axis=-1), fallen.argmax(axis=-1), t1)


def run_front(*, attacker, defender, v_max, front_km, town_km, half_ratio=None,
              law: AdvanceLaw | str | None = None, m_attacker=1.0, m_defender=1.0,
              posture_factor=1.5, depth0=0.0,
              rng: np.random.Generator | None = None) -> dict[str, np.ndarray]:
    """Front depth, ground taken and fall of towns from two force paths.

    ``rho = m_A A / (m_D D pi_D)``; ``v`` km/week by ``law``: ``preponderance``
    ``v = v_max 1[rho > 1]`` (Dupuy 1987, advance-rate verities; the default unless
    ``half_ratio`` is given) or ``saturating``
    ``v = v_max max(rho-1,0) / (max(rho-1,0) + h - 1)`` (ours); depth
    ``d_t = d_0 + sum v``; ground ``= (d_t - d_0) * front_km`` km^2; town ``j`` falls when
    ``d_t >= town_km[j]``. Posture factors after Dupuy (1979), QJM. ``rng`` is unused
    (deterministic).
    """
    attacker = np.atleast_2d(np.asarray(attacker, dtype=float))
    defender = np.atleast_2d(np.asarray(defender, dtype=float))
    depth = advance(attacker, defender, m_attacker=m_attacker, m_defender=m_defender,
                    posture_factor=posture_factor, v_max=v_max, half_ratio=half_ratio,
                    law=law, depth0=depth0)
    fallen = towns_fallen(depth, town_km)
    front = np.asarray(front_km, dtype=float)
    front = front[:, None] if front.ndim == 1 else front
    return {
        "depth_km": depth,
        "territory_km2": (depth - depth[:, :1]) * front,
        "town_fallen": fallen,
        "town_fall_week": fall_week(fallen),
    }
