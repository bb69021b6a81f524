"""Fitting: CDB90 exchange-ratio slopes and campaign parameter recovery."""

from __future__ import annotations

import numpy as np
import pytest

from polemos.datasets.battles import load_cdb90
from polemos.models.attrition.fit import (
    advance_by_ratio,
    fit_campaign,
    fit_exchange_slope,
    fit_exchange_slope_by_period,
    synthetic_campaign,
)
from polemos.models.attrition.laws import exponents, integrate


@pytest.fixture(scope="module")
def cdb90(shared_data):
    return load_cdb90(shared_data)


def _cols(frame, kind="strength"):
    return (frame[f"attacker_{kind}"], frame[f"defender_{kind}"],
            frame["attacker_casualties"], frame["defender_casualties"])


def test_cdb90_loaded(cdb90):
    assert 600 <= len(cdb90) <= 660
    years = cdb90["year"].dropna()
    assert len(years) >= len(cdb90) - 5 and years.between(1600, 1982).all()


def test_cdb90_slope_overall_near_literature(cdb90):
    fit = fit_exchange_slope(*_cols(cdb90))
    assert fit.n > 550
    # literature: about -0.8; square law -2 and logarithmic 0 are excluded
    assert -1.0 < fit.slope < -0.6
    assert fit.slope_low < -0.8 < fit.slope_high + 0.1
    assert fit.slope_high < 0.0 and fit.slope_low > -2.0
    assert fit.nearest_law == "linear"


def test_cdb90_slope_1900_1945_near_minus_one(cdb90):
    fits = {f.label: f for f in fit_exchange_slope_by_period(*_cols(cdb90), cdb90["year"])}
    ww = fits["1900-1945"]
    assert ww.slope_low < -1.0 < ww.slope_high
    assert "linear" in ww.laws_in_interval and "square" not in ww.laws_in_interval
    # every battle with a known year falls in exactly one period
    assert fits["all"].n - 5 <= sum(f.n for k, f in fits.items() if k != "all") <= fits["all"].n


def test_cdb90_initial_strength_variant(cdb90):
    fit = fit_exchange_slope(*_cols(cdb90, "initial"))
    assert fit.n > 400
    assert fit.slope_low < -0.8 < fit.slope_high


def test_slope_recovers_law_on_simulated_battles(rng):
    """Battles simulated by the square / linear law give slopes near -2 / -1 (short battles)."""
    n = 300
    att = rng.uniform(1e3, 1e4, n)
    dfn = rng.uniform(1e3, 1e4, n)
    for law, coef, slope in (("square", 1e-5, -2.0), ("linear", 2e-9, -1.0)):
        k = coef * np.exp(0.3 * rng.standard_normal(n))
        rs, bs = integrate(att, dfn, k, coef, exponents(law), 1.0, 20)
        fit = fit_exchange_slope(att, dfn, att - rs[:, -1], dfn - bs[:, -1])
        assert fit.slope_low < slope < fit.slope_high, (law, fit)


def test_advance_by_ratio_bins(cdb90):
    rows = advance_by_ratio(cdb90["attacker_strength"], cdb90["defender_strength"],
                            cdb90["kmda"], cdb90["duration_days"])
    assert sum(r["n"] for r in rows) > 400
    assert all(r["q1"] <= r["median_km_per_day"] <= r["q3"] for r in rows)


TRUE = dict(a=2e-4, b=5e-5, p_r=0.4, q_r=0.9, p_b=0.6, q_b=0.7)


def _fit_synthetic(seed, profile=True):
    rng = np.random.default_rng(seed)
    data = synthetic_campaign(**TRUE, red0=40_000, blue0=30_000, days=120, rng=rng,
                              noise_sd=0.15, reinforce=0.3)
    return fit_campaign(data["red_strength"], data["blue_strength"],
                        data["red_casualties"], data["blue_casualties"], profile=profile)


def _covered(red, blue):
    out = []
    for fit, names in ((red, ("a", "p_r", "q_r")), (blue, ("b", "p_b", "q_b"))):
        for name, key in zip(fit.names, names, strict=True):
            lo, hi = fit.interval(name)
            out.append(lo <= TRUE[key] <= hi)
    return out


def test_campaign_recovery_general_exponents():
    red, blue = _fit_synthetic(2)
    assert all(_covered(red, blue))
    assert red.r2 > 0.3 and blue.r2 > 0.3
    assert abs(red.value("q") - TRUE["q_r"]) < 0.3


def test_campaign_interval_coverage():
    """95% intervals cover the truth in about 95% of synthetic campaigns (measured 92-97%
    over 200 seeds; here 60 seeds, each parameter at least 85%)."""
    hits = np.array([_covered(*_fit_synthetic(seed, profile=False)) for seed in range(100, 160)])
    assert hits.mean(axis=0).min() >= 0.85, hits.mean(axis=0)


def test_campaign_recovery_fixed_square_law(rng):
    data = synthetic_campaign(a=0.01, b=0.02, p_r=0, q_r=1, p_b=0, q_b=1, red0=20_000,
                              blue0=15_000, days=40, rng=rng, noise_sd=0.1)
    red, blue = fit_campaign(data["red_strength"], data["blue_strength"],
                             data["red_casualties"], data["blue_casualties"], law="square")
    assert red.names == ["a"] and blue.names == ["b"]
    assert red.interval("a")[0] <= 0.01 <= red.interval("a")[1]
    assert blue.interval("b")[0] <= 0.02 <= blue.interval("b")[1]
    assert red.r2 > 0.5


def test_campaign_needs_enough_days():
    with pytest.raises(ValueError, match="need more days"):
        fit_campaign([1, 2, 3], [1, 2, 3], [0.1, 0.1, 0.1], [0.1, 0.1, 0.1])
