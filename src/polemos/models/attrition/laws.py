"""The Lanchester family as one general attrition law, and its fixed-step integrator.

Two forces ``R`` (red) and ``B`` (blue) lose strength at the rates::

    dR/dt = -a * R**p_r * B**q_r          (red's losses, caused by blue's fire)
    dB/dt = -b * B**p_b * R**q_b          (blue's losses, caused by red's fire)

``p`` is the exponent of a side's own strength (how exposed it is: 0 for aimed fire
whatever the target density, 1 for area fire whose hits grow with target density) and
``q`` the exponent of the enemy's strength (how many shooters count). The named laws are
special cases (:class:`Law`):

============  =========  =========  ==========================================================
law           (p_r,q_r)  (p_b,q_b)  source
============  =========  =========  ==========================================================
square        (0, 1)     (0, 1)     Lanchester (1916), *Aircraft in Warfare*, ch. V, eq. (1)-(2)
linear        (1, 1)     (1, 1)     Lanchester (1916), ancient/area-fire law
logarithmic   (1, 0)     (1, 0)     Peterson (1953); Weiss (1957)
mixed         (1, 1)     (0, 1)     Deitchman (1962), Oper. Res. 10(6):818-827 (red is the
                                    exposed side under area fire, blue under aimed fire)
osipov        (1/4, 3/4) (1/4, 3/4) Osipov (1915), Voennyi Sbornik; trans. Helmbold & Rehm,
                                    CAA-RP-91-2 (1991): the 3/2-power state equation
helmbold      (1-W, W)   (1-W, W)   Helmbold (1965), Oper. Res. 13(5):857-859, W = Weiss
                                    parameter (W=1 square, W=0 logarithmic)
general       any        any        the user's exponents
============  =========  =========  ==========================================================

Helmbold's form is ``dR/dt = -a * (R/B)**(1-W) * B``, i.e. ``p = 1-W, q = W``: exponents
that sum to one, which keeps ``a`` in units of 1/time. Osipov found that casualties in
the battles he studied followed a state equation with exponent 3/2 rather than 2; any
exponents with ``q - p = 1/2`` give it, and we realise it as Helmbold's form with
``W = 3/4``.

**State equations (invariants).** With the same exponents on both sides (``p_r = p_b =
p``, ``q_r = q_b = q``) and ``n = q - p + 1 != 0``::

    b * R**n - a * B**n  is constant along a solution.

Square law: ``b R^2 - a B^2`` (the text's ``a R^2 - b B^2`` with the coefficients named
by the side they strike); linear law: ``b R - a B``; Osipov ``b R^1.5 - a B^1.5``. With
``n = 0`` (logarithmic law) the invariant is ``b log R - a log B``.

**Exchange-ratio slope.** Early in a battle, ``(C_R/R0) / (C_B/B0) = (a/b) (R0/B0)**(-n)``,
so regressing log casualty-fraction exchange ratio on log force ratio estimates ``-n``:
-2 for the square law, -1 linear, 0 logarithmic (used by :mod:`.fit`).

**Integration.** Classical RK4 (fixed step, vectorised over the leading draw axis),
made positivity-preserving: a side's loss in a step is capped at its strength, and a
side with no strength left neither inflicts nor suffers losses. Rates are per unit of the
step's time unit (the theatre model uses weeks).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np


class Law(StrEnum):
    """Named Lanchester laws; values are the words scenario files use."""

    square = "square"
    linear = "linear"
    logarithmic = "logarithmic"
    mixed = "mixed"
    osipov = "osipov"
    helmbold = "helmbold"
    general = "general"


@dataclass(frozen=True)
class Exponents:
    """Exponents of the general law: red loses ``a R^p_r B^q_r``, blue ``b B^p_b R^q_b``."""

    p_r: float
    q_r: float
    p_b: float
    q_b: float

    @property
    def symmetric(self) -> bool:
        return self.p_r == self.p_b and self.q_r == self.q_b

    @property
    def state_exponent(self) -> float:
        """``n = q - p + 1`` of the state equation (symmetric exponents only)."""
        if not self.symmetric:
            raise ValueError("the state equation needs the same exponents on both sides")
        return self.q_r - self.p_r + 1.0


_NAMED = {
    Law.square: Exponents(0.0, 1.0, 0.0, 1.0),
    Law.linear: Exponents(1.0, 1.0, 1.0, 1.0),
    Law.logarithmic: Exponents(1.0, 0.0, 1.0, 0.0),
    Law.mixed: Exponents(1.0, 1.0, 0.0, 1.0),
    Law.osipov: Exponents(0.25, 0.75, 0.25, 0.75),
}


def exponents(law: Law | str, *, weiss: float | None = None,
              general: Exponents | None = None) -> Exponents:
    """The exponents of ``law``; ``helmbold`` needs ``weiss``, ``general`` needs ``general``."""
    law = Law(law)
    if law is Law.helmbold:
        if weiss is None or not 0.0 <= weiss <= 1.0:
            raise ValueError(f"the helmbold law needs a Weiss parameter in [0, 1], got {weiss}")
        return Exponents(1.0 - weiss, weiss, 1.0 - weiss, weiss)
    if law is Law.general:
        if general is None:
            raise ValueError("the general law needs explicit exponents (p_r, q_r, p_b, q_b)")
        return general
    return _NAMED[law]


def _rate(coef: np.ndarray, factors: list[tuple[str, np.ndarray, float]],
          powers: dict[tuple[str, float], np.ndarray]) -> np.ndarray:
    """``coef * x1**e1 * x2**e2`` in one new array, multiplied in that order, so with the
    bits of the plain expression (a factor ``x**0`` is 1 and multiplying by it is exact,
    so it is skipped). ``powers`` caches each ``(name, exponent)`` power: with Helmbold's
    or Osipov's exponents the two rates share ``R**p`` and ``B**q``."""
    out = None
    for name, x, e in factors:
        if e == 0.0:
            continue
        xe = x
        if e != 1.0:
            xe = powers.get((name, e))
            if xe is None:
                xe = powers[(name, e)] = x**e
        out = np.multiply(coef, xe) if out is None else np.multiply(out, xe, out=out)
    if out is None:
        out = np.multiply(coef, np.ones_like(factors[0][1]))
    return out


