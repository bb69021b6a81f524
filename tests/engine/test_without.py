"""Claims over counterfactuals: ``without`` arms are paired, cheap when unused, and exact."""

from __future__ import annotations

import numpy as np
import pytest

from polemos.engine import RunOptions, run_scenario
from polemos.engine import expressions as X
from polemos.engine.loop import make_plan
from polemos.engine.stages import active_stages
from polemos.store import Store

REV = "economy.RUS.oil_gas_revenue"
IDLE = ("    - {id: idle, kind: sanction, sender: USA, target: RUS, coverage: 0, "
        "compliance: 0.5, discount_usd: 8, start: 2025-09-01}\n")
CLAIMS = f"""\
  - {{id: idle_same, text: The idle measure changes nothing, source: est, expr: "E({REV} without idle) == E({REV})", confidence: certain}}
  - {{id: cut, text: The sanction cuts revenue, source: est, expr: "E({REV}) - E({REV} without rosneft_lukoil) < 0", confidence: very_likely}}
  - {{id: cut_by, text: Dated and combined, source: est, expr: "E({REV} by 2026-01-01 without idle) < E({REV} by 2026-01-01 without rosneft_lukoil, idle)", confidence: likely}}
  - {{id: no_event, text: Without the event the sanction never starts, source: est, expr: "P(event.sanctions_on without sanctions_on) == 0", confidence: certain}}
"""


def _scenario(full_text: str, with_claims: bool = True):
    from polemos.scenario.load import loads_scenario

    text = full_text.replace("  measures:\n", "  measures:\n" + IDLE, 1)
    if with_claims:
        text = text.replace("theatres:\n", CLAIMS + "theatres:\n", 1)
    return loads_scenario(text)


@pytest.fixture(scope="module")
def full_text(mini_path):
    return mini_path.with_name("full.yaml").read_text()


@pytest.fixture(scope="module")
def scen(full_text):
    return _scenario(full_text)


def _run(scenario, tmp_path, name, **kw):
    store = Store(tmp_path / name)
    opts = RunOptions(draws=600, seed=3, progress=False, block_size=200, **kw)
    run_id, summary = run_scenario(scenario, opts, store)
    return store.read_draws(run_id), {c["id"]: c for c in summary["claims"]}


@pytest.fixture(scope="module")
def result(scen, tmp_path_factory):
    return _run(scen, tmp_path_factory.mktemp("without"), "a")


def test_plan_has_one_arm_per_distinct_set(scen, full_text):
    plan = make_plan(scen, active_stages(scen))
    assert set(plan.arms) == {frozenset({"idle"}), frozenset({"rosneft_lukoil"}),
                              frozenset({"rosneft_lukoil", "idle"}), frozenset({"sanctions_on"})}
    assert (REV, None) in plan.arms[frozenset({"idle"})]
    plain = _scenario(full_text, with_claims=False)
    assert make_plan(plain, active_stages(plain)).arms == {}


def _holds(c):
    """Supported, or fixed as supported (true in every world: the model decides it)."""
    return c["verdict"] == "supported" or (c["verdict"] == "fixed"
                                           and c.get("fixed_as") == "supported")


def test_measure_that_changes_nothing_gives_exactly_zero(result):
    draws, claims = result
    a = draws[X.obs_column(REV, None)].to_numpy()
    b = draws[X.obs_column(REV, None, frozenset({"idle"}))].to_numpy()
    assert np.array_equal(a, b)
    c = claims["idle_same"]
    assert _holds(c) and c["margin"] == 0.0
    assert c["margin_interval"] == (0.0, 0.0) or list(c["margin_interval"]) == [0.0, 0.0]


def test_revenue_cut_is_negative_with_a_tight_paired_interval(result):
    draws, claims = result
    c = claims["cut"]
    # per world the cut is never positive; where the measure does not bite, it is zero,
    # so the claim "< 0" holds in most worlds but not all: decidable, not fixed
    assert c["decidable"] and c["credence"] > 0.5
    lo, hi = c["margin_interval"]
    assert 0 < lo <= c["margin"] <= hi
    # paired: the interval of the difference is far narrower than the spread of revenue
    a = draws[X.obs_column(REV, None)].to_numpy()
    b = draws[X.obs_column(REV, None, frozenset({"rosneft_lukoil"}))].to_numpy()
    assert np.all(a <= b + 1e-9) and (a < b).any()
    unpaired = 2 * 1.645 * np.hypot(a.std(), b.std()) / np.sqrt(len(a))
    assert hi - lo < 0.5 * unpaired
    assert claims["cut_by"]["credence"] > 0.5


def test_switched_off_event_never_happens(result):
    _, claims = result
    assert _holds(claims["no_event"])
    assert claims["no_event"]["value"] == 1.0


def test_arms_are_bit_identical_across_backends(scen, result, tmp_path):
    a, ca = result
    b, cb = _run(scen, tmp_path, "p", backend="processes", workers=2, chunk=200)
    assert any("~without:" in col for col in a.columns)
    assert a.equals(b)
    assert ca == cb


def test_main_arm_is_unchanged_by_without_claims(full_text, result, tmp_path):
    draws, _ = result
    plain, _ = _run(_scenario(full_text, with_claims=False), tmp_path, "plain")
    for col in plain.columns:
        assert np.array_equal(plain[col].to_numpy(), draws[col].to_numpy()), col
    extra = set(draws.columns) - set(plain.columns)
    assert extra and all("~without:" in c or c.startswith("o:") for c in extra)


def test_unknown_id_is_reported_by_check_and_in_the_ledger(scen, tmp_path):
    from polemos.scenario.expr import check, switchable_ids

    ids = switchable_ids(scen)
    assert {"rosneft_lukoil", "tariff_threat", "idle", "sanctions_on", "long_range"} <= set(ids)
    problems = check(f"E({REV} without rosneft_lukoi) > 0", {REV: ""}, "claim", switchable=ids)
    assert problems and "rosneft_lukoil" in problems[0].hint
