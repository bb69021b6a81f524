"""Scores against hand-computed values; baselines; CRPS against its closed form."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polemos.forecast.scoring import calibration, crps, log_loss, score


def _freeze(questions, scenario="s"):
    return {"kind": "freeze", "seq": 1, "scenario_id": scenario, "frozen_at": "2026-01-01T00:00:00",
            "as_of": "2025-08-10", "contaminated": False, "questions": questions}


def _q(qid, p=None, quantiles=None, rc=None):
    q = {"id": qid, "text": qid, "kind": "numeric" if quantiles else "binary",
         "resolves": "2025-12-31", "draws": 1000, "backtest": True}
    if quantiles:
        q["quantiles"] = quantiles
    else:
        q["p"] = p
    if rc is not None:
        q["reference_class"] = {"label": "x", "base_rate": rc, "source": "s"}
    return q


def _res(question, outcome=None, value=None):
    return {"kind": "resolution", "question": question, "outcome": outcome, "value": value,
            "date": "2025-12-01", "sources": [{"title": "t", "url": "https://x", "date": "2025-12-02"}]}


def test_brier_log_and_coin_skill_by_hand():
    entries = [_freeze([_q("a", 0.8, rc=0.5), _q("b", 0.3), _q("c", 0.6)]),
               _res("a", True), _res("s/b", False)]
    r = score(entries)
    assert r["n_resolved"] == 2 and r["n_frozen"] == 3
    assert r["brier"] == pytest.approx((0.2**2 + 0.3**2) / 2)
    assert r["log_score"] == pytest.approx((-math.log(0.8) - math.log(0.7)) / 2)
    coin = r["baselines"]["coin"]
    assert coin["brier"] == pytest.approx(0.25)
    assert coin["brier_skill"] == pytest.approx(1 - r["brier"] / 0.25)
    assert r["baselines"]["base_rate"]["n"] == 1
    assert r["baselines"]["base_rate"]["brier"] == pytest.approx(0.25)


def test_a_wrong_confident_forecast_scores_worse_than_a_coin():
    r = score([_freeze([_q("a", 0.95), _q("b", 0.9)]), _res("a", False), _res("b", False)])
    assert r["brier"] > 0.25 and r["baselines"]["coin"]["brier_skill"] < 0


def test_reference_forecasts_and_later_freezes_and_corrections():
    second = _freeze([_q("a", 0.1)])
    second["seq"] = 2
    entries = [_freeze([_q("a", 0.9)]), second, _res("a", False), _res("a", True),
               {"kind": "reference", "question": "a", "name": "crowd", "p": 0.7}]
    r = score(entries)
    row = r["by_question"][0]
    assert row["p"] == 0.9 and row["later_freezes"] == 1  # the first freeze is scored
    assert row["outcome"] == "yes" and row["corrections"] == 1  # the latest resolution
    assert r["baselines"]["reference:crowd"]["brier"] == pytest.approx(0.09)


def test_certain_forecasts_are_clipped_by_half_a_draw():
    assert log_loss(0.0, 1, 1000) == pytest.approx(math.log(2000))
    assert log_loss(1.0, 1, 1000) == pytest.approx(-math.log(1 - 1 / 2000))


@settings(max_examples=30, deadline=None)
@given(y=st.floats(-100, 100), x=st.floats(-100, 100))
def test_crps_of_a_point_forecast_is_the_absolute_error(y, x):
    assert crps(y, [x] * 5) == pytest.approx(abs(x - y), abs=1e-9)


def test_crps_of_numeric_question_prefers_the_sharper_right_forecast():
    levels = (np.arange(100) + 0.5) / 100
    from scipy.stats import norm

    near = norm.ppf(levels, loc=10, scale=1).tolist()
    far = norm.ppf(levels, loc=14, scale=1).tolist()
    r = score([_freeze([_q("near", quantiles=near), _q("far", quantiles=far)]),
               _res("near", value=10.0), _res("far", value=10.0)])
    by = {x["question"]: x for x in r["by_question"]}
    assert by["s/near"]["crps"] < 0.3 < 3.0 < by["s/far"]["crps"]
    assert r["n_numeric"] == 2 and r["brier"] is None


def test_calibration_bins():
    rows = calibration(np.array([0.05, 0.07, 0.95, 1.0]), np.array([0.0, 1.0, 1.0, 1.0]))
    assert rows[0]["n"] == 2 and rows[0]["observed"] == 0.5 and rows[-1]["n"] == 2


def test_scores_per_scenario_and_the_scenario_filter():
    b = _freeze([_q("a", 0.9)], scenario="t")
    b["contaminated"] = True
    entries = [_freeze([_q("a", 0.2)]), b, _res("a", False)]  # 'a' resolves in both
    r = score(entries)
    assert r["n_resolved"] == 2 and r["contaminated"] is True
    assert r["by_scenario"]["s"]["brier"] == pytest.approx(0.04)
    assert r["by_scenario"]["t"]["brier"] == pytest.approx(0.81) and r["by_scenario"]["t"]["contaminated"]
    only = score(entries, scenario="s")
    assert only["n_resolved"] == 1 and only["contaminated"] is False and list(only["by_scenario"]) == ["s"]
