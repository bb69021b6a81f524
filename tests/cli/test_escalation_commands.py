"""``polemos escalate FILE`` and ``polemos fit crises``: JSON contracts and plots."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from polemos.cli.app import app, main

FIXTURE = Path(__file__).parents[1] / "models" / "escalation" / "fixtures" / "proxy_war.yaml"


def test_escalate_json_and_plot(tmp_path):
    png = tmp_path / "ladder.png"
    args = ["escalate", str(FIXTURE), "--weeks", "20", "--draws", "300", "--json", "--plot", str(png)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    reach = doc["reach_by_week"]
    assert len(reach) == 20 and len(reach[0]) == len(doc["rungs"]) == 7
    for k in range(7):  # reached-by-week probabilities never fall
        col = [row[k] for row in reach]
        assert all(b >= a for a, b in zip(col, col[1:], strict=False))
    assert doc["final"]["deep_strikes"]["p"] == 1.0  # the scenario starts there
    assert doc["moves"]["tomahawk"]["share_used"] == 0.0  # withheld
    assert "escalation.reached.tactical_nuclear" in doc["state"]
    assert png.stat().st_size > 1000
    again = CliRunner().invoke(app, args[:-2])
    assert json.loads(again.output)["reach_by_week"] == reach  # same seed, same numbers


def test_escalate_without_section_is_a_located_error(tmp_path, capsys):
    text = FIXTURE.read_text()
    path = tmp_path / "no_esc.yaml"
    path.write_text(text[: text.index("escalation:")])
    assert main(["escalate", str(path)]) == 2
    assert "no escalation section" in capsys.readouterr().err


def test_fit_crises_json(tmp_path, shared_data):
    png = tmp_path / "rel.png"
    args = ["fit", "crises", "--json", "--folds", "5", "--repeats", "1", "--boot", "200",
            "--data", str(shared_data), "--plot", str(png)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["n_crises"] == 486
    skill = doc["cross_validation"]["scores"]["ordered_logit"]["brier"]
    assert 0.1 < skill["skill"] < 0.4 and skill["low"] < skill["skill"] < skill["high"]
    assert doc["reproduction"]["p_value"] > 0.01
    assert {row["era"] for row in doc["base_rates"]} >= {"interwar", "cold war", "all"}
    assert png.stat().st_size > 1000


def test_validate_names_a_rung_nothing_can_reach(tmp_path, capsys, shared_data):
    """Issue 10: `polemos validate` locates a rung that no move or hazard can reach."""
    text = FIXTURE.read_text().replace(
        "  accident_hazard: {dist: uniform, low: 0.001, high: 0.004, sources: [icb_v14]}",
        "  accident_hazard: 0.0")
    path = tmp_path / "stuck.yaml"
    path.write_text(text)
    code = main(["validate", str(path)])
    err = capsys.readouterr()
    out = err.out + err.err
    assert code != 0 and "cannot be reached" in out, out
    assert "escalation.ladder" in out and "strategic_nuclear" in out
    result = CliRunner().invoke(app, ["fit", "reference", "--json", "--data", str(shared_data)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert [r["k"] for r in doc["wars"]] == [9, 1, 0]
    assert doc["crises"]["nuclear_rivals"]["counts"] == [20, 2, 2, 0]
