"""The Taiwan Strait scenario: validates, runs, reports trade and output, and its convoy
decision and sanctions on China change outcomes. Section checks of trade and blockade."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from polemos.cli.app import main
from polemos.models.economy import counterfactual as cf
from polemos.scenario.load import load_scenario, loads_scenario

ROOT = Path(__file__).resolve().parents[3]
TAIWAN = ROOT / "scenarios" / "taiwan-strait-2027.yaml"


@pytest.fixture(scope="module")
def taiwan():
    return load_scenario(TAIWAN)


def test_validates_without_warnings(capsys):
    assert main(["validate", str(TAIWAN)]) == 0
    out = capsys.readouterr()
    text = (out.out + out.err).lower()
    assert "ok" in text and "warning" not in text


def test_economy_of_china_reports_trade_and_output_not_oil(capsys):
    assert main(["economy", str(TAIWAN), "--actor", "CHN", "--json", "--draws", "300",
                 "--without", "g7_bank_sanctions"]) == 0
    doc = json.loads(capsys.readouterr().out)
    traj = doc["trajectories"]
    for key in ("output", "output_loss", "exports", "imports", "trade"):
        assert key in traj, key
    for key in ("urals_price", "oil_gas_revenue", "export_revenue"):
        assert key not in traj, key
    eff = doc["effects"]
    for key in ("output", "exports", "imports"):
        e = eff[key]
        assert e["diff_low"] < 0 and e["diff_low"] < e["diff_high"], (key, e)
        assert e["share_changed"] > 0.3, (key, e)
    assert eff["output"]["diff_median"] < 0


def test_a_sanction_on_china_hits_its_trading_partners_too(taiwan):
    run = cf.run_actor(taiwan, "USA", n_draws=300, n_steps=40, dt_weeks=1.0, seed=2,
                       without=("prc_rare_earth_controls",))
    d = run.with_["output"].sum(axis=1) - run.without["output"].sum(axis=1)
    assert (d <= 1e-9).all() and (d < 0).mean() > 0.3


def test_blockade_strangles_taiwan_more_than_its_partners(taiwan):
    runs = {a: cf.run_actor(taiwan, a, n_draws=300, n_steps=52, dt_weeks=1.0, seed=4)
            for a in ("TWN", "CHN", "USA")}
    loss = {a: np.median(r.with_["output_loss"][:, -1]) for a, r in runs.items()}
    assert loss["TWN"] > 5 * loss["CHN"] > 0
    assert loss["TWN"] > 5 * loss["USA"] > 0


def _without_claims(text: str) -> str:
    """The scenario without its claims (outcome tests need no claims ledger)."""
    head, _, rest = text.partition("\nclaims:\n")
    _, _, tail = rest.partition("\nquestions:\n")
    return head + "\nquestions:\n" + tail


def _outcomes(tmp_path, prob: float) -> dict[str, tuple[float, float, float]]:
    from polemos.engine import RunOptions, run_scenario
    from polemos.store import Store

    text = _without_claims(TAIWAN.read_text()).replace(
        "    probability: 0.4\n", f"    probability: {prob}\n", 1)
    sc = loads_scenario(text, "tw.yaml")
    opts = RunOptions(draws=600, seed=5, progress=False, block_size=600)
    _, summary = run_scenario(sc, opts, Store(tmp_path / f"st{prob}"))
    return {o["id"]: (o["p"], o["low"], o["high"]) for o in summary["outcomes"]}


def test_convoy_decision_changes_outcomes(tmp_path):
    lo, hi = _outcomes(tmp_path, 0.4), _outcomes(tmp_path, 0.9)
    # more convoys: fewer strangled, more broken quarantines, more clashes at sea
    assert hi["taiwan_strangled"][2] < lo["taiwan_strangled"][1]
    assert hi["quarantine_broken"][1] > lo["quarantine_broken"][2]
    assert hi["clash_at_sea"][1] > lo["clash_at_sea"][2]


BAD = """
meta: {id: t, title: t, as_of: 2027-01-01, horizon: 2027-06-01}
actors: [{id: A, name: A}, {id: B, name: B}]
economy:
  trade:
    sectors: {goods: {}}
    flows:
      - {exporter: A, importer: C, sector: goods, usd_bn_year: 10}
      - {exporter: A, importer: B, sector: chips, usd_bn_year: 10}
  actors:
    A: {budget: {non_oil_gas_revenue: 1, spending: 1, defence_share: 0.1}, output: {gdp_usd_bn: 100}}
  measures:
    - {id: m, kind: export_control, sender: B, target: A, sectors: [chipz], coverage: 1, compliance: 1, start: 2027-02-01}
blockade:
  theatres:
    - {id: x, target: Z, blockader: A, start: 2027-02-01, intensity: 0.5, kinetic_rung: war}
"""


def test_trade_and_blockade_errors_are_located():
    from polemos.scenario.errors import ScenarioError

    with pytest.raises(ScenarioError) as err:
        loads_scenario(BAD, "bad.yaml")
    text = str(err.value)
    for needle in ("flows[0].importer", "flows[1].sector", "sectors[0]", "theatres[0].target",
                   "kinetic_rung"):
        assert needle in text, (needle, text)


def test_export_control_needs_sectors():
    from polemos.scenario.errors import ScenarioError

    text = BAD.replace("sectors: [chipz], ", "")
    with pytest.raises(ScenarioError) as err:
        loads_scenario(text, "bad.yaml")
    assert "needs 'sectors:'" in str(err.value)


@pytest.mark.parametrize("old, new, needle", [
    ("usd_bn_year: 25.84,", "usd_bn_year: -25.84,", "usd_bn_year must lie in [0, inf]"),
    ("intensity: {dist: uniform, low: 0.25, high: 0.6,",
     "intensity: {dist: uniform, low: 0.25, high: 1.6,", "intensity must lie in [0, 1]"),
    ("coverage: {dist: uniform, low: 0.3, high: 0.7, sources: [analyst]}",
     "coverage: 1.3", "coverage must lie in [0, 1]"),
])
def test_out_of_range_inputs_are_located_errors(old, new, needle):
    from polemos.scenario.errors import ScenarioError

    text = TAIWAN.read_text()
    assert old in text
    with pytest.raises(ScenarioError) as err:
        loads_scenario(text.replace(old, new, 1), "tw.yaml")
    assert needle in str(err.value) and "tw.yaml:" in str(err.value)


def test_ladder_rung_turns_the_quarantine_kinetic(tmp_path):
    """The blockade reads the ladder: with the kinetic rung at the starting rung the
    quarantine is enforced at kinetic intensity, so Taiwan is strangled more often."""
    from polemos.engine import RunOptions, run_scenario
    from polemos.store import Store

    text = _without_claims(TAIWAN.read_text())
    assert "kinetic_rung: blockade_war" in text
    p = {}
    for rung in ("blockade_war", "quarantine"):
        sc = loads_scenario(text.replace("kinetic_rung: blockade_war", f"kinetic_rung: {rung}"),
                            "tw.yaml")
        opts = RunOptions(draws=400, seed=2, progress=False, block_size=400)
        _, summary = run_scenario(sc, opts, Store(tmp_path / rung))
        p[rung] = {o["id"]: o for o in summary["outcomes"]}
    assert p["quarantine"]["quarantine_broken"]["high"] < p["blockade_war"]["quarantine_broken"]["p"]
    assert p["quarantine"]["taiwan_strangled"]["low"] > p["blockade_war"]["taiwan_strangled"]["p"]
