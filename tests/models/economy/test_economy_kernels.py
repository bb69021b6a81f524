"""Properties of the economy kernels (hypothesis) and small worked cases."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from polemos.models.economy import fiscal, measures, revenue, war_economy
from polemos.models.economy.war_economy import EconomyParams, MeasureArrays
from polemos.numerics.rng import generator

FAST = settings(max_examples=40, deadline=None)
pos = st.floats(0.0, 1e5, allow_nan=False)


def economy(n=8, **kw) -> EconomyParams:
    base = dict(crude_mbd=4.7, products_mbd=2.3, taxed_mbd=9.2, benchmark_usd=70.0,
                discount_usd=12.0, fx=85.0, tax_take=0.67, non_oil_revenue=28_000.0,
                spending=42_000.0, defence_share=0.32, reserve=3_800.0,
                items=("drones",), production_per_week=[[1000.0]],
                production_elasticity=[[1.0]], recruits_per_week=7000.0,
                recruit_elasticity=1.0)
    base.update(kw)
    arrays = {k: (v if k == "items" else np.broadcast_to(np.asarray(v, float),
              (n, 1) if k.startswith("production_") else (n,)).copy()) for k, v in base.items()}
    return EconomyParams(**arrays)


def one_measure(n=8, **kw) -> MeasureArrays:
    f = dict(start=4.0, lag=2.0, compliance=0.6, coverage=0.5, volume_cut=0.2,
             discount_usd=8.0, cap_usd=np.inf, half_life=np.inf, postpone_prob=0.0,
             postpone_weeks=4.0, max_postponements=np.inf)
    f.update(kw)
    return MeasureArrays(ids=("m",), **{k: np.full((n, 1), float(v)) for k, v in f.items()})


@FAST
@given(reserve=pos, spending=pos, non_oil=pos, og=pos, base=pos, ext=pos,
       draw=st.floats(0, 1), cap=pos, ret=st.floats(-0.5, 0.5))
def test_reserve_never_negative_and_withdrawals_capped(reserve, spending, non_oil, og, base,
                                                       ext, draw, cap, ret):
    a = lambda x: np.array([x])  # noqa: E731
    new, f = fiscal.budget_step(spending=a(spending), non_oil_revenue=a(non_oil), oil_gas=a(og),
                                oil_gas_base=a(base), external=a(ext), reserve=a(reserve),
                                draw_share=a(draw), borrow_cap=a(cap), reserve_return=a(ret),
                                dt_weeks=1.0)
    assert new[0] >= 0.0
    assert f["rule_sale"][0] + f["draw"][0] <= reserve + 1e-6
    assert min(f["borrowing"][0], f["cut"][0], f["purchases"][0]) >= 0.0


def test_drawdown_covers_deficit_until_the_fund_is_empty():
    n = 1
    p = economy(n, non_oil_revenue=0.0, tax_take=0.0, reserve=1000.0,
                spending=2000.0 * war_economy.WEEKS_PER_YEAR, borrow_cap=0.0)
    out = war_economy.simulate(p, MeasureArrays.none(n), 3, 1.0, generator(0))
    weekly = 2000.0
    np.testing.assert_allclose(out["reserve_fund"][0], [0.0, 0.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(out["draw"][0, 0], 1000.0, rtol=1e-12)
    np.testing.assert_allclose(out["cut"][0], [weekly - 1000.0, weekly, weekly], rtol=1e-12)
    assert out["defence_spending"][0, 1] < out["defence_spending"][0, 0] <= 0.32 * weekly


@FAST
@given(st.lists(st.floats(0.0, 200.0), min_size=2, max_size=12), st.floats(0.0, 1.0),
       st.floats(1.0, 150.0), st.floats(0.0, 30.0))
def test_revenue_monotone_in_price(prices, tax_take, fx, discount):
    p = np.sort(np.asarray(prices))
    r = revenue.budget_oil_gas_revenue(tax_take, 9.2, p - discount, fx, 7.0)
    x = revenue.oil_export_revenue(7.0, p - discount, 7.0)
    assert np.all(np.diff(r) >= -1e-9) and np.all(np.diff(x) >= -1e-9)


def test_war_economy_revenue_monotone_in_benchmark():
    p = economy(5, benchmark_usd=[40.0, 55.0, 70.0, 85.0, 100.0], price_volatility=0.3)
    out = war_economy.simulate(p, one_measure(5), 20, 1.0, generator(3))
    assert np.all(out["oil_gas_revenue"].sum(axis=1) > 0)
    q = economy(5, benchmark_usd=[40.0, 55.0, 70.0, 85.0, 100.0])
    det = war_economy.simulate(q, one_measure(5), 20, 1.0, generator(3))["oil_gas_revenue"]
    assert np.all(np.diff(det.sum(axis=1)) > 0)


@FAST
@given(coverage=st.floats(0, 1), cut=st.floats(0, 1), disc=st.floats(0, 50),
       cap=st.floats(0, 100), lag=st.floats(0, 20))
def test_zero_compliance_changes_nothing(coverage, cut, disc, cap, lag):
    n = 4
    p = economy(n, price_volatility=0.25)
    m0 = one_measure(n, compliance=0.0, coverage=coverage, volume_cut=cut, discount_usd=disc,
                     cap_usd=cap, lag=lag, start=0.0)
    with_ = war_economy.simulate(p, m0, 12, 1.0, generator(5))
    off = war_economy.simulate(p, m0, 12, 1.0, generator(5), active=np.array([False]))
    for key in ("oil_gas_revenue", "defence_spending", "reserve_fund", "production"):
        np.testing.assert_array_equal(with_[key], off[key], err_msg=key)


def test_measure_bites_and_is_paired():
    n = 16
    p = economy(n, price_volatility=0.3)
    m = one_measure(n, start=0.0, lag=0.0, compliance=1.0, coverage=0.5, volume_cut=0.2,
                    discount_usd=10.0)
    on = war_economy.simulate(p, m, 10, 1.0, generator(9))
    off = war_economy.simulate(p, m, 10, 1.0, generator(9), active=np.array([False]))
    np.testing.assert_allclose(on["volume_multiplier"], 0.9)
    np.testing.assert_allclose(off["benchmark_usd"], on["benchmark_usd"])  # same shocks
    np.testing.assert_allclose(off["urals_price"] - on["urals_price"], 5.0)
    assert np.all(on["oil_gas_revenue"] < off["oil_gas_revenue"])


def test_price_cap_at_full_bite_is_min():
    p = np.array([40.0, 60.0, 80.0])
    e = np.ones((3, 1))
    got = measures.realised_price(p, e, np.ones((3, 1)), np.full((3, 1), 47.6))
    np.testing.assert_allclose(got, [40.0, 47.6, 47.6])
    half = measures.realised_price(p, 0.5 * e, np.ones((3, 1)), np.full((3, 1), 47.6))
    np.testing.assert_allclose(half, [40.0, 53.8, 63.8])


def test_threat_postponements():
    u = 1.0 - generator(1).random(200_000)
    np.testing.assert_array_equal(measures.threat_start(u[:5], 10.0, 0.0, 4.0), 10.0)
    assert np.all(np.isinf(measures.threat_start(u[:5], 10.0, 1.0, 4.0)))
    n = measures.postponements(u, 0.6)
    assert abs(n.mean() - 0.6 / 0.4) < 0.02  # geometric mean p / (1 - p)
    assert abs(np.mean(n >= 2) - 0.36) < 0.005
    dropped = measures.threat_start(u, 10.0, 0.6, 4.0, max_postponements=1)
    assert abs(np.mean(np.isinf(dropped)) - 0.36) < 0.005
    assert set(np.unique(dropped[np.isfinite(dropped)])) == {10.0, 14.0}


def test_strength_ramp_and_decay():
    e = measures.strength(np.array([0.0, 5.0, 7.0, 9.0, 19.0]), 5.0, 4.0, 0.5, 10.0)
    np.testing.assert_allclose(e, [0.0, 0.0, 0.25, 0.5, 0.25])
    assert measures.strength(100.0, np.inf, 0.0, 1.0, np.inf) == 0.0


def test_defence_output_elasticity():
    r, q = fiscal.defence_output(defence_real_index=np.array([1.0, 0.5]), recruits_per_week=7000.0,
                                 recruit_elasticity=1.0, production_per_week=np.array([[100.0]]),
                                 production_elasticity=np.array([[0.5]]),
                                 production_growth=np.array([[0.0]]), week=0.0, dt_weeks=1.0)
    np.testing.assert_allclose(r, [7000.0, 3500.0])
    np.testing.assert_allclose(q[:, 0], [100.0, 100.0 * 0.5**0.5])


def test_unknown_measure_in_mask_is_an_error():
    import pytest

    with pytest.raises(KeyError, match="no measure"):
        one_measure(2).active_mask(["nope"])
