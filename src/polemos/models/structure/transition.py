"""Parity, overtaking and the hazard of war between a dominant power and challengers.

Power transition theory (Organski & Kugler 1980, *The War Ledger*, University of Chicago
Press, ch. 1) holds that wars among the great powers come when a
dissatisfied challenger approaches parity with the dominant power and overtakes it;
Lemke (2002, *Regions of War and Peace*, Cambridge UP) extends the test to local
hierarchies with the same two indicators. With ``c_i(t)`` the CINC of power ``i``
(Singer, Bremer & Stuckey 1972) and a challenger (or coalition ``K``, whose capability is
the sum of its members', ``c_K = sum_{i in K} c_i``)::

    r_K(t)     = c_K(t) / c_D(t)                                  capability ratio    (1)
    parity     = 1[ 1/u <= r <= u ],  u = 1.25 (the 80 % rule)                         (2)
    ahead(t)   = 1[ r(t) >= 1 ]                                                        (3)
    overtaking = 1[ ahead changed sign within the last w years ]  (w = 10 by default)  (4)

The annual hazard of war onset in a dyad is a logit in these indicators,

    h(t) = 1 / (1 + exp(-(b0 + b1 parity + b2 overtaking + b3 |log r|)))               (5)

(the specification fitted on COW dyad-years by ``polemos fit transition``), and the
probability of at least one onset by ``t``, treating years and dyads as independent given
the trajectories, is ``1 - prod_{s<=t} prod_k (1 - h_k(s))``.
"""

from __future__ import annotations

import numpy as np

PARITY_BAND = 1.25
"""Organski & Kugler's 80 % rule: parity when the weaker has at least 0.8 of the stronger
(Organski & Kugler 1980, *The War Ledger*, ch. 1). A definition, not a judgement: the
hazard coefficients (``structure.hazard``, ``polemos fit transition``) were fitted with
this band, so changing it would need a refit (docs/assumptions.md, audit table)."""

COEFFICIENTS = ("intercept", "parity", "overtaking", "abs_log_ratio")
"""Order of the logit coefficients of equation (5)."""


