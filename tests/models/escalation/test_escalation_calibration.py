"""ICB loader, ordinal fit, scores, hazard mapping, and the ICB reproduction check."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from polemos.datasets.crises import ERAS, base_rates_by_era, load_crises
from polemos.models.escalation.calibration import (
    brier,
    chain_reach,
    cross_validate,
    fit_ordered_logit,
    log_score,
    ordered_logit_proba,
    reach_probabilities,
    reliability_table,
    rps,
    skill_with_interval,
    weekly_hazards,
)
from polemos.models.escalation.generic import CRISIS_WEEKS, generic_crisis_inputs
from polemos.models.escalation.ladder import run_ladder


@pytest.fixture(scope="module")
def crises(shared_data):
    return load_crises(shared_data / "crises/icb1v14.csv", shared_data / "crises/icb2v14.csv")


@pytest.fixture(scope="module")
def oof(crises):
    p, clim = cross_validate(crises.X, crises.y, np.random.default_rng(20251024), k=10)
    return p[0], clim[0]


def test_base_rates_match_the_data_readme(crises):
    rates = base_rates_by_era(crises)
    assert rates.loc["all", "n"] == 486
    overall = rates.loc["all", ["none", "minor clashes", "serious clashes", "full-scale war"]]
    np.testing.assert_allclose(overall.to_numpy(float), [0.26, 0.29, 0.24, 0.21], atol=0.006)
    assert list(rates.index) == [*ERAS, "all"]
    assert rates.loc["world war II", "full-scale war"] > 0.5


def test_ordered_logit_recovers_simulated_coefficients():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(4000, 2))
    beta, cuts = np.array([1.0, -0.5]), np.array([-1.0, 0.5, 2.0])
    p = ordered_logit_proba(X, beta, cuts)
    y = (rng.random(4000)[:, None] > np.cumsum(p, 1)).sum(1)
    fit = fit_ordered_logit(X, y)
    np.testing.assert_allclose(fit.beta, beta, atol=4 * fit.se[:2].max())
    np.testing.assert_allclose(fit.cuts, cuts, atol=0.15)


def test_scores_of_perfect_and_uniform_forecasts():
    y = np.array([0, 1, 2, 3])
    perfect = np.eye(4)[y]
    assert brier(perfect, y).max() == 0 and rps(perfect, y).max() == 0
    assert log_score(perfect, y).max() < 1e-9
    uniform = np.full((4, 4), 0.25)
    np.testing.assert_allclose(brier(uniform, y), 0.75)
    np.testing.assert_allclose(log_score(uniform, y), np.log(4))


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.floats(0.02, 0.98), min_size=3, max_size=3),
    st.integers(3, 60),
)
def test_weekly_hazards_invert_the_chain(p, weeks):
    reach = np.sort(np.asarray(p))[::-1][None, :]  # P(Y >= k) non-increasing
    w = np.array([weeks])
    h = weekly_hazards(reach, w)
    feasible = h < 1 - 1e-6
    got = chain_reach(h, w)
    np.testing.assert_allclose(got[feasible], reach[feasible], atol=1e-6)


def test_cross_validated_skill_beats_climatology(crises, oof):
    p, clim = oof
    np.testing.assert_allclose(p.sum(1), 1.0)
    skill = skill_with_interval(p, clim, crises.y, np.random.default_rng(2), "brier", 500)
    assert skill["low"] > 0.1, skill  # CV Brier skill about 0.2 (docs/validation)
    table = reliability_table(reach_probabilities(p)[:, 2], crises.y == 3)
    for row in table:  # full-scale war: calibrated within about 3 standard errors
        assert abs(row["forecast"] - row["observed"]) < 3 * max(row["se"], 0.03)


def test_ladder_on_icb_like_crises_reproduces_icb_violence(crises, oof):
    """Generic crises drawn from ICB attributes, hazards from the out-of-fold ordered logit,
    run through the ladder kernel: the distribution of the highest rung matches ICB's."""
    p, _ = oof
    rng = np.random.default_rng(11)
    idx = rng.integers(0, len(crises.y), 20 * len(crises.y))
    hz = weekly_hazards(reach_probabilities(p[idx]), np.full(len(idx), CRISIS_WEEKS))
    out = run_ladder(**generic_crisis_inputs(hz), weeks=CRISIS_WEEKS, rng=rng)
    sim = np.bincount(out["max_rung"][:, -1], minlength=4) / len(idx)
    observed = np.bincount(crises.y, minlength=4)
    chi2 = ((observed - len(crises.y) * sim) ** 2 / (len(crises.y) * sim)).sum()
    assert stats.chi2.sf(chi2, df=3) > 0.05, (sim, observed / len(crises.y))
    se = np.sqrt(sim * (1 - sim) / len(crises.y))
    assert (np.abs(observed / len(crises.y) - sim) < 2.5 * se).all()
