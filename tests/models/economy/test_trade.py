"""The trade kernel: gravity, cuts, re-routing, blockade, output (closed forms and properties)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polemos.models.economy import trade

N = 4


def params(n=N, base=(50.0, 80.0, 200.0, 300.0), gdp=(1000.0, 2000.0), theta=5.0,
           reroute=0.0, air=0.0, critical=0.0, export_share=0.0, half_life=1e-9):
    """Parties SND, TGT, ROW; flows SND->TGT, TGT->SND, ROW->TGT, TGT->ROW (one sector)."""
    f = len(base)
    return trade.TradeParams(
        parties=("SND", "TGT", "ROW"), sectors=("goods",), actors=("SND", "TGT"),
        exporter=np.array([0, 1, 2, 1]), importer=np.array([1, 0, 1, 2]),
        sector=np.zeros(f, dtype=int), base=np.tile(np.array(base, float), (n, 1)),
        air_share=np.full((n, 1), air), theta=np.full(n, theta), reroute_max=np.full(n, reroute),
        reroute_half_life=np.full(n, 1e-9), reroute_cost=np.zeros(n),
        gdp=np.tile(np.array(gdp, float), (n, 1)), growth=np.zeros((n, 2)),
        half_life=np.full((n, 2), half_life), export_share=np.full((n, 2), export_share),
        critical=np.full((n, 2, 1), critical), reserves=np.full((n, 2), 100.0))


def measures(n=N, cut=(0.0,), rate=(0.0,), hit=((1, 1, 0, 0),), tariff=((0, 0, 0, 0),),
             block=((0, 0, 0),), reroutable=(True,), compliance=1.0, freeze=None):
    m = len(cut)
    return trade.TradeMeasures(
        ids=tuple(f"m{i}" for i in range(m)), start=np.zeros((n, m)), lag=np.zeros((n, m)),
        compliance=np.full((n, m), compliance), half_life=np.full((n, m), np.inf),
        cut=np.tile(np.array(cut, float), (n, 1)), rate=np.tile(np.array(rate, float), (n, 1)),
        hit=np.array(hit, float), tariff=np.array(tariff, float), block=np.array(block, float),
        reroutable=np.array(reroutable, bool),
        freeze=np.zeros((n, m, 2)) if freeze is None else freeze)


def test_no_measures_no_loss():
    p = params()
    m = trade.TradeMeasures.none(N, 4, 3, 2)
    out = trade.simulate(p, m, 5, 1.0, m.start)
    assert np.all(out["output_loss"] == 0.0)
    np.testing.assert_allclose(out["imports"][:, 0, 1] * trade.WEEKS_PER_YEAR, 50.0 + 200.0)


def test_tariff_is_gravity():
    p = params(theta=4.0)
    m = measures(cut=(0.0,), rate=(0.25,), hit=((1, 0, 0, 0),), tariff=((1, 0, 0, 0),))
    f = trade.flows_step(p, m, 1.0, m.start)
    np.testing.assert_allclose(f["flow"][:, 0], 50.0 * 1.25 ** -4.0)
    np.testing.assert_allclose(f["flow"][:, 1:], np.tile([80.0, 200.0, 300.0], (N, 1)))


def test_sanction_cuts_only_its_flows_and_compliance_scales_it():
    p = params()
    m = measures(cut=(0.6,), compliance=0.5)
    f = trade.flows_step(p, m, 1.0, m.start)
    np.testing.assert_allclose(f["flow"][:, :2], np.tile([50.0 * 0.7, 80.0 * 0.7], (N, 1)))
    np.testing.assert_allclose(f["flow"][:, 2:], np.tile([200.0, 300.0], (N, 1)))
    assert np.all(f["rerouted"] == 0.0)


def test_rerouting_and_secondary_curb():
    p = params(reroute=0.5)
    m = measures(cut=(1.0,))
    f = trade.flows_step(p, m, 10.0, m.start)
    np.testing.assert_allclose(f["rerouted"][:, 0], 25.0)
    # a secondary measure on the target (full cut of its ROW flows) blocks re-routing
    m2 = measures(cut=(1.0, 1.0), hit=((1, 1, 0, 0), (0, 0, 1, 1)),
                  tariff=((0, 0, 0, 0), (0, 0, 0, 0)), block=((0, 0, 0), (0, 1, 0)),
                  reroutable=(True, False))
    f2 = trade.flows_step(p, m2, 10.0, m2.start)
    np.testing.assert_allclose(f2["rerouted"][:, 0], 0.0, atol=1e-9)
    np.testing.assert_allclose(f2["flow"][:, 2], 0.0, atol=1e-9)


def test_blockade_spares_air_freight():
    p = params(air=0.3)
    m = trade.TradeMeasures.none(N, 4, 3, 2)
    reach = np.ones((N, 3))
    reach[:, 1] = 0.0  # the target is sealed off by sea
    f = trade.flows_step(p, m, 1.0, m.start, reach)
    np.testing.assert_allclose(f["flow"], np.tile([15.0, 24.0, 60.0, 90.0], (N, 1)))


def test_acr_closed_form():
    """Full cut of all imports, no other channel: loss = 1 - lambda_hat**(-1/theta)."""
    p = params(theta=5.0)
    m = measures(cut=(1.0,), hit=((1, 0, 1, 0),))
    out = trade.simulate(p, m, 3, 1.0, m.start)
    lam0 = 1.0 - 250.0 / 2000.0
    np.testing.assert_allclose(out["output_loss"][:, -1, 1], 1.0 - (1.0 / lam0) ** -0.2,
                               rtol=1e-9)
    assert np.all(out["output_loss"][:, -1, 0] == 0.0)  # the sender imports nothing here


def test_output_follows_with_a_lag():
    p = params(half_life=4.0)
    m = measures(cut=(1.0,), hit=((1, 0, 1, 0),))
    loss = trade.simulate(p, m, 12, 1.0, m.start)["output_loss"][0, :, 1]
    assert np.all(np.diff(loss) > 0)
    final = 1.0 - (1.0 / (1.0 - 250.0 / 2000.0)) ** -0.2
    np.testing.assert_allclose(loss[3], final * (1 - 2 ** (-4 / 4.0)), rtol=1e-9)


def test_reserve_freeze():
    fr = np.zeros((N, 1, 2))
    fr[:, 0, 1] = 40.0
    p = params()
    m = measures(cut=(0.0,), hit=((0, 0, 0, 0),), freeze=fr, compliance=0.5)
    _, out = trade.step(p, m, trade.initial_state(p), 5.0, 1.0, m.start)
    np.testing.assert_allclose(out["reserves_frozen"][:, 1], 20.0)


@settings(max_examples=40, deadline=None)
@given(c1=st.floats(0, 1), c2=st.floats(0, 1), kappa=st.floats(0, 0.5), chi=st.floats(0, 1),
       theta=st.floats(1.5, 10))
def test_output_loss_monotone_in_the_cut(c1, c2, kappa, chi, theta):
    lo, hi = sorted((c1, c2))
    p = params(n=1, critical=kappa, export_share=chi, theta=theta)
    losses = []
    for c in (lo, hi):
        m = measures(n=1, cut=(c,))
        out = trade.simulate(p, m, 2, 1.0, m.start)
        losses.append(out["output_loss"][0, -1])
        assert np.all((out["output_loss"] >= 0) & (out["output_loss"] <= 1))
        assert np.all(out["imports"] >= 0) and np.all(out["exports"] >= 0)
    assert np.all(losses[1] >= losses[0] - 1e-12)


@pytest.mark.parametrize("off", [True, False])
def test_active_mask_switches_a_measure_off(off):
    p = params()
    m = measures(cut=(0.8,))
    active = m.active_mask(("m0",) if off else ())
    out = trade.simulate(p, m, 3, 1.0, m.start, active=active)
    assert (out["output_loss"][:, -1, 1] == 0).all() == off
