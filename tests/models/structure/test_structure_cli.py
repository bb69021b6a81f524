"""``polemos structure FILE``: JSON output, plot, from_cow filling, missing section."""

from __future__ import annotations

import json

import pytest
from test_structure_section import _scenario_yaml, _seed
from typer.testing import CliRunner

from polemos.cli.app import app, main
from polemos.models.structure.section import StructureSection


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory):
    sec = StructureSection.model_validate(_seed()["structure"])
    path = tmp_path_factory.mktemp("structure") / "gp.yaml"
    path.write_text(_scenario_yaml(sec.actor_ids()))
    return path


def test_json_and_plot(scenario_file, tmp_path):
    png = tmp_path / "s.png"
    result = CliRunner().invoke(
        app, ["structure", str(scenario_file), "--years", "12", "--draws", "300", "--json", "--plot", str(png)]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["years"][0] == 2022 and doc["years"][-1] == 2034
    assert doc["overtaking"]["CHN"]["ahead_at_base"] == 1.0
    assert "structure.war_hazard" in doc["state"]
    assert png.stat().st_size > 1000


def test_from_cow_is_filled_from_data(tmp_path, shared_data):
    text = _scenario_yaml(["usa", "china"])
    start = text.index("structure:")
    head = text[:start]
    block = (
        "structure:\n  base_year: 2022\n  horizon: 5\n  dominant: usa\n  powers:\n"
        "  - {actor: usa, from_cow: true, cow_ccode: 2}\n  - {actor: china, from_cow: true, cow_ccode: 710}\n"
        "  rest_of_world: {from_cow: true}\n"
    )
    path = tmp_path / "cow.yaml"
    path.write_text(head + block)
    result = CliRunner().invoke(app, ["structure", str(path), "--json", "--draws", "50", "--data", str(shared_data)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    # shares of the whole system at the base year equal the NMC 2022 CINC values
    assert doc["share"]["usa"][2][0] == pytest.approx(0.123566, abs=2e-5)
    assert doc["share"]["china"][2][0] == pytest.approx(0.234097, abs=2e-5)


def test_missing_section_is_a_located_error(tmp_path, capsys):
    text = _scenario_yaml(["USA"])
    path = tmp_path / "none.yaml"
    path.write_text(text[: text.index("structure:")])
    assert main(["structure", str(path)]) == 2
    assert "no structure section" in capsys.readouterr().err
