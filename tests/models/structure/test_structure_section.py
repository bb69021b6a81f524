"""The ``structure`` scenario section: schema, cross-reference check, names, simulation."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from pydantic import ValidationError
from ruamel.yaml import YAML

from polemos.models.structure import simulate
from polemos.models.structure.section import StructureSection, check_structure, state_names
from polemos.scenario.sections import discover_sections

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "docs" / "validation" / "structure_seed_section.yaml"
SCENARIO = ROOT / "scenarios" / "great-power-rivalry.yaml"
# sources the seed block cites that the great-power-rivalry scenario already declares
SCENARIO_SOURCES = ["cow_nmc_v7", "worldsteel_2025", "sipri_milex_2024", "nato_hague_2025"]


def _seed() -> dict:
    return YAML(typ="safe").load(SEED.read_text())


def _scenario(section: StructureSection, actors, sources):
    return SimpleNamespace(
        structure=section,
        actors=[SimpleNamespace(id=a) for a in actors],
        meta=SimpleNamespace(sources=[SimpleNamespace(id=s) for s in sources]),
    )


@pytest.fixture(scope="module")
def seed():
    return StructureSection.model_validate(_seed()["structure"])


def test_section_is_registered():
    spec = discover_sections()["structure"]
    assert spec.model is StructureSection and spec.check is check_structure


def test_seed_block_validates_and_checks_clean(seed):
    doc = _seed()
    sources = [s["id"] for s in doc["meta_sources_to_add"]] + SCENARIO_SOURCES
    sc = _scenario(seed, seed.actor_ids(), sources)
    assert check_structure(sc) == []
    assert seed.base_year == 2022 and seed.dominant == "USA"


def test_check_reports_unknown_actor_and_source(seed):
    sc = _scenario(seed, ["USA", "CHN"], ["cow_nmc_v7"])
    problems = check_structure(sc)
    locs = [p[0] for p in problems]
    assert ("structure", "powers", 2, "actor") in locs  # RUS is not an actor
    assert any(p[1] == "unknown source 'un_wpp_2024'" for p in problems)
    assert all(len(p) == 3 for p in problems)


def test_check_coalition_and_dominant_errors(seed):
    bad = seed.model_copy(update={"dominant": "USAA"})
    bad.coalitions[0].members.append("USA")
    problems = check_structure(_scenario(bad, bad.actor_ids(), []))
    messages = " | ".join(p[1] for p in problems)
    assert "dominant 'USAA' is not a listed power" in messages
    assert any("did you mean 'USA'" in p[2] for p in problems)
    bad.coalitions[0].members.pop()


def test_schema_rejects_missing_levels_and_unknown_keys():
    base = {"base_year": 2022, "dominant": "a", "powers": [{"actor": "a"}, {"actor": "b", "from_cow": True}]}
    with pytest.raises(ValidationError, match="components"):
        StructureSection.model_validate(base)
    base["powers"][0] = {"actor": "a", "from_cow": True, "cow_ccode": 2, "colour": "red"}
    with pytest.raises(ValidationError):
        StructureSection.model_validate(base)


def test_names(seed):
    names = state_names(seed)
    assert "structure.share.USA" in names and "structure.share.rest_of_world" not in names
    assert "structure.ratio.CHN_USA" in names and "structure.ratio.BRICS_USA" in names
    assert "structure.overtaken.IND" in names and "structure.war_hazard" in names


def test_simulation_state_matches_names_and_is_reproducible(seed):
    a = simulate.simulate(seed, 200, np.random.default_rng(3))
    b = simulate.simulate(seed, 200, np.random.default_rng(3))
    np.testing.assert_array_equal(a.cinc, b.cinc)
    st = simulate.state(a)
    assert set(st) == set(state_names(seed))
    assert st["structure.overtaken.CHN"].dtype == bool
    assert st["structure.overtaken.CHN"].all()  # CINC: China ahead of the US since ~2000
    np.testing.assert_allclose(a.cinc.sum(axis=-1), 1.0)
    assert 0.0 <= st["structure.war_hazard"].min() <= st["structure.war_hazard"].max() <= 1.0
    summ = simulate.summary(a)
    assert summ["overtaking"]["CHN"]["ahead_at_base"] == 1.0
    assert 0.0 <= summ["overtaking"]["IND"]["p_within_horizon"] <= 1.0


def test_fill_components_from_lookup():
    sec = StructureSection.model_validate(
        {
            "base_year": 2022,
            "dominant": "a",
            "powers": [{"actor": "a", "from_cow": True, "cow_ccode": 2}, {"actor": "b", "from_cow": True, "cow_ccode": 710}],
            "rest_of_world": {"from_cow": True},
        }
    )
    comps = ("milex", "milper", "irst", "pec", "tpop", "upop")
    filled = simulate.fill_components(sec, lambda c, y: dict.fromkeys(comps, float(c)), lambda y: dict.fromkeys(comps, 1000.0))
    assert filled.powers[1].components.milex == 710.0
    assert filled.rest_of_world.components.tpop == 1000.0 - 712.0


def _scenario_yaml(actors: list[str], drop_source: str | None = None) -> str:
    """A minimal scenario around the seed block, as YAML text for the core loader."""
    import io

    doc = _seed()
    stubs = [{"id": i, "title": i, "author": "stub", "kind": "dataset"} for i in SCENARIO_SOURCES]
    sources = [s for s in doc["meta_sources_to_add"] + stubs if s["id"] != drop_source]
    data = {
        "meta": {"id": "gp", "title": "t", "as_of": "2025-10-24", "horizon": "2026-10-24", "sources": sources},
        "actors": [{"id": a, "name": a} for a in actors],
        "structure": doc["structure"],
    }
    buf = io.StringIO()
    YAML().dump(data, buf)
    return buf.getvalue()


def test_core_loader_accepts_seed_block_and_locates_errors(seed):
    load = pytest.importorskip("polemos.scenario.load")
    from polemos.scenario import ScenarioError

    sc = load.loads_scenario(_scenario_yaml(seed.actor_ids()), "gp.yaml")
    assert isinstance(sc.structure, StructureSection)
    with pytest.raises(ScenarioError) as info:
        load.loads_scenario(_scenario_yaml([a for a in seed.actor_ids() if a != "IND"], "un_wpp_2024"), "gp.yaml")
    text = str(info.value)
    assert "unknown actor 'IND'" in text
    assert "un_wpp_2024" in text


def test_last_lead_change_checked(seed):
    assert seed.last_lead_change == {"CHN": 2003, "RUS": 1989}
    bad = seed.model_copy(update={"last_lead_change": {"CHNA": 2003, "IND": 2030}})
    problems = check_structure(_scenario(bad, bad.actor_ids(), []))
    messages = [p[1] for p in problems if p[0][:2] == ("structure", "last_lead_change")]
    assert "'CHNA' is not a challenger" in messages and "2030 is after base_year" in messages


def test_seed_block_merges_into_the_seed_scenario(seed):
    """The block validates inside scenarios/great-power-rivalry.yaml (actors and sources)."""
    import io

    assert SCENARIO.is_file(), "the great-power-rivalry seed scenario is missing"
    from polemos.scenario.load import loads_scenario

    yaml = YAML()
    data = yaml.load(SCENARIO.read_text())
    doc = _seed()
    known = {s["id"] for s in data["meta"]["sources"]}
    data["meta"]["sources"].extend(s for s in doc["meta_sources_to_add"] if s["id"] not in known)
    data["structure"] = doc["structure"]
    buf = io.StringIO()
    yaml.dump(data, buf)
    sc = loads_scenario(buf.getvalue(), str(SCENARIO))
    assert sc.structure.dominant == "USA"
