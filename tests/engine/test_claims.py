"""Verdict logic of the claims ledger on synthetic environments (no simulation)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from polemos.engine import claims as C


def _claim(expr: str, confidence: str = "likely") -> SimpleNamespace:
    return SimpleNamespace(id="c", text="t", source="s", expr=expr, confidence=confidence)


def _ledger(expr: str, columns: dict[str, np.ndarray], params=None, confidence="likely"):
    rng = np.random.default_rng(3)
    return C.ledger([_claim(expr, confidence)], columns, params or {}, rng)[0]


N = 2000


def test_true_in_every_draw_is_supported():
    row = _ledger("P(war) > 0.5", {"o:war": np.ones(N)})
    assert row["verdict"] == "supported" and row["holds_share"] == 1.0
    assert row["margin"] == pytest.approx(0.5)


def test_false_in_every_draw_is_contradicted():
    row = _ledger("P(war) > 0.5", {"o:war": np.zeros(N)})
    assert row["verdict"] == "contradicted" and row["holds_share"] == 0.0


def test_a_coin_flip_at_the_threshold_is_undecided():
    war = (np.arange(N) % 2).astype(float)  # exactly one half
    row = _ledger("P(war) > 0.5", {"o:war": war})
    assert row["verdict"] == "undecided"
    assert 0.1 < row["holds_share"] < 0.9


def test_ranking_claims_and_dates():
    rng = np.random.default_rng(0)
    cols = {"o:a": (rng.random(N) < 0.6).astype(float), "o:b": (rng.random(N) < 0.2).astype(float),
            "o:x@2026-01-01": rng.normal(3, 1, N)}
    assert _ledger("P(a) > P(b)", cols)["verdict"] == "supported"
    assert _ledger("P(b) > P(a)", cols)["verdict"] == "contradicted"
    assert _ledger("E(x by 2026-01-01) > 2", cols)["verdict"] == "supported"


def test_levels_follow_stated_confidence():
    assert C.level_of("certain") > C.level_of("very_likely") > C.level_of("likely")
    assert C.verdict(0.96, C.level_of("very_likely")) == "supported"
    assert C.verdict(0.96, C.level_of("certain")) == "undecided"
    assert C.verdict(0.005, C.level_of("certain")) == "contradicted"


def test_drivers_find_the_input_that_moves_the_claim():
    rng = np.random.default_rng(1)
    driver, noise = rng.random(N), rng.random(N)
    war = (rng.random(N) < driver).astype(float)  # war is likelier where `driver` is high
    row = _ledger("P(war) > 0.5", {"o:war": war}, {"driver": driver, "noise": noise})
    assert row["drivers"][0]["parameter"] == "driver"
    assert row["drivers"][0]["effect"] > 0.3


def test_a_failing_claim_reports_its_error_instead_of_raising():
    row = _ledger("P(missing) > 0.5", {"o:war": np.ones(N)})
    assert row["verdict"] == "error" and "missing" in row["error"]
