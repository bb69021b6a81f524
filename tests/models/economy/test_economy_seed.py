"""The default economy blocks for the seed scenarios load, check and run."""

from __future__ import annotations

from pathlib import Path

import pytest

from polemos.models.economy import counterfactual as cf
from polemos.scenario.load import loads_scenario
from polemos.scenario.yamlio import dump_yaml, parse_yaml

SEED = Path(__file__).resolve().parents[3] / "docs" / "validation" / "economy_seed_sections.yaml"


def seed_scenario(as_of: str = "2025-10-23", horizon: str = "2026-12-31"):
    data, _ = parse_yaml(SEED.read_text(), str(SEED))
    scenario = {
        "meta": {"id": "seed_econ", "title": "Seed economy blocks", "as_of": as_of,
                 "horizon": horizon, "sources": data["sources"]},
        "actors": [{"id": a, "name": a} for a in ("RUS", "UKR", "USA", "EU")],
        "economy": data["economy"],
    }
    return loads_scenario(dump_yaml(scenario), "seed_econ.yaml")


def test_seed_blocks_load_and_name_variables():
    sc = seed_scenario()
    assert set(sc.economy.actors) == {"RUS", "UKR", "USA", "EU"}
    assert len(sc.economy.measures) == 4


@pytest.mark.parametrize("actor", ["RUS", "UKR", "USA", "EU"])
def test_seed_blocks_run(actor):
    sc = seed_scenario()
    run = cf.run_actor(sc, actor, n_draws=200, n_steps=60, dt_weeks=1.0, seed=3)
    for name, arr in run.with_.items():
        assert arr.shape == (200, 60) and (arr >= 0).all() or name == "urals_price", name


def test_rosneft_lukoil_counterfactual_is_paired_and_signed():
    sc = seed_scenario()
    run = cf.run_actor(sc, "RUS", n_draws=400, n_steps=60, dt_weeks=1.0, seed=5,
                       without=("us_rosneft_lukoil",))
    e = cf.effects(run)
    assert e["oil_gas_revenue"]["diff_high"] < 0 < e["debt"]["diff_median"] + 1e-9
    assert e["defence_spending"]["diff_high"] <= 1e-9
    assert e["production.shells"]["diff_high"] <= 1e-9
