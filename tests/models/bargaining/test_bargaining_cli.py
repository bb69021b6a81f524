"""The ``polemos bargain`` command: the JSON contract of issue 3 and the readable table."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from polemos.cli.app import app

runner = CliRunner()


def _json(args):
    res = runner.invoke(app, ["bargain", *args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.fixture(scope="module")
def emissions(shared_data):
    return str(shared_data / "bargaining" / "bdm1994_eu_emissions.csv")


def test_json_contract_single_model(emissions):
    doc = _json([emissions, "--model", "eum", "--rounds", "3"])
    assert doc["model"] == "eum"
    assert [r["round"] for r in doc["rounds"]] == [1, 2, 3]
    for r in doc["rounds"]:
        assert set(r) >= {"round", "median", "mean", "positions"}
        assert set(r["positions"]) == {"Netherlands", "Belgium", "Luxembourg", "Germany", "France",
                                       "Italy", "UK", "Ireland", "Denmark", "Greece"}
    assert isinstance(doc["forecast"], float)
    assert 0.0 <= doc["zopa_probability"] <= 1.0


def test_json_all_is_a_list(emissions):
    doc = _json([emissions, "--model", "all", "--rounds", "2"])
    assert isinstance(doc, list)
    assert {d["model"] for d in doc} >= {"compromise", "median", "nash", "eum"}
    by = {d["model"]: d for d in doc}
    assert by["compromise"]["forecast"] == pytest.approx(7.39, abs=0.005)
    assert by["median"]["forecast"] == 7.0


def test_plain_csv_and_plot(tmp_path):
    f = tmp_path / "two.csv"
    f.write_text("actor,capability,position,salience\nA,1,0,100\nB,1,100,100\nC,2,50,50\n")
    png = tmp_path / "t.png"
    res = runner.invoke(app, ["bargain", str(f), "--model", "all", "--rounds", "2", "--plot", str(png)])
    assert res.exit_code == 0, res.output
    assert "compromise" in res.stdout and png.stat().st_size > 1000


def test_ktab_csv_issue_selection(shared_data):
    path = str(shared_data / "bargaining" / "ktab" / "SOE-Pol-Comp.csv")
    doc = _json([path, "--issue", "Policy", "--model", "compromise"])
    assert doc["issue"] == "Policy" and len(doc["rounds"][0]["positions"]) == 13


def test_unknown_issue_is_a_clear_error(emissions):
    res = runner.invoke(app, ["bargain", emissions, "--issue", "nope"])
    assert res.exit_code != 0
    assert "no issue 'nope'" in res.output


@pytest.mark.parametrize("name", ["ukraine-2025-08-alaska.yaml", "ukraine-2025-10-budapest.yaml"])
def test_seed_scenarios_every_issue_every_model(name):
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "scenarios" / name
    doc = _json([str(path), "--model", "all", "--draws", "40", "--rounds", "5"])
    issues = {d["issue"] for d in doc}
    assert len(issues) >= 3
    for d in doc:
        assert 0.0 <= d["zopa_probability"] <= 1.0
        assert 0.0 <= d["forecast"] <= 100.0
        assert d["draws"] == 40
    assert {d["model"] for d in doc} == {"compromise", "median", "nash", "eum", "smp"}


def test_degenerate_inputs(tmp_path):
    """One actor; zero capability and salience: every model answers, nothing crashes."""
    one = tmp_path / "one.csv"
    one.write_text("actor,capability,position,salience\nA,1,50,100\n")
    odd = tmp_path / "odd.csv"
    odd.write_text("actor,capability,position,salience\nA,0,50,0\nB,1,50,100\nC,2,70,0\n")
    for f in (one, odd):
        doc = _json([str(f), "--model", "all"])
        assert {d["model"] for d in doc} == {"compromise", "median", "nash", "eum", "smp"}
        for d in doc:
            assert d["forecast"] == pytest.approx(50.0, abs=1e-6)
