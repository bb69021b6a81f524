"""The shipped record: forecasts/ at the repository root scores, verifies, and its
Alaska scenario cites nothing published after its as_of."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from polemos.cli.app import main

ROOT = Path(__file__).resolve().parents[2]


def test_score_at_the_root_reads_the_shipped_register(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert main(["forecast", "verify"]) == 0
    capsys.readouterr()
    assert main(["forecast", "score", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n_resolved"] >= 10
    assert 0 <= out["brier"] <= 1 and out["log_score"] > 0
    assert out["baselines"]["coin"]["brier"] == 0.25
    assert out["backtest"] is True  # frozen after the events: labelled as a backtest
    for row in out["by_question"]:
        assert row["sources"], row["question"]
    parts = out["by_scenario"]
    assert parts["ukraine_2025_08_alaska"]["contaminated"] is False
    assert parts["ukraine_2025_10_budapest"]["contaminated"] is True


def test_a_tampered_copy_of_the_shipped_register_fails(tmp_path, capsys):
    copy = tmp_path / "register.jsonl"
    shutil.copy(ROOT / "forecasts" / "register.jsonl", copy)
    lines = copy.read_text().splitlines()
    entry = json.loads(lines[0])
    entry["questions"][0]["p"] = 1.0
    copy.write_text("\n".join([json.dumps(entry)] + lines[1:]) + "\n")
    assert main(["forecast", "verify", str(copy)]) == 1
    assert "entry 1" in capsys.readouterr().err


def test_the_alaska_seed_cites_no_later_source(capsys):
    path = ROOT / "scenarios" / "ukraine-2025-08-alaska.yaml"
    assert main(["validate", str(path)]) == 0
    assert "dated" not in capsys.readouterr().err  # no late-source warning
    from polemos.scenario import load_scenario
    from polemos.scenario.exante import late_sources

    sc = load_scenario(path)
    assert late_sources(sc) == []
    assert len(sc.questions) >= 10


def test_the_documented_score_is_the_registers(monkeypatch, capsys):
    import re

    monkeypatch.chdir(ROOT)
    assert main(["forecast", "score", "--json", "--scenario", "ukraine_2025_08_alaska"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["contaminated"] is False and set(out["by_scenario"]) == {"ukraine_2025_08_alaska"}
    doc = (ROOT / "docs" / "validation" / "forecast.md").read_text()
    m = re.search(r"Brier ([0-9.]+), log score ([0-9.]+) nats", doc)
    assert m, "docs/validation/forecast.md states the score"
    assert float(m.group(1)) == round(out["brier"], 3)
    assert float(m.group(2)) == round(out["log_score"], 3)


def test_every_shipped_freeze_has_its_scenario_snapshot():
    import hashlib

    from polemos.forecast import register as R

    reg = ROOT / "forecasts" / "register.jsonl"
    assert R.verify_snapshots(reg) == []
    for e in R.entries(reg):
        if e["kind"] == "freeze":
            snap = reg.parent / "scenarios" / f"{e['scenario_id']}-{e['content_hash'][:12]}.json"
            assert hashlib.sha256(snap.read_bytes()).hexdigest() == e["content_hash"]