def loss_rates(red: np.ndarray, blue: np.ndarray, a: np.ndarray, b: np.ndarray,
               exps: Exponents) -> tuple[np.ndarray, np.ndarray]:
    """Instantaneous losses ``(a R^p_r B^q_r, b B^p_b R^q_b)``, zero once a side is gone.

    Computed with few temporaries and each distinct power once; the bits are those of
    ``np.where(alive, a * R**p_r * B**q_r, 0.0)`` (tests/models/attrition/test_attrition_laws.py).
    """
    r = np.maximum(red, 0.0)
    bl = np.maximum(blue, 0.0)
    alive = r > 0.0
    alive &= bl > 0.0
    powers: dict[tuple[str, float], np.ndarray] = {}
    lr = _rate(a, [("r", r, exps.p_r), ("b", bl, exps.q_r)], powers)
    lb = _rate(b, [("b", bl, exps.p_b), ("r", r, exps.q_b)], powers)
    if not alive.all():
        lr = np.where(alive, lr, 0.0)
        lb = np.where(alive, lb, 0.0)
    return lr, lb


def _rk4_stage(x: np.ndarray, h: float, k: np.ndarray) -> np.ndarray:
    """``x - h * k`` in one new array."""
    out = np.multiply(k, h)
    return np.subtract(x, out, out=out) if out.shape == np.shape(x) else x - out


