"""The Python API: polemos.load / run / compare and the Result tables."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import polemos
from polemos.scenario.labels import Labeller, label

ROOT = Path(__file__).resolve().parents[2]
VEN = ROOT / "scenarios" / "venezuela-2025-10.yaml"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> polemos.Result:
    return polemos.run(VEN, draws=500, seed=1, store=tmp_path_factory.mktemp("store"))


def test_import_is_lazy() -> None:
    code = ("import sys, polemos; heavy = [m for m in ('pandas', 'numpy', 'polemos.engine', "
            "'polemos.results', 'typer') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert {"load", "run", "compare", "Result"} <= set(dir(polemos))


def test_outcomes_are_labelled(result: polemos.Result) -> None:
    o = result.outcomes
    assert {"id", "label", "p", "low", "high"} <= set(o.columns)
    assert o["p"].between(0, 1).all() and (o["low"] <= o["p"]).all() and (o["p"] <= o["high"]).all()
    absorbing = o[o["absorbing"].fillna(True).astype(bool)]
    assert absorbing["p"].sum() == pytest.approx(1.0)
    assert "Negotiated transition" in set(o["label"])


def test_claims_have_verdicts(result: polemos.Result) -> None:
    c = result.claims
    assert {"id", "verdict", "text"} <= set(c.columns)
    assert set(c["verdict"]) <= {"supported", "contradicted", "undecided", "fixed", "n/a", "error"}
    assert len(c) == len(result.scenario.claims)


def test_draws_one_row_each_with_labels(result: polemos.Result) -> None:
    d = result.draws()
    assert len(d) == 500 and d["draw"].tolist() == list(range(500))
    assert pd.api.types.is_string_dtype(d["outcome"])
    labels = {o.label for o in result.scenario.outcomes}
    assert set(d["outcome"].dropna()) <= labels
    # outcome frequencies agree with the summary
    p = result.outcomes.set_index("label")["p"]
    for name, share in d["outcome"].value_counts(normalize=True).items():
        assert share == pytest.approx(p[name])
    weeks = d["weeks_to:land_war"]
    assert weeks.isna().any() and (weeks.dropna() >= 0).all()
    assert not any(c.startswith(("p:", "t:", "o:")) or "@" in c for c in d.columns)
    assert set(d.attrs["columns"]) == set(d.columns)


def test_drivers_sensitivity_trajectories(result: polemos.Result) -> None:
    dr = result.drivers
    assert {"claim", "parameter", "label", "effect"} <= set(dr.columns)
    assert not dr["label"].str.contains(r"\.value|attributes\.", regex=True).any()
    s = result.sensitivity
    assert {"target", "parameter", "label", "value"} <= set(s.columns) and len(s) > 0
    t = result.trajectories()
    assert {"variable", "week", "date", "mean", "q05", "q95"} <= set(t.columns)
    assert (t["q05"] <= t["q95"] + 1e-9).all()


def test_report_and_reopen(result: polemos.Result, tmp_path: Path) -> None:
    path = result.report(tmp_path / "rep")
    assert path.exists() and path.name == "report.html"
    again = polemos.Result.open(result.run_id[:25], store=result.store.root)
    assert again.run_id == result.run_id
    assert again.outcomes.equals(result.outcomes)


def test_compare_pairs_draws(result: polemos.Result) -> None:
    b = polemos.run(result.scenario, draws=500, seed=1, store=result.store.root,
                    overrides={"actors.USA.influence": 40})
    df = polemos.compare(result, b)
    assert {"id", "label", "a", "b", "diff", "low", "high"} <= set(df.columns)
    assert df.attrs["paired"] is True
    assert (df["low"] <= df["diff"] + 1e-12).all() and (df["diff"] <= df["high"] + 1e-12).all()


def test_unknown_run_option_is_an_error() -> None:
    from polemos.results import run_options

    with pytest.raises(TypeError, match="no run option bogus"):
        run_options(bogus=3)


def test_labels_use_names() -> None:
    sc = polemos.load(VEN)
    lab = Labeller(sc)
    usa = next(a.name for a in sc.actors if a.id == "USA")
    assert lab("actors.USA.attributes.resolve.value").startswith(usa)
    assert usa in lab("issues.maduro_rule.positions.USA.position")
    assert lab("o:land_war@2026-10-24").endswith("on 2026-10-24")
    assert label("theatres.front.towns[2].distance_km") == "theatres: front town #3 distance (km)"
    assert label("escalation.moves.land_strike.cost", sc).startswith("escalation: move")