def coalition_capability(cinc: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Summed CINC of each coalition: ``cinc`` ``(..., P)``, ``members`` ``(K, P)`` 0/1."""
    return cinc @ np.asarray(members, dtype=float).T


def ratios(cinc: np.ndarray, dominant: int, members: np.ndarray) -> np.ndarray:
    """Equation (1): coalition capability over the dominant power's, ``(..., K)``."""
    members = np.asarray(members, dtype=float)
    if np.any(members[:, dominant] != 0):
        raise ValueError("the dominant power cannot be a member of a challenging coalition")
    dom = cinc[..., dominant : dominant + 1]
    coal = coalition_capability(cinc, members)
    return np.divide(coal, dom, out=np.full_like(coal, np.inf), where=dom > 0)


def indicators(
    ratio: np.ndarray,
    window: int = 10,
    band: float = PARITY_BAND,
    since_change: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Equations (2)-(4) over a time axis (axis 1) of ``ratio`` ``(n_draws, T, K)``.

    Returns ``parity``, ``ahead`` (bool), ``overtaking`` (bool: the lead changed hands
    within the last ``window`` years, the change year included), ``first_ahead`` (int
    ``(n_draws, K)``: first time index with ``ahead``, -1 if never) and ``abs_log_ratio``.
    ``since_change`` ``(K,)``: years between the last change of lead before the first
    time index and that index (``inf`` if none known), so that a recent historical
    overtaking counts in the first ``window - since_change`` years.
    """
    ahead = ratio >= 1.0
    parity = (ratio >= 1.0 / band) & (ratio <= band)
    change = np.zeros_like(ahead)
    change[:, 1:] = ahead[:, 1:] != ahead[:, :-1]
    csum = np.cumsum(change, axis=1)
    lagged = np.zeros_like(csum)
    if window < csum.shape[1]:
        lagged[:, window:] = csum[:, :-window]
    overtaking = (csum - lagged) > 0
    if since_change is not None:
        t = np.arange(ratio.shape[1])[None, :, None]
        overtaking = overtaking | (t + np.asarray(since_change, dtype=float)[None, None, :] < window)
    any_ahead = ahead.any(axis=1)
    first = np.where(any_ahead, ahead.argmax(axis=1), -1)
    safe = np.clip(ratio, 1e-12, 1e12)
    return {
        "parity": parity,
        "ahead": ahead,
        "overtaking": overtaking,
        "first_ahead": first,
        "abs_log_ratio": np.abs(np.log(safe)),
    }


def overtaking_run(
    cinc: np.ndarray, dominant: int, members: np.ndarray, window: int = 10, *, rng=None
) -> dict[str, np.ndarray]:
    """Registry entry point: ratios, parity and overtaking of coalitions over a dominant power.

    ``r_K = sum_{i in K} c_i / c_D`` (eq. 1), parity ``1/1.25 <= r <= 1.25`` (eq. 2,
    Organski & Kugler 1980), ``ahead = r >= 1`` (eq. 3). ``cinc`` is ``(n_draws, T, P)``.
    """
    r = ratios(np.asarray(cinc, dtype=float), dominant, members)
    ind = indicators(r, window)
    return {
        "ratio": r,
        "parity": ind["parity"],
        "ahead": ind["ahead"],
        "ever_ahead": np.maximum.accumulate(ind["ahead"], axis=1),
        "first_ahead": ind["first_ahead"],
    }


def logit_hazard(
    parity: np.ndarray, overtaking: np.ndarray, abs_log_ratio: np.ndarray, coef: np.ndarray
) -> np.ndarray:
    """Equation (5) for one step: indicators ``(n_draws, K)``, ``coef`` ``(n_draws, 4)``."""
    c = np.asarray(coef, dtype=float)[:, None, :]
    eta = c[..., 0] + c[..., 1] * parity + c[..., 2] * overtaking + c[..., 3] * abs_log_ratio
    return 0.5 * (1.0 + np.tanh(0.5 * eta))  # the logistic function, overflow-free


def hazard(
    ratio: np.ndarray,
    coef: np.ndarray,
    window: int = 10,
    band: float = PARITY_BAND,
    since_change: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Equation (5) on ratio trajectories ``(n_draws, T, K)`` with ``coef`` ``(n_draws, 4)``.

    Returns the annual ``hazard`` ``(n_draws, T, K)``, the ``cumulative`` probability of
    an onset in each dyad by each year, and ``any_war`` ``(n_draws, T)`` over all dyads.
    As in the fit (capabilities lagged a year), ``hazard[:, t]`` is the probability of an
    onset in the year after time index ``t``, given the capabilities at ``t``.
    """
    ratio = np.asarray(ratio, dtype=float)
    coef = np.asarray(coef, dtype=float)
    if coef.shape != (ratio.shape[0], len(COEFFICIENTS)):
        raise ValueError(f"coef must be (n_draws, {len(COEFFICIENTS)}), got {coef.shape}")
    ind = indicators(ratio, window, band, since_change)
    c = coef[:, None, None, :]
    eta = (
        c[..., 0]
        + c[..., 1] * ind["parity"]
        + c[..., 2] * ind["overtaking"]
        + c[..., 3] * ind["abs_log_ratio"]
    )
    h = 0.5 * (1.0 + np.tanh(0.5 * eta))
    log_survive = np.cumsum(np.log1p(-np.minimum(h, 1.0 - 1e-15)), axis=1)
    cumulative = -np.expm1(log_survive)
    any_war = -np.expm1(log_survive.sum(axis=2))
    return {"hazard": h, "cumulative": cumulative, "any_war": any_war}


def hazard_run(
    ratio: np.ndarray, coef: np.ndarray, window: int = 10, *, rng=None
) -> dict[str, np.ndarray]:
    """Registry entry point: transition war hazard, eq. (5), logit in parity and overtaking.

    ``h = logistic(b0 + b1 parity + b2 overtaking + b3 |log r|)`` per dyad-year
    (Organski & Kugler 1980; Lemke 2002), cumulated as ``1 - prod (1 - h)``. ``rng`` is
    unused: coefficient uncertainty enters through the per-draw ``coef``.
    """
    return hazard(ratio, coef, window)


def _example_cinc(rng: np.random.Generator, n_draws: int, n_years: int = 25) -> np.ndarray:
    t = np.arange(n_years)
    growth = np.array([0.0, 0.03, -0.01, 0.02])
    g = growth + 0.01 * rng.standard_normal((n_draws, 1, 4))
    base = np.array([0.20, 0.14, 0.05, 0.09])
    level = base * np.exp(g * t[None, :, None])
    rest = 1.0 - base.sum()
    return level / (level.sum(axis=-1, keepdims=True) + rest)


def overtaking_example(rng: np.random.Generator, n_draws: int) -> dict[str, object]:
    """A dominant power (0), China-like (1), Russia-like (2) and India-like (3) paths."""
    members = np.array([[0, 1, 0, 0], [0, 1, 1, 0], [0, 1, 1, 1]])
    return {"cinc": _example_cinc(rng, n_draws), "dominant": 0, "members": members}


def hazard_example(rng: np.random.Generator, n_draws: int) -> dict[str, object]:
    """Ratios of three challengers to the dominant power; coefficients near our fit."""
    cinc = _example_cinc(rng, n_draws)
    r = cinc[..., 1:] / cinc[..., :1]
    mean = np.array([-4.5, 0.5, 1.0, -0.3])
    coef = mean + np.array([0.3, 0.4, 0.5, 0.2]) * rng.standard_normal((n_draws, 4))
    return {"ratio": r, "coef": coef}
