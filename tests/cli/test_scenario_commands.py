"""validate / show / schema / new: exit codes and output, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from polemos.cli.app import main

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "scenarios").glob("*.yaml"))


def test_new_then_validate_then_show(tmp_path, capsys):
    assert main(["new", "taiwan 2027", "--dir", str(tmp_path)]) == 0
    path = tmp_path / "taiwan-2027.yaml"
    assert path.exists()
    assert main(["validate", str(path)]) == 0
    assert main(["show", str(path), "--names"]) == 0
    out = capsys.readouterr().out
    assert "Actors" in out and "settlement" in out
    assert main(["new", "taiwan 2027", "--dir", str(tmp_path)]) == 1  # no silent overwrite


def test_validate_reports_located_problems(tmp_path, capsys):
    assert main(["new", "bad", "--dir", str(tmp_path)]) == 0
    path = tmp_path / "bad.yaml"
    path.write_text(path.read_text().replace("salience: 90", "salence: 90"))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:" in err and "did you mean 'salience'?" in err
    assert "Traceback" not in err


def test_validate_json(tmp_path, capsys):
    (tmp_path / "empty.yaml").write_text("")
    assert main(["validate", "--json", str(tmp_path / "empty.yaml")]) == 2
    doc = json.loads(capsys.readouterr().out)
    [problem] = doc[str(tmp_path / "empty.yaml")]
    assert problem["message"] == "file is empty" and problem["line"] == 1


def test_show_bad_file_is_located_not_traceback(tmp_path, capsys):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xff\xfe")
    assert main(["show", str(path)]) == 2
    err = capsys.readouterr().err
    assert "not valid UTF-8" in err and "Traceback" not in err


def test_schema_is_json_schema_with_family_sections(capsys, tmp_path):
    assert main(["schema"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["title"] == "polemos scenario"
    for section in ("meta", "actors", "issues", "relations", "events", "outcomes", "claims"):
        assert section in doc["properties"]
    assert main(["schema", "-o", str(tmp_path / "s.json")]) == 0
    assert json.loads((tmp_path / "s.json").read_text())["additionalProperties"] is False


def test_seed_scenarios_exist():
    names = {p.name for p in SEEDS}
    for expected in (
        "ukraine-2025-08-alaska.yaml",
        "ukraine-2025-10-budapest.yaml",
        "middle-east-2025-10.yaml",
        "venezuela-2025-10.yaml",
        "great-power-rivalry.yaml",
    ):
        assert expected in names


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_every_seed_scenario_validates(path, capsys):
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_every_seed_scenario_has_sourced_claims(path):
    from polemos.scenario.load import load_scenario

    sc = load_scenario(path)
    assert sc.meta.sources and any(s.kind == "essay" for s in sc.meta.sources) or "great-power" in path.name
    for claim in sc.claims:
        assert claim.source in sc.source_ids()
