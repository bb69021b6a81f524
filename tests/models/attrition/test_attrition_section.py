"""The ``theatres`` section: schema, cross-checks, names, and the theatre simulator."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from pydantic import ValidationError

from polemos.models.attrition.build import TheatreSim, simulate_theatre, theatre_exponents
from polemos.models.attrition.section import Theatre, check, names
from polemos.scenario.sections import discover_sections

FIXTURE = Path(__file__).with_name("theatre_fixture.yaml")


def _theatre(**kw) -> dict:
    th = {
        "id": "east", "name": "Eastern front", "attacker": "RUS", "front_km": 1000,
        "advance": {"max_km_per_week": 0.5},
        "sides": [
            {"actor": "RUS", "forces": 640000, "losses_per_week": 7000,
             "recruits_per_week": 7000, "training_weeks": 8},
            {"actor": "UKR", "forces": {"dist": "uniform", "low": 250000, "high": 350000},
             "losses_per_week": 3000, "recruits_per_week": 5000, "manpower_pool": 100000,
             "multipliers": {"drones": 1.2}},
        ],
        "towns": [{"name": "Pokrovsk", "distance_km": 2}, {"name": "Kramatorsk",
                                                            "distance_km": 30}],
    }
    th.update(kw)
    return th


def _scenario(theatres, actors=("RUS", "UKR")):
    return SimpleNamespace(actors=[SimpleNamespace(id=a) for a in actors], theatres=theatres)


def test_registered_as_theatres():
    assert "theatres" in discover_sections()


def test_valid_theatre_and_names():
    th = Theatre.model_validate(_theatre())
    sc = _scenario([th])
    assert check(sc) == []
    got = names(sc)
    for key in ("forces.east.RUS", "losses.east.UKR", "forces.RUS", "territory.east",
                "advance.east", "town.east.pokrovsk", "town.east.kramatorsk"):
        assert key in got, key


def test_check_unknown_actor_and_duplicate_theatre():
    th = Theatre.model_validate(_theatre())
    out = check(_scenario([th, th], actors=("RUS", "UKRR")))
    locs = [loc for loc, _msg, _hint in out]
    assert ("theatres", 1, "id") in locs
    assert ("theatres", 0, "sides", 1, "actor") in locs
    hint = next(h for loc, _m, h in out if loc == ("theatres", 0, "sides", 1, "actor"))
    assert "UKRR" in hint


@pytest.mark.parametrize("change, words", [
    ({"attacker": "USA"}, "not one of the sides"),
    ({"law": "helmbold"}, "weiss"),
    ({"law": "general"}, "exponents"),
    ({"law": "square", "exponents": {"own": 0, "enemy": 1}}, "general only"),
    ({"law": "quadratic"}, "square"),
    ({"advance": {"max_km_per_week": 1, "half_ratio": 0.9}}, "above 1"),
    ({"advance": {"max_km_per_week": 1, "law": "preponderance", "half_ratio": 3}},
     "only to law: saturating"),
    ({"advance": {"max_km_per_week": 1, "law": "logistic"}}, "preponderance"),
    ({"towns": [{"name": "A b", "distance_km": 1}, {"name": "a-b", "distance_km": 2}]},
     "a_b"),
])
def test_invalid_theatres(change, words):
    with pytest.raises(ValidationError, match=words):
        Theatre.model_validate(_theatre(**change))


def test_advance_law_default_and_older_blocks():
    """No ``law``: preponderance, unless the block sets ``half_ratio`` (older files keep
    the saturating law, their results unchanged)."""
    from polemos.models.attrition.front import AdvanceLaw

    new = Theatre.model_validate(_theatre()).advance
    assert new.resolved_law is AdvanceLaw.preponderance and new.resolved_half_ratio is None
    old = Theatre.model_validate(_theatre(advance={"max_km_per_week": 0.5,
                                                   "half_ratio": 3})).advance
    assert old.resolved_law is AdvanceLaw.saturating and old.resolved_half_ratio == 3
    sat = Theatre.model_validate(_theatre(advance={"max_km_per_week": 0.5,
                                                   "law": "saturating"})).advance
    assert sat.resolved_half_ratio == 3.0


def test_preponderance_theatre_moves_at_v_max_while_the_attack_preponderates():
    th = Theatre.model_validate(_theatre(intensity_sd=0.0, towns=[]))
    sim = TheatreSim(th, 50, np.random.default_rng(5))
    sim.step()
    # 640k RUS against at most 350k UKR x 1.2 (UKR's multiplier) x 1.5 (prepared):
    # rho >= 1.02 in every draw, so the first week's advance is v_max
    np.testing.assert_allclose(sim.depth, 0.5)


def test_side_needs_exactly_one_loss_input():
    bad = _theatre()
    bad["sides"][0]["coefficient"] = 0.02
    with pytest.raises(ValidationError, match="exactly one"):
        Theatre.model_validate(bad)
    bad = _theatre()
    bad["sides"][0]["budget_per_week"] = 10
    with pytest.raises(ValidationError, match="go together"):
        Theatre.model_validate(bad)
    bad = _theatre()
    bad["sides"][1]["forces"] = {"dist": "normal", "mean": 3e5, "sd": 1e4}
    with pytest.raises(ValidationError, match="non-negative"):
        Theatre.model_validate(bad)


def test_losses_per_week_calibrates_the_coefficient():
    th = Theatre.model_validate(_theatre(intensity_sd=0.0))
    out = simulate_theatre(th, n_draws=200, weeks=1, rng=np.random.default_rng(3),
                           substeps=16)
    # first-week losses are close to the stated weekly losses (times the enemy multiplier)
    rus = out["losses.east.RUS"][:, 1]
    ukr = out["losses.east.UKR"][:, 1]
    assert np.all(np.abs(rus / (7000 * 1.2) - 1) < 0.05)
    assert np.all(np.abs(ukr / 3000 - 1) < 0.05)


def test_general_law_exponents_per_side():
    th = Theatre.model_validate(_theatre(
        law="general", exponents={"own": 0.2, "enemy": 0.8}))
    e = theatre_exponents(th)
    assert (e.p_r, e.q_r, e.p_b, e.q_b) == (0.2, 0.8, 0.2, 0.8)


def test_simulator_outputs_and_invariants():
    th = Theatre.model_validate(_theatre(intensity_sd=0.3))
    out = simulate_theatre(th, n_draws=300, weeks=40, rng=np.random.default_rng(5))
    for key, arr in out.items():
        assert arr.shape == (300, 41), key
        assert not np.isnan(arr.astype(float)).any(), key
    for a in ("RUS", "UKR"):
        assert (out[f"forces.east.{a}"] >= 0).all()
        assert (np.diff(out[f"losses.east.{a}"]) >= 0).all()
    assert (out["recruited.east.UKR"] <= 100000 + 1e-6).all()
    assert (np.diff(out["advance.east"]) >= 0).all()
    near, far = out["town.east.pokrovsk"], out["town.east.kramatorsk"]
    assert (near.mean(axis=0) >= far.mean(axis=0)).all()


def test_simulator_same_seed_same_bits_and_override():
    th = Theatre.model_validate(_theatre(intensity_sd=0.3))
    a = simulate_theatre(th, n_draws=50, weeks=10, rng=np.random.default_rng(9))
    b = simulate_theatre(th, n_draws=50, weeks=10, rng=np.random.default_rng(9))
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    sim = TheatreSim(Theatre.model_validate(_theatre()), 4, np.random.default_rng(1))
    sim.step(multiplier={"UKR": np.zeros(4)})  # no Ukrainian fire this week
    assert np.all(sim.state()["losses.east.RUS"] == 0.0)


def test_loader_reads_the_section():
    from polemos.scenario import ScenarioError, load_scenario
    from polemos.scenario.load import loads_scenario

    sc = load_scenario(FIXTURE)
    th = sc.theatres[0]
    assert th.attacker == "RUS" and [s.actor for s in th.sides] == ["RUS", "UKR"]
    text = FIXTURE.read_text().replace("- actor: UKR", "- actor: UKRR")
    with pytest.raises(ScenarioError) as err:
        loads_scenario(text, "bad.yaml")
    msg = str(err.value)
    assert "theatres[0].sides[1].actor" in msg and "UKRR" in msg


def test_zero_fire_on_both_sides_freezes_losses_and_front():
    """A truce as the engine applies it: both fire multipliers zero for the week."""
    sim = TheatreSim(Theatre.model_validate(_theatre(intensity_sd=0.2)), 6,
                     np.random.default_rng(4))
    zeros = np.zeros(6)
    for _ in range(3):
        sim.step(multiplier={"RUS": zeros, "UKR": zeros})
    state = sim.state()
    assert np.all(state["losses.east.RUS"] == 0) and np.all(state["losses.east.UKR"] == 0)
    assert np.all(state["advance.east"] == 0) and not state["town.east.pokrovsk"].any()
