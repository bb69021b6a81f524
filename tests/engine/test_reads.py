"""Which inputs the models read: the watch, descriptive exemptions, validate warnings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from polemos.cli.app import main
from polemos.engine.reads import is_descriptive, read_report
from polemos.scenario.load import loads_scenario

ROOT = Path(__file__).resolve().parents[2]
MINI = Path(__file__).parent / "fixtures" / "mini.yaml"
EXTRA = """    capabilities:
      tanks: {value: 3000, unit: vehicles}
"""


def _with_capability(text: str) -> str:
    anchor = "    influence: 80\n"
    assert anchor in text
    return text.replace(anchor, anchor + EXTRA, 1)


def test_unread_input_found_and_read_ones_not():
    sc = loads_scenario(_with_capability(MINI.read_text()), "mini")
    rep = read_report(sc)
    unread = {i.path for i in rep.unread}
    assert unread == {"actors.USA.capabilities.tanks.value"}
    read = {i.path for i in rep.read}
    assert "actors.RUS.attributes.resolve.value" in read
    assert "issues.territory.positions.USA.salience" in read
    assert "events.summit2.probability" in read
    assert "actors.RUS.influence" in rep.parameters_read


def test_descriptive_patterns_exempt_inputs():
    text = _with_capability(MINI.read_text()).replace(
        "  horizon: 2026-02-01\n",
        '  horizon: 2026-02-01\n  descriptive: ["actors.*.capabilities.*"]\n', 1)
    rep = read_report(loads_scenario(text, "mini"))
    assert not rep.unread
    assert [i.path for i in rep.descriptive] == ["actors.USA.capabilities.tanks.value"]


@pytest.mark.parametrize("path, pattern, hit", [
    ("relations[3].intensity", "relations[*].intensity", True),
    ("relations[3].kind", "relations[*].intensity", False),
    ("actors.RUS.capabilities.gdp.value", "actors.*.capabilities.*", True),
    ("actors.RUS.attributes.resolve.value", "actors.*.capabilities.*", False),
    ("a.b", "a.b", True),
])
def test_is_descriptive(path, pattern, hit):
    assert is_descriptive(path, [pattern]) is hit


def test_validate_names_unread_inputs_with_line(tmp_path, capsys):
    f = tmp_path / "s.yaml"
    f.write_text(_with_capability(MINI.read_text()))
    assert main(["validate", str(f)]) == 0  # a warning, not an error
    err = capsys.readouterr().err
    line = next(i for i, t in enumerate(f.read_text().splitlines(), 1) if "tanks:" in t)
    assert f"s.yaml:{line}:" in err and "actors.USA.capabilities.tanks.value" in err
    assert "no model reads this input" in err
    assert main(["validate", "--json", str(f)]) == 0
    out = json.loads(capsys.readouterr().out)
    warn = [p for p in out[str(f)] if p["severity"] == "warning"
            and p["path"] == "actors.USA.capabilities.tanks.value"]
    assert len(warn) == 1


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.name)
def test_every_input_of_a_shipped_scenario_is_read_or_descriptive(path):
    from polemos.scenario import load_scenario

    rep = read_report(load_scenario(path))
    assert not rep.unread, [i.path for i in rep.unread]
