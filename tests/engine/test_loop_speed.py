"""The loop's fast paths give the same bits as the plain ones (issue 15).

- absorbed draws are frozen and recorded with masked copies, weekly sums taken over the
  whole state matrix: compared with the plain fancy-indexed versions, monkeypatched in;
- a counterfactual arm stops at the last week its observables are read: compared with
  the arm simulated to the horizon.
"""

from __future__ import annotations

import numpy as np
import pytest

from polemos.engine import expressions as X
from polemos.engine import loop
from polemos.engine.loop import make_plan, simulate_block
from polemos.engine.params import ParamSpace
from polemos.engine.stages import active_stages

REV = "economy.RUS.oil_gas_revenue"
CLAIM = (f'  - {{id: cut_by, text: Dated, source: est, expr: "E({REV} by 2026-01-01) - '
         f'E({REV} by 2026-01-01 without rosneft_lukoil) < 0", confidence: likely}}\n')


@pytest.fixture(scope="module")
def scen(mini_path):
    from polemos.scenario.load import loads_scenario

    text = mini_path.with_name("full.yaml").read_text()
    return loads_scenario(text.replace("theatres:\n", CLAIM + "theatres:\n", 1))


def _block(scen, n=300, **kw):
    stages = active_stages(scen)
    plan = make_plan(scen, stages)
    return simulate_block(scen, stages, plan, ParamSpace.from_scenario(scen), seed=5, block=1,
                          n=n, **kw), plan


def _same(a, b):
    assert sorted(a) == sorted(b)
    for k in a:
        assert np.asarray(a[k]).tobytes() == np.asarray(b[k]).tobytes(), k


def _plain_freeze(self):
    if not self.alive.all():
        dead = ~self.alive
        self.matrix[:, dead] = self.frozen[:, dead]


def _plain_record(self, week):
    sub = self.matrix[self.rows]
    self.weekly[:, week] = sub.sum(axis=1)
    self.samples[:, :, week] = sub[:, : self.k]
    for name in self.snap_weeks.get(week, []):
        self.snapshots[(name, week)] = self.state[name].copy()
    self.env.week = week
    start_alive = self.alive.copy()
    absorbed = np.zeros_like(self.alive)
    for j, (o, tree) in enumerate(zip(self.plan.outcomes, self.plan.outcome_trees,
                                      strict=True)):
        hit = np.asarray(X.evaluate(tree, self.env), dtype=bool) & start_alive
        new = hit & (self.first[o.id] < 0)
        self.first[o.id][new] = week
        if o.absorbing:
            self.absorbed_by[new & (self.absorbed_by < 0)] = j
            absorbed |= hit
    if absorbed.any():
        self.frozen[:, absorbed] = self.matrix[:, absorbed]
        self.alive[absorbed] = False


def test_masked_freeze_and_record_are_bit_identical(scen, monkeypatch):
    fast, _ = _block(scen)
    assert (fast.columns["outcome"] >= 0).any()  # some draws are absorbed: freeze matters
    monkeypatch.setattr(loop._Recorder, "freeze", _plain_freeze)
    monkeypatch.setattr(loop._Recorder, "record", _plain_record)
    plain, _ = _block(scen)
    _same(fast.columns, plain.columns)
    _same({k: v for k, v in fast.aggregates.items() if k != "names"},
          {k: v for k, v in plain.aggregates.items() if k != "names"})


def test_arm_stops_at_its_last_read_week_with_the_same_bits(scen):
    res, plan = _block(scen)
    (arm, obs), = plan.arms.items()
    assert all(at is not None for _, at in obs)
    full, _ = _block(scen, without=arm)  # the same arm, simulated to the horizon
    for name, at in obs:
        got = res.columns[X.obs_column(name, at, arm)]
        want = full.columns[X.obs_column(name, at)]
        assert got.tobytes() == want.tobytes()
    assert not np.array_equal(got, res.columns[X.obs_column(name, at)])  # the arm differs
