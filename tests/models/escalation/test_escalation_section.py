"""The ``escalation`` scenario section: schema, cross-references, names, kernel inputs."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from pydantic import ValidationError
from ruamel.yaml import YAML

from polemos.models.escalation.build import ladder_inputs, state_values
from polemos.models.escalation.defaults import DEFAULT_LADDER
from polemos.models.escalation.ladder import initial_state, prepare, simulate, step
from polemos.models.escalation.section import (
    EscalationSection,
    check_escalation,
    escalation_names,
)
from polemos.scenario.sections import discover_sections

FIXTURE = Path(__file__).parent / "fixtures" / "proxy_war.yaml"


def _doc() -> dict:
    return YAML(typ="safe").load(FIXTURE.read_text())


def _scenario(doc: dict, section: EscalationSection) -> SimpleNamespace:
    ids = lambda items: [SimpleNamespace(id=x["id"]) for x in items]  # noqa: E731
    return SimpleNamespace(
        actors=ids(doc["actors"]), events=ids(doc["events"]),
        meta=SimpleNamespace(sources=ids(doc["meta"]["sources"])), escalation=section,
    )


def test_registered():
    assert discover_sections()["escalation"].model is EscalationSection


def test_fixture_validates_and_cross_checks_clean():
    doc = _doc()
    sec = EscalationSection.model_validate(doc["escalation"])
    assert [r.id for r in sec.rungs()] == [r.id for r in DEFAULT_LADDER]
    assert check_escalation(_scenario(doc, sec)) == []


def test_check_finds_unknown_actor_event_rung_and_source():
    doc = _doc()
    esc = doc["escalation"]
    esc["actors"][0]["actor"] = "RUZ"
    esc["moves"][2]["event"] = "tomahawk_decisoin"
    esc["moves"][3]["rung"] = "deep_strike"
    esc["sources"] = ["kahn_1956"]
    sec = EscalationSection.model_validate(esc)
    found = {loc: (msg, hint) for loc, msg, hint in check_escalation(_scenario(doc, sec))}
    assert ("escalation", "actors", 0, "actor") in found
    assert "did you mean 'RUS'" in found[("escalation", "actors", 0, "actor")][1]
    assert "tomahawk_decision" in found[("escalation", "moves", 2, "event")][1]
    assert "deep_strikes" in found[("escalation", "moves", 3, "rung")][1]
    assert ("escalation", "sources") in found
    # moves of an actor not listed under escalation.actors
    assert any(loc[:2] == ("escalation", "moves") and loc[-1] == "actor" for loc in found)


def test_schema_rejects_bad_values():
    doc = _doc()["escalation"]
    with pytest.raises(ValidationError):
        EscalationSection.model_validate({**doc, "accident_hazard": 1.5})
    with pytest.raises(ValidationError):
        EscalationSection.model_validate({**doc, "moves": [doc["moves"][0], doc["moves"][0]]})
    with pytest.raises(ValidationError):
        EscalationSection.model_validate({**doc, "unknown_key": 1})
    with pytest.raises(ValidationError):
        EscalationSection.model_validate({**doc, "actors": [{"actor": "RUS", "side": "c"}]})


def test_names_and_state_values_agree():
    doc = _doc()
    sec = EscalationSection.model_validate(doc["escalation"])
    names = escalation_names(_scenario(doc, sec))
    assert {"escalation.rung", "nuclear_use", "escalation.reached.tactical_nuclear",
            "stocks.GBR.storm_shadow", "stocks.RUS.oreshnik"} <= set(names)
    assert "stocks.UKR.drones" not in names  # unlimited
    params, layout = ladder_inputs(sec, 200, np.random.default_rng(0))
    state = initial_state(params, layout.start)
    values = state_values(state, layout)
    assert set(values) == set(names)
    assert (values["escalation.rung"] == 1).all() and values["escalation.reached.deep_strikes"].all()
    assert not values["nuclear_use"].any()


def test_inputs_sample_quantities_and_withhold():
    sec = EscalationSection.model_validate(_doc()["escalation"])
    params, layout = ladder_inputs(sec, 500, np.random.default_rng(1))
    j = layout.move_ids.index("storm_shadow")
    assert 50 <= params.stock0[:, j].min() and params.stock0[:, j].max() <= 200
    assert not params.enabled[:, layout.move_ids.index("tomahawk")].any()
    assert 1.0 <= params.rationality.min() and params.rationality.max() <= 3.0
    out = simulate(params, 52, np.random.default_rng(2), start_rung=layout.start)
    assert out["uses"][:, layout.move_ids.index("tomahawk")].sum() == 0
    assert (out["max_rung"] >= layout.start).all()


def test_core_loader_reads_the_section():
    load = pytest.importorskip("polemos.scenario.load")
    from polemos.scenario import ScenarioError

    sc = load.load_scenario(FIXTURE)
    assert isinstance(sc.escalation, EscalationSection)
    text = FIXTURE.read_text().replace("actor: GBR, side: a", "actor: GBX, side: a")
    with pytest.raises(ScenarioError) as info:
        load.loads_scenario(text, "pw.yaml")
    assert "GBX" in str(info.value)


def test_nuclear_first_use_is_attributed():
    esc = _doc()["escalation"]
    esc["start"] = "general_war"
    for move in esc["moves"]:
        if move["id"] == "tactical_nuclear":
            move.update(gain=1000.0, cost=0.0)  # outweighs the counter-escalation risk
    sec = EscalationSection.model_validate(esc)
    params, layout = ladder_inputs(sec, 300, np.random.default_rng(3))
    state = initial_state(params, layout.start)
    tables = prepare(params)
    gen = np.random.default_rng(4)
    for _ in range(4):
        state = step(state, params, gen, tables=tables)
    values = state_values(state, layout)
    assert values["nuclear_use"].mean() > 0.9
    np.testing.assert_array_equal(
        values["escalation.nuclear_first.RUS"] | values["escalation.nuclear_by_accident"],
        values["nuclear_use"],
    )
    assert values["escalation.nuclear_first.RUS"].mean() > 0.8
    assert not values["escalation.nuclear_first.USA"].any()


def test_budapest_seed_scenario_escalation_runs():
    from polemos.scenario.load import load_scenario

    root = Path(__file__).parents[3]
    sc = load_scenario(root / "scenarios" / "ukraine-2025-10-budapest.yaml")
    assert sc.escalation is not None
    params, layout = ladder_inputs(sc.escalation, 500, np.random.default_rng(0))
    out = simulate(params, 52, np.random.default_rng(1), start_rung=layout.start)
    assert out["uses"][:, layout.move_ids.index("tomahawk")].sum() == 0
    assert (out["max_rung"][:, -1] >= layout.start).all()
