"""``polemos war`` and ``polemos fit lanchester`` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from polemos.cli.app import main
from polemos.models.attrition.fit import synthetic_campaign

FIXTURE = Path(__file__).resolve().parents[1] / "models" / "attrition" / "theatre_fixture.yaml"


def test_war_json(capsys, tmp_path):
    png = tmp_path / "war.png"
    code = main(["war", str(FIXTURE), "--weeks", "12", "--draws", "200", "--json",
                 "--plot", str(png)])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    th = doc["theatres"][0]
    assert th["id"] == "ukraine" and len(th["dates"]) == 13
    fan = th["forces"]["UKR"]
    assert all(fan["p05"][t] <= fan["p50"][t] <= fan["p95"][t] for t in range(13))
    assert {t["name"] for t in th["towns"]} == {"Pokrovsk", "Kramatorsk"}
    assert all(0 <= p <= 1 for p in th["towns"][0]["p_fallen"])
    assert png.stat().st_size > 10_000


def test_war_same_seed_same_output(capsys):
    args = ["war", str(FIXTURE), "--weeks", "6", "--draws", "50", "--seed", "3", "--json"]
    main(args)
    one = capsys.readouterr().out
    main(args)
    assert capsys.readouterr().out == one


def test_war_text_and_unknown_theatre(capsys):
    assert main(["war", str(FIXTURE), "--weeks", "8", "--draws", "50"]) == 0
    assert "Pokrovsk" in capsys.readouterr().out
    assert main(["war", str(FIXTURE), "--theatre", "ukrane"]) == 2
    assert "did you mean 'ukraine'" in capsys.readouterr().err


def test_fit_lanchester_cdb90_json(capsys, shared_data):
    assert main(["fit", "lanchester", "--by-period", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    fits = {f["label"]: f for f in doc["fits"]}
    assert set(fits) == {"all", "pre-1900", "1900-1945", "post-1945"}
    assert fits["all"]["slope_low"] < fits["all"]["slope"] < fits["all"]["slope_high"]


def test_fit_lanchester_campaign_csv(capsys, tmp_path):
    data = synthetic_campaign(a=0.01, b=0.02, p_r=0, q_r=1, p_b=0, q_b=1, red0=2e4,
                              blue0=1.5e4, days=30, rng=np.random.default_rng(0))
    path = tmp_path / "campaign.csv"
    pd.DataFrame(data).to_csv(path, index=False)
    assert main(["fit", "lanchester", "--data", str(path), "--law", "square", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    red = doc["fits"][0]
    assert red["names"] == ["a"] and red["low"][0] <= 0.01 <= red["high"][0]
    bad = tmp_path / "bad.csv"
    bad.write_text("day,red\n1,2\n")
    assert main(["fit", "lanchester", "--data", str(bad)]) == 2
    assert "missing column" in capsys.readouterr().err
