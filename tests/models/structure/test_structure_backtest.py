"""Backtest golden test: project 1990 capabilities on 1970-1990 trends, compare 2010/2022."""

from __future__ import annotations

import numpy as np
import pytest

from polemos.datasets import capabilities as cap
from polemos.models.structure import backtest as bt

CODES = [2, 710, 365, 740, 750, 200, 220]
LABELS = ["usa", "china", "russia", "japan", "india", "uk", "france"]


@pytest.fixture(scope="module")
def run(shared_data):
    nmc = cap.load_nmc(shared_data)
    return bt.run_backtest(nmc, CODES, LABELS, n_draws=1000, rng=np.random.default_rng(20251024))


def test_recorded_china_us_overtaking_in_cinc(run):
    over = bt.overtaking_year(run, "china", "usa")
    assert over["recorded_first"] == 1995  # COW NMC v7: China's CINC first above the US
    assert over["recorded_lasting"] == 2003  # and above it every year since
    assert 1995 <= over["median_year"] <= 2006  # the 1970-1990 trends foresee it
    assert over["p_by_end"] > 0.9


def test_share_errors_and_coverage_as_documented(run):
    rows = bt.compare(run)
    for year in (2010, 2022):
        sel = [r for r in rows if r["year"] == year]
        mae = np.mean([abs(r["error"]) for r in sel])
        assert mae < 0.04, (year, mae)
        coverage = np.mean([r["covered"] for r in sel])
        assert 0.25 <= coverage <= 0.75  # 90 % intervals cover about half: overconfident
    soviet = next(r for r in rows if r["year"] == 2010 and r["power"] == "russia")
    assert soviet["error"] > 0.04  # the Soviet collapse is outside any trend
    china = next(r for r in rows if r["year"] == 2022 and r["power"] == "china")
    assert china["error"] < -0.05  # China's rise after 1990 outran its 1970-1990 trend


def test_shares_are_a_simplex(run):
    np.testing.assert_allclose(run.cinc.sum(axis=-1), 1.0, atol=1e-12)
