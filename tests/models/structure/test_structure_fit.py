"""The transition fit on COW dyad-years: sample construction and pinned estimates."""

from __future__ import annotations

import json
import warnings

import pytest
from typer.testing import CliRunner

from polemos.datasets import capabilities as cap
from polemos.models.structure import fit


@pytest.fixture(scope="module")
def dyads(shared_data):
    nmc = cap.load_nmc(shared_data)
    major = cap.major_power_years(cap.load_major_powers(shared_data))
    wars = cap.load_war_dyad_years(shared_data)
    return fit.dyad_years(nmc, major, wars, window=10)


@pytest.fixture(scope="module")
def fits(dyads):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit.fit_all(dyads)


def test_sample_construction(dyads):
    assert dyads.year.min() == 1817 and dyads.year.max() == 2007  # 1816 has no lagged CINC
    assert (dyads.ccode_a < dyads.ccode_b).all()
    assert len(dyads) == 2785 and int(dyads.onset.sum()) == 38
    onsets = set(map(tuple, dyads.loc[dyads.onset == 1, ["ccode_a", "ccode_b", "year"]].to_numpy()))
    assert {(220, 255, 1870), (365, 740, 1904), (200, 255, 1914), (2, 710, 1950)} <= onsets
    # China is not a major power before 1950, so the Boxer war (1900) is outside the sample
    assert (2, 710, 1900) not in onsets
    assert (dyads.ratio >= 1).all()
    assert set(dyads.parity) == {0, 1} and set(dyads.overtaking) == {0, 1}


def test_parity_and_overtaking_estimates_pinned(fits):
    f = fits["parity_overtaking"]
    assert f.coef["parity"] == pytest.approx(-0.959, abs=0.01)
    assert f.coef["overtaking"] == pytest.approx(1.423, abs=0.01)
    lo, hi = f.ci["parity"]
    assert lo < 0 < hi  # parity: not distinguishable from zero on all major dyads
    lo, hi = f.ci["overtaking"]
    assert lo > 0  # overtaking: positive, interval excludes zero
    assert f.clusters == 34


def test_hazard_specification_matches_kernel_terms(fits):
    from polemos.models.structure.transition import COEFFICIENTS

    assert fits["hazard"].terms == ["intercept", "parity", "overtaking", "abs_log_ratio"]
    assert tuple(fits["hazard"].terms) == COEFFICIENTS
    p = fit.predicted(fits["hazard"], {"parity": 1, "overtaking": 1, "abs_log_ratio": 0.05})
    assert 0 < p["low"] < p["p"] < p["high"] < 0.2


def test_cli_fit_transition_json(shared_data):
    from polemos.cli.app import app

    result = CliRunner().invoke(app, ["fit", "transition", "--json", "--data", str(shared_data)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["sample"]["onsets"] == 38
    assert "overtaking" in doc["fits"]["hazard"]["terms"]
    assert any(v.startswith(("agrees", "disagrees", "not confirmed")) for v in doc["verdict"])
