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

try:  # the ufunc np.clip ends in, without its Python-level argument checks (same bits)
    from numpy._core.umath import clip
except ImportError:  # pragma: no cover - other NumPy layouts
    clip = np.clip


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


def _pair_rates(x: np.ndarray, coef: np.ndarray, exps: Exponents) -> np.ndarray:
    """:func:`loss_rates` of both sides stacked: ``x = [R; B]``, ``coef = [a; b]``, both
    ``(2, n)``; returns ``[a R^p_r B^q_r; b B^p_b R^q_b]``. Row by row the operations of
    :func:`loss_rates` (each power elementwise, factors multiplied in the same order),
    so the same bits, in half the calls when the two sides share their exponents."""
    xp = np.maximum(x, 0.0)
    if exps.p_r == exps.p_b and exps.q_r == exps.q_b:
        p, q = exps.p_r, exps.q_r
        out, own = None, None
        if p != 0.0:
            own = xp if p == 1.0 else xp**p  # [R^p; B^p]
            out = np.multiply(coef, own)
        if q != 0.0:  # [B^q; R^q]; powers of the contiguous rows only (a strided view
            # may take NumPy's other, scalar loop, whose last bits can differ)
            other = own[::-1] if q == p else (xp[::-1] if q == 1.0 else (xp**q)[::-1])
            out = np.multiply(coef, other) if out is None else np.multiply(out, other,
                                                                          out=out)
        if out is None:
            out = np.multiply(coef, np.ones_like(xp))
    else:
        powers: dict[tuple[str, float], np.ndarray] = {}
        out = np.stack([_rate(coef[0], [("r", xp[0], exps.p_r), ("b", xp[1], exps.q_r)], powers),
                        _rate(coef[1], [("b", xp[1], exps.p_b), ("r", xp[0], exps.q_b)], powers)])
    if not xp.min() > 0.0:  # some side gone somewhere (or NaN): zero losses there
        alive = xp[0] > 0.0
        alive &= xp[1] > 0.0
        out = np.where(alive, out, 0.0)
    return out


def _rk4_stage(x: np.ndarray, h: float, k: np.ndarray) -> np.ndarray:
    """``x - h * k`` in one new array."""
    out = np.multiply(k, h)
    return np.subtract(x, out, out=out) if out.shape == np.shape(x) else x - out


def rk4_pair(x: np.ndarray, coef: np.ndarray, exps: Exponents, dt: float) -> np.ndarray:
    """:func:`rk4_step` of both sides stacked (``x = [R; B]``, ``coef = [a; b]``, (2, n)):
    the losses ``[loss_red; loss_blue]``, row by row the bits of :func:`rk4_step`."""
    k1 = _pair_rates(x, coef, exps)
    h = 0.5 * dt
    k2 = _pair_rates(_rk4_stage(x, h, k1), coef, exps)
    k3 = _pair_rates(_rk4_stage(x, h, k2), coef, exps)
    k4 = _pair_rates(_rk4_stage(x, dt, k3), coef, exps)
    acc = np.multiply(k2, 2.0)
    acc += k1
    np.multiply(k3, 2.0, out=k3)
    acc += k3
    acc += k4
    acc *= dt / 6.0
    return clip(acc, 0.0, np.maximum(x, 0.0), out=acc)


def rk4_step(red: np.ndarray, blue: np.ndarray, a: np.ndarray, b: np.ndarray,
             exps: Exponents, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """Losses ``(loss_red, loss_blue)`` over one RK4 step of length ``dt``.

    Each loss lies in ``[0, strength]``, so ``red - loss_red`` is never negative.
    The weighted sum ``dt/6 (k1 + 2 k2 + 2 k3 + k4)`` is accumulated in place, in the
    same order (IEEE addition is commutative, so ``2 k2 + k1`` is ``k1 + 2 k2`` exactly).
    Both sides are integrated together (:func:`rk4_pair`).
    """
    red, blue, a, b = np.broadcast_arrays(*(np.asarray(v, dtype=float)
                                            for v in (red, blue, a, b)))
    out = rk4_pair(np.stack([red, blue]), np.stack([a, b]), exps, dt)
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
