"""The blockade theatre kernel: interdiction, escorts, clashes, kinetic switch, lifting."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from polemos.models.blockade import theatre
from polemos.numerics.rng import child_generator

N = 200


def make(n=N, escort_start=np.inf, intensity=0.5, end=np.inf, incident_rate=0.5, **kw):
    base = dict(
        start=np.zeros(n), ramp_weeks=np.zeros(n), intensity=np.full(n, intensity),
        kinetic_intensity=np.full(n, 0.9), kinetic_rung=np.full(n, 3.0),
        escort_start=np.full(n, escort_start), escort_coverage=np.full(n, 0.5),
        escort_effectiveness=np.full(n, 0.8), escort_ramp_weeks=np.zeros(n),
        incident_rate=np.full(n, incident_rate), loss_rate=np.full(n, 2.0),
        loss_per_incident=np.full(n, 0.0), base_premium=np.full(n, 0.05),
        premium_per_interdiction=np.full(n, 1.0), premium_per_loss=np.full(n, 0.1),
        loss_memory_weeks=np.full(n, 8.0), withdrawal_per_premium=np.zeros(n),
        max_withdrawal=np.full(n, 0.7), end=np.full(n, end))
    base.update({k: np.full(n, v) for k, v in kw.items()})
    return theatre.TheatreParams(**base)


def test_no_escorts_no_clashes():
    out = theatre.simulate(make(), 10, 1.0, child_generator(1, 0))
    assert out["shots_at_escorts"].max() == 0 and out["escorted"].max() == 0
    np.testing.assert_allclose(out["interdicted"], 0.5)
    np.testing.assert_allclose(out["reach"], 0.5)


def test_escorts_cut_interdiction_and_bring_clashes():
    out = theatre.simulate(make(escort_start=2.0), 30, 1.0, child_generator(1, 0))
    np.testing.assert_allclose(out["interdicted"][:, -1], 0.5 * (1 - 0.8 * 0.5))
    assert out["shots_at_escorts"][:, -1].mean() > 1.0
    assert out["shots_at_escorts"][:, 0].max() == 0  # none before the escorts come


def test_kinetic_rung_raises_interdiction_and_losses():
    p = make()
    rung = np.full((N, 10), 3.0)
    out = theatre.simulate(p, 10, 1.0, child_generator(2, 0), rung=rung)
    np.testing.assert_allclose(out["interdicted"], 0.9)
    assert out["ships_lost"][:, -1].mean() > 10
    assert (out["insurance_premium"][:, -1] > 0.9).all()


def test_lifting_ends_the_blockade():
    out = theatre.simulate(make(end=4.0), 8, 1.0, child_generator(3, 0))
    assert (out["active"][:, :4] == 1).all() and (out["active"][:, 4:] == 0).all()
    np.testing.assert_allclose(out["reach"][:, 4:], 1.0)


@settings(max_examples=30, deadline=None)
@given(i1=st.floats(0, 1), i2=st.floats(0, 1), w=st.floats(0, 2), esc=st.floats(0, 20))
def test_reach_bounded_and_falls_with_intensity(i1, i2, w, esc):
    lo, hi = sorted((i1, i2))
    outs = [theatre.simulate(make(n=8, intensity=x, escort_start=esc, withdrawal_per_premium=w,
                                  incident_rate=0.0), 12, 1.0, child_generator(5, 0))
            for x in (lo, hi)]
    for o in outs:
        assert ((o["reach"] >= 0) & (o["reach"] <= 1)).all()
    assert (outs[1]["reach"] <= outs[0]["reach"] + 1e-12).all()
