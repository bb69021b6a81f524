"""The attrition law in its plain textbook form: the reference the fast kernels of
:mod:`.laws` are checked against bit for bit (tests/models/attrition/
test_attrition_kernel_bits.py) and timed against (bench/bench_profile.py).

Same equations as :func:`polemos.models.attrition.laws.loss_rates` and
:func:`~polemos.models.attrition.laws.rk4_step` (Lanchester 1916; Helmbold 1965), written
as one NumPy expression each, with every temporary that implies.
"""

from __future__ import annotations

import numpy as np

from polemos.models.attrition.laws import Exponents


def _pow(x: np.ndarray, e: float) -> np.ndarray:
    return np.ones_like(x) if e == 0.0 else (x if e == 1.0 else x**e)


def loss_rates(red, blue, a, b, e: Exponents) -> tuple[np.ndarray, np.ndarray]:
    """``(a R^p_r B^q_r, b B^p_b R^q_b)``, zero once a side is gone."""
    r, bl = np.maximum(red, 0.0), np.maximum(blue, 0.0)
    alive = (r > 0.0) & (bl > 0.0)
    return (np.where(alive, a * _pow(r, e.p_r) * _pow(bl, e.q_r), 0.0),
            np.where(alive, b * _pow(bl, e.p_b) * _pow(r, e.q_b), 0.0))


def rk4_step(red, blue, a, b, e: Exponents, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """Losses over one classical RK4 step of length ``dt``, capped at each strength."""
    k1r, k1b = loss_rates(red, blue, a, b, e)
    h = 0.5 * dt
    k2r, k2b = loss_rates(red - h * k1r, blue - h * k1b, a, b, e)
    k3r, k3b = loss_rates(red - h * k2r, blue - h * k2b, a, b, e)
    k4r, k4b = loss_rates(red - dt * k3r, blue - dt * k3b, a, b, e)
    s = dt / 6.0
    lr = s * (k1r + 2.0 * k2r + 2.0 * k3r + k4r)
    lb = s * (k1b + 2.0 * k2b + 2.0 * k3b + k4b)
    return np.clip(lr, 0.0, np.maximum(red, 0.0)), np.clip(lb, 0.0, np.maximum(blue, 0.0))
