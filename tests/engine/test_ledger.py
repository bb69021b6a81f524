"""The claims ledger by worlds, on claims whose truth per world is known analytically.

In ``synthetic_claims.yaml`` P(omen_seen | world) is the world's input
``events.omen.probability`` ~ U(0, 1), so ``P(omen_seen) > 0.3`` holds in 70% of worlds;
``P(omen_seen) >= 0`` holds whatever the inputs; ``P(never) > 0.01`` never does.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from polemos.engine import RunOptions, run_scenario
from polemos.engine.ledger import conditions_text, tree_conditions, world_weights
from polemos.scenario import load_scenario
from polemos.store import Store

FIXTURE = Path(__file__).parent / "ledger_fixtures" / "synthetic_claims.yaml"


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    sc = load_scenario(FIXTURE)
    store = Store(tmp_path_factory.mktemp("ledger"))
    _, summary = run_scenario(sc, RunOptions(worlds=400, paths=40, seed=3, progress=False), store)
    return {c["id"]: c for c in summary["claims"]}, summary


def test_credence_recovered_within_its_interval(ledger):
    rows, _ = ledger
    c = rows["threshold"]
    assert c["decidable"] is True
    assert c["credence_low"] <= 0.7 <= c["credence_high"]
    assert c["verdict"] == "undecided"  # 0.7 is below the 'likely' bar of 0.9


def test_a_claim_no_input_can_change_is_fixed(ledger):
    rows, _ = ledger
    assert rows["tautology"]["verdict"] == "fixed"
    assert rows["tautology"]["fixed_as"] == "supported"
    assert rows["tautology"]["decidable"] is False
    assert rows["impossible"]["verdict"] == "fixed"
    assert "never happens" in rows["impossible"]["fixed_reason"]
    assert "Something impossible" in rows["impossible"]["reading"]


def test_conditions_find_the_input_and_its_threshold(ledger):
    rows, _ = ledger
    conds = rows["threshold"]["conditions"]
    assert [c["parameter"] for c in conds] == ["events.omen.probability"]
    assert conds[0]["high"] is None
    assert abs(conds[0]["low"] - 0.3) <= 0.05  # within 5% of the input's range [0, 1]
    assert rows["threshold"]["drivers"][0]["parameter"] == "events.omen.probability"
    assert rows["threshold"]["drivers"][0]["stability"] >= 0.9


def test_outcome_spread_across_worlds(ledger):
    _, summary = ledger
    omen = next(o for o in summary["outcomes"] if o["id"] == "omen_seen")
    assert omen["spread"]["p05"] < 0.15 and omen["spread"]["p95"] > 0.85  # U(0, 1) inputs
    never = next(o for o in summary["outcomes"] if o["id"] == "never")
    assert never["spread"] == {"p05": 0.0, "p50": 0.0, "p95": 0.0}


def test_noise_alone_does_not_make_a_claim_decidable(tmp_path):
    """P(omen) = 0.5 in every world: the claim P(omen) > 0.5 is a coin flip in each world
    whatever the inputs; re-simulating the extremes shows that no input decides it."""
    text = FIXTURE.read_text().replace("probability: {dist: uniform, low: 0, high: 1}}\n  - {id: decoy",
                                       "probability: 0.5}\n  - {id: decoy", 1)
    path = tmp_path / "coin.yaml"
    path.write_text(text.replace("P(omen_seen) > 0.3", "P(omen_seen) > 0.5"))
    _, summary = run_scenario(load_scenario(path), RunOptions(worlds=200, paths=20, seed=1,
                                                              progress=False), Store(tmp_path / "s"))
    row = next(c for c in summary["claims"] if c["id"] == "threshold")
    assert row["verdict"] == "fixed" and row["decidable"] is False


def test_world_weights_rows_sum_to_one():
    w = world_weights(5, 7, 10, np.random.default_rng(0))
    assert w.shape == (5, 11, 7)
    assert np.allclose(w.sum(axis=2), 1.0)
    assert np.allclose(w[:, 0], 1 / 7)


def test_tree_conditions_on_a_two_input_box():
    rng = np.random.default_rng(4)
    x = rng.random((600, 3))
    y = (x[:, 0] > 0.6) & (x[:, 2] < 0.5)
    out = tree_conditions(x, y, ["a", "b", "c"], {"a": "Alpha", "c": "Gamma"})
    got = {c["parameter"]: c for c in out["conditions"]}
    assert set(got) == {"a", "c"}
    assert abs(got["a"]["low"] - 0.6) < 0.05 and abs(got["c"]["high"] - 0.5) < 0.05
    assert out["density"] >= 0.8
    assert "Alpha > 0.6" in conditions_text(out["conditions"], out["coverage"], out["density"])


def test_a_scenario_without_uncertain_inputs_has_fixed_claims(tmp_path):
    text = FIXTURE.read_text().replace("{dist: uniform, low: 0, high: 1}", "0.6")
    path = tmp_path / "certain.yaml"
    path.write_text(text)
    _, summary = run_scenario(load_scenario(path), RunOptions(worlds=20, paths=10, seed=1,
                                                              progress=False), Store(tmp_path / "s"))
    rows = {c["id"]: c for c in summary["claims"]}
    assert rows["threshold"]["verdict"] == "fixed"
    assert "no uncertain inputs" in rows["threshold"]["fixed_reason"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_claim_near_its_bar_is_not_fixed_by_too_few_paths(tmp_path, seed):
    """P(omen) ~ U(0, 0.58): the claim P(omen) < 0.5 fails in the worlds above 0.5, so an
    input can change its verdict. At the input's upper end (0.58) 48 paths cannot show it
    failing (posterior P(p < 0.5) about 0.13); the second look with more paths can, so
    the claim is decidable rather than called fixed by Monte Carlo noise."""
    text = FIXTURE.read_text().replace(
        "probability: {dist: uniform, low: 0, high: 1}}\n  - {id: decoy",
        "probability: {dist: uniform, low: 0, high: 0.58}}\n  - {id: decoy", 1)
    path = tmp_path / "near.yaml"
    path.write_text(text.replace("P(omen_seen) > 0.3", "P(omen_seen) < 0.5"))
    _, summary = run_scenario(load_scenario(path), RunOptions(worlds=50, paths=20, seed=seed,
                                                              progress=False), Store(tmp_path / "s"))
    row = next(c for c in summary["claims"] if c["id"] == "threshold")
    assert row["decidable"] is True and row["verdict"] != "fixed"
    assert row["credence_range"][0] <= 0.05 and row["credence_range"][1] >= 0.95


def test_given_data_sensitivity_is_judged_over_worlds(ledger):
    """P(omen_seen | world) is the omen input: it explains nearly all the spread across
    worlds (Var(p) / (Var(p) + E[p(1-p)]/40) = 0.95 for U(0, 1) and 40 paths); the decoy
    event's probability, read but irrelevant, explains about nothing. Over draws the
    omen's index would be capped near Var(p)/Var(y) = 1/3 by the paths' own chance."""
    _, summary = ledger
    s1 = {r["parameter"]: r["s1"] for r in summary["sensitivity_given_data"]["omen_seen"]}
    assert s1["events.omen.probability"] > 0.85
    assert s1["events.decoy.probability"] < 0.05
    assert summary["sensitivity_worlds"] == 400
