"""The economy section: schema, cross-references through the loader, names, builder, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from polemos.models.economy import counterfactual as cf
from polemos.models.economy.build import build_actor
from polemos.models.economy.section import EconomicMeasure, EconomySection, check, names
from polemos.scenario import ScenarioError
from polemos.scenario.load import load_scenario, loads_scenario

FIXTURE = Path(__file__).with_name("economy_fixture.yaml")


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(FIXTURE)


def _edit(old: str, new: str) -> str:
    text = FIXTURE.read_text()
    assert old in text
    return text.replace(old, new, 1)


def test_fixture_loads_and_names(scenario):
    assert isinstance(scenario.economy, EconomySection)
    got = names(scenario)
    for key in ("oil_gas_revenue", "defence_spending", "reserve_fund", "recruits",
                "production.drones", "production.shells"):
        assert f"economy.RUS.{key}" in got
    assert check(scenario) == []


def test_measure_needs_exactly_one_start():
    base = dict(id="m", kind="sanction", sender="USA", target="RUS", coverage=0.5,
                compliance=0.5)
    with pytest.raises(ValidationError, match="exactly one of start, event, threat"):
        EconomicMeasure(**base)
    with pytest.raises(ValidationError, match="exactly one"):
        EconomicMeasure(**base, start="2025-10-22", event="x")
    with pytest.raises(ValidationError, match="cap_usd is required"):
        EconomicMeasure(**{**base, "kind": "price_cap"}, start="2025-10-22")
    assert EconomicMeasure(**base, start="2025-10-22").effect() == (0.05, 5.0)


@pytest.mark.parametrize("old,new,fragment", [
    ("    RUS:\n      currency", "    RUZ:\n      currency", "unknown actor id 'RUZ'"),
    ("      sender: USA\n      target: RUS\n      start",
     "      sender: USB\n      target: RUS\n      start", "unknown actor id 'USB'"),
    ("event: new_package", "event: new_pakage", "unknown event id 'new_pakage'"),
    ("sources: [ofac]", "sources: [ofax]", "unknown source id 'ofax'"),
    ("- id: india_tariff", "- id: us_rosneft_lukoil", "duplicate id 'us_rosneft_lukoil'"),
    ("      target: RUS\n      threat", "      target: IND\n      threat", "has no economy"),
])
def test_cross_reference_errors_are_located(old, new, fragment):
    with pytest.raises(ScenarioError) as info:
        loads_scenario(_edit(old, new), "econ.yaml")
    text = str(info.value)
    assert fragment in text and "econ.yaml:" in text and "economy" in text


def test_builder_shapes_and_dates(scenario):
    params, m = build_actor(scenario, "RUS", 50, np.random.default_rng(0))
    assert params.items == ("drones", "shells")
    assert m.ids == ("us_rosneft_lukoil", "india_tariff", "new_package")
    assert m.start.shape == (50, 3)
    np.testing.assert_allclose(m.start[:, 0], 113 / 7)  # 2025-07-01 -> 2025-10-22
    assert 0.2 < np.mean(np.isinf(m.start[:, 2])) < 0.8  # event with probability 0.5
    assert np.all(np.isfinite(m.cap_usd[:, 2])) and np.all(np.isinf(m.cap_usd[:, 0]))


def test_counterfactual_paired_and_unknown(scenario):
    run = cf.run_actor(scenario, "RUS", n_draws=200, n_steps=40, dt_weeks=1.0, seed=1,
                       without=("us_rosneft_lukoil",))
    eff = cf.effects(run)
    assert eff["oil_gas_revenue"]["diff_high"] < 0  # the sanction costs revenue in every draw
    assert eff["defence_spending"]["diff_high"] <= 1e-9  # never raises defence spending
    with pytest.raises(cf.UnknownMeasure, match="no measure 'nope'"):
        cf.run_actor(scenario, "RUS", n_draws=10, n_steps=5, dt_weeks=1.0, seed=1,
                     without=("nope",))


def test_counterfactual_of_a_measure_that_never_starts_is_zero():
    text = _edit("postpone_prob: 0.6", "postpone_prob: 1.0")
    sc = loads_scenario(text, "econ.yaml")
    run = cf.run_actor(sc, "RUS", n_draws=50, n_steps=30, dt_weeks=1.0, seed=2,
                       without=("india_tariff",))
    for name, e in cf.effects(run).items():
        assert e["share_changed"] == 0.0, name


def test_cli_json_and_plot(tmp_path):
    from polemos.cli.app import app

    png = tmp_path / "econ.png"
    res = CliRunner().invoke(app, ["economy", str(FIXTURE), "--months", "12", "--draws", "200",
                                   "--without", "us_rosneft_lukoil", "--json", "--plot", str(png)])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["actor"] == "RUS" and len(doc["dates"]) == 12 and doc["step"] == "month"
    assert set(doc["trajectories"]["defence_spending"]) == {"low", "median", "high"}
    e = doc["effects"]["production.drones"]
    assert e["diff_low"] <= e["diff_median"] <= e["diff_high"] <= 1e-9
    assert png.stat().st_size > 10_000


def test_cli_table_and_errors():
    from polemos.cli.app import app

    runner = CliRunner()
    res = runner.invoke(app, ["economy", str(FIXTURE), "--weeks", "20", "--draws", "100"])
    assert res.exit_code == 0, res.output
    assert "Defence output" in res.output and "Budget" in res.output
    bad = runner.invoke(app, ["economy", str(FIXTURE), "--weeks", "5", "--without", "nope"])
    assert bad.exit_code == 2 and "no measure 'nope'" in bad.output
    both = runner.invoke(app, ["economy", str(FIXTURE), "--weeks", "5", "--months", "2"])
    assert both.exit_code == 2
    actor = runner.invoke(app, ["economy", str(FIXTURE), "--weeks", "5", "--actor", "USA"])
    assert actor.exit_code == 2 and "no economy for 'USA'" in actor.output


def test_cli_without_economy_section_is_a_located_error(tmp_path):
    from polemos.cli.app import main

    f = tmp_path / "plain.yaml"
    f.write_text("meta: {id: x, title: X, as_of: 2025-01-01, horizon: 2025-06-01}\n"
                 "actors: [{id: RUS, name: Russia}]\n")
    with pytest.raises(ScenarioError, match="plain.yaml.*no economy section"):
        from polemos.cli.commands.economy import economy

        economy(f, None, 4, None, 10, 1, [], False, None)
    assert main(["economy", str(f), "--weeks", "4"]) == 2


def test_builder_takes_the_engine_values(scenario):
    from polemos.models.economy.build import event_columns

    def value(q, default):
        return np.full(7, 42.0)

    params, m = build_actor(scenario, "RUS", 7, np.random.default_rng(0), value=value)
    np.testing.assert_array_equal(params.fx, 42.0)
    np.testing.assert_array_equal(m.coverage, 42.0)
    assert event_columns(scenario, "RUS") == {"new_package": [2]}


def test_stepper_matches_simulate_and_fires_events(scenario):
    from polemos.models.economy.stepper import ActorStepper
    from polemos.models.economy.war_economy import simulate
    from polemos.scenario.names import state_names

    rng = np.random.default_rng(4)
    econ = ActorStepper(scenario, "RUS", 30, rng)
    assert set(econ.variables()) <= set(state_names(scenario))
    for t in range(20):
        out = econ.advance(float(t), rng)
    rng2 = np.random.default_rng(4)
    params, m = build_actor(scenario, "RUS", 30, rng2)
    ref = simulate(params, m, 20, 1.0, rng2)  # same streams: starts, then shocks week by week
    for name, key in (("reserve_fund", "reserve_fund"), ("defence_spending", "defence_spending"),
                      ("oil_gas_revenue", "oil_gas_revenue")):
        np.testing.assert_allclose(out[f"economy.RUS.{name}"], ref[key][:, -1], rtol=1e-12)
    np.testing.assert_allclose(out["economy.RUS.production.drones"], ref["production"][:, -1, 0])

    driven = ActorStepper(scenario, "RUS", 10, np.random.default_rng(4), event_driven=True)
    assert np.all(np.isinf(driven.starts[:, 2]))
    mask = np.arange(10) < 5
    driven.fire("new_package", mask, 7.0)
    driven.fire("new_package", np.ones(10, bool), 9.0)  # first firing wins
    np.testing.assert_array_equal(driven.starts[:, 2], [7.0] * 5 + [9.0] * 5)
