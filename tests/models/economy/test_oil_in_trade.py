"""The oil exporter as one configuration of the trade model: its oil flows in the trade
matrix carry the value of its oil-export path, its oil figures are unchanged by the matrix."""

from __future__ import annotations

import numpy as np
import pytest

from polemos.models.economy import counterfactual as cf
from polemos.scenario.load import loads_scenario

BASE = """
meta: {id: oil_trade, title: oil in trade, as_of: 2025-10-23, horizon: 2026-10-23}
actors: [{id: RUS, name: Russia}, {id: EUR, name: EU}, {id: USA, name: US}]
economy:
  actors:
    RUS:
      currency: RUB
      fx_per_usd: 83.3
      oil: {crude_exports_mbd: 4.7, product_exports_mbd: 2.3, production_mbd: 9.2,
            benchmark_usd: 65, price_volatility: 0.3, discount_usd: 12, tax_take: 0.673}
      budget: {non_oil_gas_revenue: 28800, spending: 42930, defence_share: 0.33,
               reserve_fund: 4000, fiscal_rule_price_usd: 60, borrowing_cap: 6000}
OUTPUT
  measures:
    - {id: oil_sanction, kind: sanction, sender: USA, target: RUS, start: 2025-11-20,
       coverage: 0.5, compliance: 0.8, volume_cut: 0.2, discount_usd: 10, lag_weeks: 4}
TRADE
"""
OUTPUT = """      output: {gdp_usd_bn: 2100, adjustment_half_life_weeks: 4}
"""
TRADE = """  trade:
    sectors: {oil: {}, goods: {}}
    flows:
      - {exporter: RUS, importer: ROW, sector: oil, usd_bn_year: 150}
      - {exporter: RUS, importer: EUR, sector: goods, usd_bn_year: 40}
      - {exporter: EUR, importer: RUS, sector: goods, usd_bn_year: 60}
      - {exporter: ROW, importer: RUS, sector: goods, usd_bn_year: 230}
"""


def _scenario(trade: bool):
    text = BASE.replace("OUTPUT\n", OUTPUT if trade else "").replace("TRADE\n",
                                                                     TRADE if trade else "")
    return loads_scenario(text, "oil_trade.yaml")


@pytest.fixture(scope="module")
def runs():
    kw = dict(n_draws=300, n_steps=52, dt_weeks=1.0, seed=11, without=("oil_sanction",))
    return cf.run_actor(_scenario(False), "RUS", **kw), cf.run_actor(_scenario(True), "RUS", **kw)


def test_oil_path_unchanged_by_the_trade_matrix(runs):
    plain, traded = runs
    for k in ("oil_gas_revenue", "export_revenue", "urals_price"):
        np.testing.assert_array_equal(plain.with_[k], traded.with_[k], err_msg=k)
        np.testing.assert_array_equal(plain.without[k], traded.without[k], err_msg=k)


def test_oil_sanction_reaches_trade_and_output(runs):
    _, traded = runs
    x_with = traded.with_["exports"].sum(axis=1)
    x_without = traded.without["exports"].sum(axis=1)
    assert (x_with < x_without).all()
    # the oil flow moves with the oil path's export receipts (volume x price)
    ratio = traded.with_["export_revenue"].sum(axis=1) / traded.without["export_revenue"].sum(axis=1)
    goods = 40.0 * 52 / (365.25 / 7)  # the goods flow, untouched by an oil measure
    oil_with, oil_without = x_with - goods, x_without - goods
    np.testing.assert_allclose(oil_with / oil_without, ratio, rtol=0.05)
    assert (traded.with_["output"].sum(axis=1) <= traded.without["output"].sum(axis=1)).all()
    assert (traded.with_["output_loss"][:, -1] > 0).mean() > 0.9


def test_trade_measure_on_oil_sector_is_left_to_the_oil_path():
    sc = _scenario(True)
    from polemos.models.economy import trade_build
    from polemos.models.economy.section import EconomicMeasure

    extra = EconomicMeasure(id="embargo", kind="sanction", sender="EUR", target="RUS",
                            sectors=["oil", "goods"], start="2025-11-20", coverage=1,
                            compliance=1)
    hit = trade_build._incidence(extra, sc.economy, trade_build.build_params(
        sc.economy, trade_build._Sampler(np.random.default_rng(0), 4)))
    assert hit.tolist() == [0.0, 1.0, 1.0, 0.0]


def test_coupled_run_carries_oil_into_trade(tmp_path):
    from polemos.engine import RunOptions, run_scenario
    from polemos.store import Store

    text = BASE.replace("OUTPUT\n", OUTPUT).replace("TRADE\n", TRADE) + """
outcomes:
  - {id: squeezed, label: output down, when: "economy.RUS.output_loss > 0.001", absorbing: false}
claims:
  - {id: oil_to_output, text: the oil sanction costs output, source: est,
     expr: "E(economy.RUS.output without oil_sanction) > E(economy.RUS.output)", confidence: likely}
"""
    text = text.replace("meta: {id: oil_trade, title: oil in trade, as_of: 2025-10-23, "
                        "horizon: 2026-10-23}",
                        "meta: {id: oil_trade, title: oil in trade, as_of: 2025-10-23, "
                        "horizon: 2026-10-23, sources: [{id: est, title: t, author: a, "
                        "kind: estimate}]}")
    # one uncertain input: the claims ledger needs at least one dimension to vary
    text = text.replace("fx_per_usd: 83.3", "fx_per_usd: {dist: uniform, low: 80, high: 87}")
    sc = loads_scenario(text, "oil_trade.yaml")
    opts = RunOptions(draws=200, seed=1, progress=False, block_size=200)
    _, summary = run_scenario(sc, opts, Store(tmp_path / "st"))
    claim = next(c for c in summary["claims"] if c["id"] == "oil_to_output")
    # true in every world: 'fixed' by the inputs (the ledger says so), or supported
    assert claim["verdict"] in ("supported", "fixed"), claim["verdict"]
    assert claim["credence"] > 0.9
    out = next(o for o in summary["outcomes"] if o["id"] == "squeezed")
    assert out["p"] > 0.5
