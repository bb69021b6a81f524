"""Order-of-magnitude check against Ukraine's General Staff claims of Russian losses.

The claims are one-sided and upper-biased: agreement within a factor of two is all this
checks (and the test theatre's loss range was set with the claims in view, so it is a
consistency check of units and rates, not an independent validation).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from polemos.datasets.ukraine_losses import load_claimed_russian_losses, weekly_rate
from polemos.models.attrition.build import simulate_theatre
from polemos.scenario import load_scenario

FIXTURE = Path(__file__).with_name("theatre_fixture.yaml")


def test_claimed_series_loads(shared_data):
    s = load_claimed_russian_losses(shared_data)
    assert s.index.min().year == 2022 and s.is_monotonic_increasing
    rate = weekly_rate(s, "2025-06-01", "2025-08-10")
    assert 5_000 < rate < 10_000  # about 1,000 a day claimed in mid-2025


def test_theatre_loss_rate_same_order_as_claims(shared_data):
    claims = load_claimed_russian_losses(shared_data)
    sc = load_scenario(FIXTURE)
    out = simulate_theatre(sc.theatres[0], n_draws=500, weeks=52,
                           rng=np.random.default_rng(1))
    ours_first = np.median(out["losses.ukraine.RUS"][:, 4]) / 4
    claimed_first = weekly_rate(claims, "2025-08-10", "2025-09-07")
    assert 0.5 < ours_first / claimed_first < 2.0
    ours_year = np.median(out["losses.ukraine.RUS"][:, -1])
    claimed_year = claims["2026-08-08"] - claims["2025-08-10"]
    assert 0.5 < ours_year / claimed_year < 2.0


ROOT = Path(__file__).resolve().parents[3]


def test_seed_section_merges_and_ground_pace_is_plausible():
    """The theatres block loads into the August seed scenario; one year of simulated
    ground matches 2025's observed pace. The seed uses the preponderance law with v_max
    calibrated to the monthly figures of DeepState and ISW (259-634 km2 a month, mean
    of Jul-Nov 2025 about 450, i.e. about 5,400 km2 a year): median within 25%."""
    from polemos.scenario.load import loads_scenario

    scenario = ROOT / "scenarios" / "ukraine-2025-08-alaska.yaml"
    block = ROOT / "docs" / "validation" / "attrition_seed_section.yaml"
    text = scenario.read_text()
    if "\ntheatres:" not in text:  # not merged yet: append the proposed block
        text += "\n" + block.read_text()
    sc = loads_scenario(text, "merged.yaml")
    out = simulate_theatre(sc.theatres[0], n_draws=1000, weeks=52,
                           rng=np.random.default_rng(2))
    ground = np.median(out["territory.ukraine"][:, -1])
    assert 0.75 * 5_400 < ground < 1.25 * 5_400
    assert out["town.ukraine.pokrovsk"][:, -1].mean() > out["town.ukraine.kramatorsk"][:, -1].mean()
