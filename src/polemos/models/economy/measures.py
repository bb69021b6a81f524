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

from dataclasses import dataclass

import numpy as np

try:  # the ufunc np.clip ends in, without its Python-level argument checks (same bits)
    from numpy._core.umath import clip
except ImportError:  # pragma: no cover - other NumPy layouts
    clip = np.clip

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
    return bite(week, start, bite_inputs(lag, compliance, half_life), active)


@dataclass(frozen=True)
class Bite:
    """The parts of :func:`strength` that do not change from week to week."""

    lag: np.ndarray
    lag_div: np.ndarray  # L where L > 0, else 1
    lag_on: np.ndarray | None  # L > 0 (None: everywhere)
    half_life: np.ndarray
    half_life_finite: np.ndarray | None  # (None: everywhere)
    weight: np.ndarray  # clip(c, 0, 1)


def bite_inputs(lag, compliance, half_life) -> Bite:
    lag, half_life = np.asarray(lag, float), np.asarray(half_life, float)
    on, finite = lag > 0, np.isfinite(half_life)
    return Bite(lag, np.where(on, lag, 1.0), None if on.all() else on, half_life,
                None if finite.all() else finite, clip(compliance, 0.0, 1.0))


def bite(week, start, b: Bite, active=True) -> np.ndarray:
    """:func:`strength` from its fixed parts ``b`` (same operations, same bits; a
    ``where`` whose condition holds everywhere is left out)."""
    start = np.asarray(start, float)
    since = week - np.where(np.isfinite(start), start, np.inf)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        ramp = clip(since / b.lag_div, 0.0, 1.0)
        if b.lag_on is not None:
            ramp = np.where(b.lag_on, ramp, (since >= 0).astype(float))
        after = np.maximum(since - b.lag, 0.0)
        decay = np.exp2(-after / b.half_life)
        if b.half_life_finite is not None:
            decay = np.where(b.half_life_finite, decay, 1.0)
    ramp = np.where(np.isfinite(since), ramp, 0.0)
    decay = np.where(np.isfinite(after), decay, 0.0)
    weight = b.weight if active is True else np.asarray(active, float) * b.weight  # 1 x = x
    return weight * ramp * decay


def combine(e, coverage, volume_cut, discount_usd) -> tuple[np.ndarray, np.ndarray]:
    """``(prod (1 - k v e), sum k d e)`` over the last (measure) axis."""
    return mix(e, mix_inputs(coverage, volume_cut, discount_usd))


@dataclass(frozen=True)
class Mix:
    """The fixed parts of :func:`combine` and :func:`realised_price`."""

    cover: np.ndarray  # k = clip(coverage, 0, 1)
    cut: np.ndarray  # k clip(v, 0, 1)
    discount: np.ndarray  # k max(d, 0)


def mix_inputs(coverage, volume_cut, discount_usd) -> Mix:
    k = clip(coverage, 0.0, 1.0)
    return Mix(k, k * clip(volume_cut, 0.0, 1.0), k * np.maximum(discount_usd, 0.0))


def mix(e, x: Mix) -> tuple[np.ndarray, np.ndarray]:
    """:func:`combine` from its fixed parts."""
    return last_axis(np.multiply, 1.0 - x.cut * e), last_axis(np.add, x.discount * e)


def last_axis(op: np.ufunc, a: np.ndarray) -> np.ndarray:
    """``op.reduce(a, axis=-1)`` (product or sum), column by column for a few columns.

    NumPy reduces a short last axis in order: ``((a0 * a1) * a2) ...`` for products,
    ``((0 + a0) + a1) + ...`` for sums below eight terms (longer sums go pairwise; the
    leading ``0 +`` turns a -0 into +0), so the loop gives the same bits without the
    per-row overhead of a reduction over a short axis."""
    m = np.shape(a)[-1]
    if np.ndim(a) != 2 or m == 0 or (op is np.add and m >= 8):
        return op.reduce(a, axis=-1)
    out = a[:, 0] + 0.0 if op is np.add else a[:, 0].copy()
    for j in range(1, m):
        op(out, a[:, j], out=out)
    return out


def realised_price(price, e, coverage, cap_usd) -> np.ndarray:
    """Price after caps: each cap sells its covered, complying share at ``min(p, cap)``.

    ``price`` (n,), ``e``, ``coverage`` and ``cap_usd`` (n, M); measures without a cap
    carry ``cap_usd = inf`` and leave the price alone.
    """
    return capped_price(price, e, clip(coverage, 0.0, 1.0), cap_usd)


def capped_price(price, e, cover, cap_usd) -> np.ndarray:
    """:func:`realised_price` with the clipped coverage ``cover`` given."""
    p = np.asarray(price, float)
    share = cover * e
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