def rk4_step(red: np.ndarray, blue: np.ndarray, a: np.ndarray, b: np.ndarray,
             exps: Exponents, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """Losses ``(loss_red, loss_blue)`` over one RK4 step of length ``dt``.

    Each loss lies in ``[0, strength]``, so ``red - loss_red`` is never negative.
    The weighted sum ``dt/6 (k1 + 2 k2 + 2 k3 + k4)`` is accumulated in place, in the
    same order (IEEE addition is commutative, so ``2 k2 + k1`` is ``k1 + 2 k2`` exactly).
    """
    k1r, k1b = loss_rates(red, blue, a, b, exps)
    h = 0.5 * dt
    k2r, k2b = loss_rates(_rk4_stage(red, h, k1r), _rk4_stage(blue, h, k1b), a, b, exps)
    k3r, k3b = loss_rates(_rk4_stage(red, h, k2r), _rk4_stage(blue, h, k2b), a, b, exps)
    k4r, k4b = loss_rates(_rk4_stage(red, dt, k3r), _rk4_stage(blue, dt, k3b), a, b, exps)
    s = dt / 6.0
    out = []
    for k1, k2, k3, k4, x in ((k1r, k2r, k3r, k4r, red), (k1b, k2b, k3b, k4b, blue)):
        acc = np.multiply(k2, 2.0)
        acc += k1
        k3 = np.multiply(k3, 2.0)
        acc += k3
        acc += k4
        acc *= s
        out.append(np.clip(acc, 0.0, np.maximum(x, 0.0), out=acc))
    return out[0], out[1]


def integrate(red0, blue0, a, b, exps: Exponents, t_end: float, n_steps: int
              ) -> tuple[np.ndarray, np.ndarray]:
    """Trajectories ``(R, B)`` of shape ``(n_draws, n_steps + 1)`` on ``[0, t_end]``.

    No reinforcement: the pure attrition law, integrated by :func:`rk4_step`.
    """
    red = np.array(red0, dtype=float, ndmin=1)
    blue = np.array(blue0, dtype=float, ndmin=1)
    red, blue = np.broadcast_arrays(red, blue)
    a = np.broadcast_to(np.asarray(a, dtype=float), red.shape)
    b = np.broadcast_to(np.asarray(b, dtype=float), red.shape)
    dt = t_end / n_steps
    rs = np.empty(red.shape + (n_steps + 1,))
    bs = np.empty_like(rs)
    rs[..., 0], bs[..., 0] = red, blue
    r, bl = red.copy(), blue.copy()
    for k in range(n_steps):
        lr, lb = rk4_step(r, bl, a, b, exps, dt)
        r, bl = r - lr, bl - lb
        rs[..., k + 1], bs[..., k + 1] = r, bl
    return rs, bs


def invariant(red, blue, a, b, exps: Exponents) -> np.ndarray:
    """The state-equation invariant ``b R^n - a B^n`` (``b log R - a log B`` when n = 0)."""
    n = exps.state_exponent
    red = np.asarray(red, dtype=float)
    blue = np.asarray(blue, dtype=float)
    if n == 0.0:
        return b * np.log(red) - a * np.log(blue)
    return b * red**n - a * blue**n


def square_law_solution(red0, blue0, a, b, t) -> tuple[np.ndarray, np.ndarray]:
    """Closed form of ``dR/dt = -a B, dB/dt = -b R`` (Lanchester 1916).

    With ``g = sqrt(a b)``::

        R(t) = R0 cosh(g t) - sqrt(a/b) B0 sinh(g t)
        B(t) = B0 cosh(g t) - sqrt(b/a) R0 sinh(g t)

    Valid until a side is annihilated (after that the formulas go negative; the law
    itself stops).
    """
    t = np.asarray(t, dtype=float)
    g = np.sqrt(a * b)
    ch, sh = np.cosh(g * t), np.sinh(g * t)
    r = red0 * ch - np.sqrt(a / b) * blue0 * sh
    bl = blue0 * ch - np.sqrt(b / a) * red0 * sh
    return r, bl
