"""Sanctions, price caps, tariffs and export bans acting on a target's oil exports.

A measure ``m`` has a start week ``s`` (a date, an event, or a threatened deadline that
may be postponed), a lag ``L`` over which it phases in, a compliance share ``c`` (one minus
the evasion share: shadow fleet, re-routing through India, China and Turkey), a coverage
``k`` (share of the target's oil exports it touches, e.g. Rosneft and Lukoil's share for
the US designations of 22 Oct 2025), a volume cut ``v`` and an extra discount ``d`` at full
compliance, an optional price cap, and an adaptation half-life ``h`` after which half of
its bite is lost to new evasion channels. Its strength at week ``t`` is::

    e(t) = c * clip((t - s) / L, 0, 1) * 2 ** (-max(t - s - L, 0) / h)

and the measures combine multiplicatively on volumes and additively on the discount::

    V(t) = V0 * prod_m (1 - k_m v_m e_m(t))
    D(t) = D0 + sum_m k_m d_m e_m(t)

A price cap at level ``K`` sells the covered, complying share at ``min(p, K)``.
Sources for the mechanism and orders of magnitude: Hilgenstock, Ribakova et al., KSE
Institute *Russian Oil Tracker* (monthly, 2023-2025: shadow-fleet shares, discounts);
CREA *Monthly analysis of Russian fossil fuel exports and sanctions* (2025: share of oil
on G7+ tankers, effect of full price-cap enforcement); Wachtmeister, Gars & Spiro (2024),
"Oil sanctions and the Russian oil price cap", the discount as the measure's bite.

Threats (as the August 2025 essay describes: tariffs and sanctions "due on Friday" that
were put off until after the Alaska summit) carry a deadline ``w`` and a postponement
probability ``p``: at each deadline the threat is postponed with probability ``p`` by
``P`` weeks, so the number of postponements ``N`` is geometric, ``P(N >= j) = p**j``,
and the start is ``w + N P``; past ``max_postponements`` the threat is dropped (never
starts).
"""

from __future__ import annotations

import numpy as np

NEVER = np.inf


def postponements(u: np.ndarray, postpone_prob: np.ndarray) -> np.ndarray:
    """Geometric number of postponements from uniforms ``u`` in (0, 1]: ``floor(ln u / ln p)``.

    ``p = 0`` gives 0, ``p = 1`` gives infinity (postponed for ever).
    """
    u = np.clip(np.asarray(u, float), np.finfo(float).tiny, 1.0)
    p = np.asarray(postpone_prob, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        n = np.floor(np.log(u) / np.log(np.where((p > 0) & (p < 1), p, 0.5)))
    n = np.where(p <= 0, 0.0, n)
    return np.where(p >= 1, NEVER, n)


def threat_start(u, deadline_week, postpone_prob, postpone_weeks, max_postponements=NEVER):
    """Start week of a threatened measure: ``deadline + N * postpone_weeks`` (or never)."""
    n = postponements(u, postpone_prob)
    start = np.asarray(deadline_week, float) + np.where(np.isfinite(n), n, 0.0) * postpone_weeks
    dropped = ~np.isfinite(n) | (n > np.asarray(max_postponements, float))
    return np.where(dropped, NEVER, start)


def strength(week, start, lag, compliance, half_life, active=True) -> np.ndarray:
    """Bite ``e(t)`` in [0, 1] of each measure at ``week`` (arrays broadcast, (n, M))."""
    start = np.asarray(start, float)
    lag = np.asarray(lag, float)
    since = week - np.where(np.isfinite(start), start, np.inf)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        ramp = np.where(lag > 0, np.clip(since / np.where(lag > 0, lag, 1.0), 0.0, 1.0),
                        (since >= 0).astype(float))
        after = np.maximum(since - lag, 0.0)
        decay = np.where(np.isfinite(half_life), np.exp2(-after / np.asarray(half_life, float)), 1.0)
    ramp = np.where(np.isfinite(since), ramp, 0.0)
    decay = np.where(np.isfinite(after), decay, 0.0)
    return np.asarray(active, float) * np.clip(compliance, 0.0, 1.0) * ramp * decay


def combine(e, coverage, volume_cut, discount_usd) -> tuple[np.ndarray, np.ndarray]:
    """``(prod (1 - k v e), sum k d e)`` over the last (measure) axis."""
    k = np.clip(coverage, 0.0, 1.0)
    vol = np.prod(1.0 - k * np.clip(volume_cut, 0.0, 1.0) * e, axis=-1)
    disc = np.sum(k * np.maximum(discount_usd, 0.0) * e, axis=-1)
    return vol, disc


def realised_price(price, e, coverage, cap_usd) -> np.ndarray:
    """Price after caps: each cap sells its covered, complying share at ``min(p, cap)``.

    ``price`` (n,), ``e``, ``coverage`` and ``cap_usd`` (n, M); measures without a cap
    carry ``cap_usd = inf`` and leave the price alone.
    """
    p = np.asarray(price, float)
    share = np.clip(coverage, 0.0, 1.0) * e
    for m in range(np.shape(e)[-1]):
        p = (1.0 - share[..., m]) * p + share[..., m] * np.minimum(p, cap_usd[..., m])
    return p


def run(
    *, n_weeks, deadline_week, postpone_prob, postpone_weeks, max_postponements, lag_weeks,
    compliance, coverage, volume_cut, discount_usd, half_life_weeks, rng,
) -> dict[str, np.ndarray]:
    """Weekly bite of threatened measures on volumes and discounts.

    Draws the start of each measure ``s = w + N P`` with ``N`` geometric (``P(N >= j) =
    p**j``; dropped past ``max_postponements``), then ``e(t) = c clip((t-s)/L, 0, 1)
    2**(-max(t-s-L, 0)/h)``, ``V(t)/V0 = prod(1 - k v e)``, ``D(t) - D0 = sum(k d e)``
    (KSE Institute Russian Oil Tracker; CREA monthly analyses, 2025). Inputs (n, M).
    """
    u = 1.0 - rng.random(np.shape(deadline_week))
    start = threat_start(u, deadline_week, postpone_prob, postpone_weeks, max_postponements)
    weeks = np.arange(int(n_weeks), dtype=float)
    e = strength(weeks[None, :, None], start[:, None, :], lag_weeks[:, None, :],
                 compliance[:, None, :], half_life_weeks[:, None, :])
    vol, disc = combine(e, coverage[:, None, :], volume_cut[:, None, :], discount_usd[:, None, :])
    started = np.isfinite(start).astype(float)
    return {"volume_multiplier": vol, "extra_discount": disc, "start_week": start,
            "started": started}


def example(rng: np.random.Generator, n_draws: int) -> dict[str, np.ndarray]:
    """Two threatened measures on Russian oil (a sanction and a secondary tariff)."""
    m = 2

    def u(lo, hi):
        return rng.uniform(lo, hi, (n_draws, m))

    return {
        "n_weeks": 52, "deadline_week": u(2, 10), "postpone_prob": u(0.3, 0.8),
        "postpone_weeks": u(2, 6), "max_postponements": np.full((n_draws, m), 5.0),
        "lag_weeks": u(0, 8), "compliance": u(0.2, 0.8), "coverage": u(0.2, 0.6),
        "volume_cut": u(0.0, 0.3), "discount_usd": u(2, 12), "half_life_weeks": u(10, 40),
    }
