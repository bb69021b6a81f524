"""The stage adapters: every name expressions may use exists, the design reaches the
family builders, and the coupled scenario is reproducible."""

from __future__ import annotations

import numpy as np
import pytest

from polemos.engine.loop import make_plan, simulate_block
from polemos.engine.params import Params, ParamSpace
from polemos.engine.stage import Context
from polemos.engine.stages import active_stages
from polemos.engine.stages.bargaining import fearon_zone


@pytest.fixture(scope="module")
def full(mini_path):
    from polemos.scenario import load_scenario

    return load_scenario(mini_path.with_name("full.yaml"))


def _init(scenario, n=64, seed=5):
    space = ParamSpace.from_scenario(scenario)
    u = np.random.default_rng(seed).random((n, len(space)))
    ctx = Context(scenario, Params(space, u), n, scenario.meta.as_of, 10, seed=seed)
    state = {"week": np.zeros(n)}
    for stage in active_stages(scenario):
        state.update(stage.init(ctx))
    return ctx, state


def test_every_expression_name_is_a_state_variable(full):
    from polemos.scenario.names import state_names

    _, state = _init(full)
    outcome_ids = {o.id for o in full.outcomes}
    missing = [n for n in state_names(full) if n not in state and n not in outcome_ids]
    assert missing == []
    assert all(np.isfinite(v).all() for v in state.values())


def test_the_design_reaches_family_builders(full):
    ctx, state = _init(full)
    th = full.theatres[0]
    assert np.array_equal(state["forces.front.RUS"], ctx.params.value(th.sides[0].forces))
    assert np.array_equal(state["forces.front.UKR"], ctx.params.value(th.sides[1].forces))


def test_coupled_block_is_reproducible_and_bounded(full):
    space = ParamSpace.from_scenario(full)
    runs = []
    for _ in range(2):
        stages = active_stages(full)
        res = simulate_block(full, stages, make_plan(full, stages), space, seed=3, block=0, n=200)
        runs.append(res)
    for k, v in runs[0].columns.items():
        assert np.array_equal(v, runs[1].columns[k], equal_nan=True), k
    weekly = runs[0].aggregates["weekly_sum"]
    names = list(runs[0].aggregates["names"])
    assert np.isfinite(weekly).all()
    assert (weekly[names.index("forces.RUS")] >= 0).all()
    rung = weekly[names.index("escalation.rung")] / 200
    assert (rung >= 0).all()


def test_fearon_zone_two_actors_without_optimism_always_exists():
    # Fearon (1995): with costly war and no private information a bargaining range exists.
    rng = np.random.default_rng(0)
    n = 500
    x = np.column_stack([rng.uniform(0, 30, n), rng.uniform(70, 100, n)])
    power = rng.uniform(1, 10, (n, 2))
    cost = rng.uniform(0.001, 0.2, (n, 2))
    lo, hi = fearon_zone(x, np.ones((n, 2)), power, np.zeros((n, 2)), cost)
    assert (lo <= hi).all()


def test_fearon_zone_closes_under_mutual_optimism():
    x = np.array([[0.0, 100.0]])
    power = np.array([[1.0, 1.0]])
    cost = np.array([[0.01, 0.01]])
    lo, hi = fearon_zone(x, np.ones((1, 2)), power, np.full((1, 2), 2.0), cost)
    assert lo[0] > hi[0]
