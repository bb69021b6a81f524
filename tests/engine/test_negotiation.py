"""The engine's bargaining options (``negotiation:``) and the structure stage's yearly state."""

from __future__ import annotations

import numpy as np
import pytest

from polemos.engine.loop import make_plan, simulate_block
from polemos.engine.params import Params, ParamSpace
from polemos.engine.stage import Context
from polemos.engine.stages import active_stages
from polemos.engine.stages.bargaining import compromise, forecast
from polemos.scenario.schema import BargainingModel, Negotiation

MODELS = [m.value for m in BargainingModel]


def _with(scenario, **negotiation):
    return scenario.model_copy(update={"negotiation": Negotiation(**negotiation)})


def _run(scenario, n=200, seed=3):
    stages = active_stages(scenario)
    space = ParamSpace.from_scenario(scenario)
    return simulate_block(scenario, stages, make_plan(scenario, stages), space, seed=seed,
                          block=0, n=n)


def _weeks(scenario, n=64, seed=5):
    """Run the stages week by week; yield ``(week, date, state)`` after each week."""
    space = ParamSpace.from_scenario(scenario)
    u = np.random.default_rng(seed).random((n, len(space)))
    from polemos.engine.loop import horizon_weeks

    ctx = Context(scenario, Params(space, u), n, scenario.meta.as_of, horizon_weeks(scenario),
                  seed=seed)
    stages = active_stages(scenario)
    state = {"week": np.zeros(n)}
    for stage in stages:
        state.update(stage.init(ctx))
    rng = np.random.default_rng(seed)
    yield 0, ctx.start, state
    for week in range(1, ctx.weeks + 1):
        state["week"][:] = week
        for stage in stages:
            stage.step(state, week, ctx.date(week), rng)
        yield week, ctx.date(week), state


def test_default_is_the_compromise_model(mini):
    assert mini.negotiation.model == BargainingModel.compromise
    assert not mini.negotiation.continuous
    rng = np.random.default_rng(0)
    c, x, s = rng.uniform(1, 9, (50, 3)), rng.uniform(0, 100, (50, 3)), rng.uniform(0, 1, (50, 3))
    assert np.allclose(compromise(c, x, s), (c * s * x).sum(1) / (c * s).sum(1))
    a, b = _run(mini), _run(_with(mini, model="compromise"))
    for k, v in a.columns.items():
        assert np.array_equal(v, b.columns[k], equal_nan=True), k


@pytest.mark.parametrize("model", MODELS)
def test_every_model_forecasts_inside_the_scale(model):
    rng = np.random.default_rng(1)
    c, x, s = rng.uniform(1, 9, (40, 4)), rng.uniform(0, 100, (40, 4)), rng.uniform(0.1, 1, (40, 4))
    fc = forecast(model, c, x, s, status_quo=rng.uniform(0, 100, 40), rounds=3)
    assert fc.shape == (40,)
    assert np.isfinite(fc).all() and (fc >= -1e-9).all() and (fc <= 100 + 1e-9).all()


@pytest.mark.parametrize("model", ["median", "eum", "smp", "nash"])
def test_the_chosen_model_drives_the_coupled_forecast(mini, model):
    base = _run(mini, n=100).aggregates
    other = _run(_with(mini, model=model, rounds=3), n=100).aggregates
    names = list(base["names"])
    row = names.index("forecast.territory")
    assert np.isfinite(other["weekly_sum"]).all()
    assert not np.allclose(base["weekly_sum"][row], other["weekly_sum"][row])


def test_negotiation_block_is_read_from_the_scenario_file(mini_path):
    from polemos.scenario.load import loads_scenario

    text = mini_path.read_text() + "negotiation: {model: median, continuous: true, every_weeks: 4}\n"
    sc = loads_scenario(text)
    assert sc.negotiation == Negotiation(model="median", continuous=True, every_weeks=4)


def _round_weeks(scenario):
    """Weeks in which some draw's position on the territory issue moved."""
    moved, before = [], None
    for week, _, state in _weeks(scenario):
        now = state["position.RUS.territory"].copy()
        if before is not None and not np.array_equal(now, before):
            moved.append(week)
        before = now
    return moved


def test_continuous_bargaining_changes_when_rounds_occur(mini):
    quiet = mini.model_copy(update={"events": []})
    assert _round_weeks(quiet) == []  # no summit, no round
    assert _round_weeks(mini) == [1, 12]  # the summits' weeks (summit1, summit2)
    every3 = _round_weeks(_with(quiet, continuous=True, every_weeks=3))
    assert len(every3) >= 3 and all((w - 1) % 3 == 0 for w in every3)
    weekly = _round_weeks(_with(quiet, continuous=True))
    assert weekly[:3] == [1, 2, 3]


@pytest.fixture(scope="module")
def long_full(mini_path, tmp_path_factory):
    """The full fixture over three calendar years (structure base year 2022)."""
    from polemos.scenario.load import loads_scenario

    text = mini_path.with_name("full.yaml").read_text()
    return loads_scenario(text.replace("horizon: 2026-02-01", "horizon: 2028-02-01", 1))


def test_structure_state_follows_the_calendar_year(long_full):
    from polemos.engine.feed import fed_copy
    from polemos.engine.stages.structure import StructureStage, yearly_paths
    from polemos.models.structure import simulate

    seen: dict[int, dict[str, np.ndarray]] = {}
    for _, date, state in _weeks(long_full):
        seen.setdefault(date.year, {k: v.copy() for k, v in state.items() if k.startswith("structure.")})
    assert sorted(seen) == [2025, 2026, 2027, 2028]
    for name in ("structure.share.RUS", "structure.ratio.RUS_USA", "structure.war_hazard"):
        assert not np.array_equal(seen[2025][name], seen[2027][name]), name
    assert (seen[2025]["structure.war_hazard"] <= seen[2028]["structure.war_hazard"]).all()
    # the paths start at as_of's year and end at the values simulate.state gives
    space = ParamSpace.from_scenario(long_full)
    params = Params(space, np.random.default_rng(5).random((64, len(space))))
    ctx = Context(long_full, params, 64, long_full.meta.as_of, 10, seed=5)
    stage = StructureStage()
    first = stage.init(ctx)
    run = simulate.simulate(fed_copy(long_full.structure, params, "structure"), 64,
                            ctx.init_rng(stage.key))
    paths, last = yearly_paths(run), simulate.state(run)
    assert set(paths) == set(last) == set(first)
    for k, v in last.items():
        assert np.array_equal(paths[k][:, -1], np.asarray(v, dtype=float)), k
        assert np.array_equal(first[k], paths[k][:, 2025 - 2022]), k


def test_structure_by_date_reads_that_year(long_full):
    from polemos.scenario.schema import Claim

    exprs = ["E(structure.war_hazard by 2025-12-01) > 0", "E(structure.war_hazard) > 0",
             "E(structure.share.RUS by 2026-06-01) > 0"]
    claims = [Claim(id=f"c{i}", text="t", source="est", expr=e) for i, e in enumerate(exprs)]
    sc = long_full.model_copy(update={"claims": claims})
    cols = _run(sc, n=100).columns
    early, end = cols["o:structure.war_hazard@2025-12-01"], cols["o:structure.war_hazard"]
    # the cumulative onset probability grows: 2025's value is below 2028's
    assert (early <= end).all() and (early < end).any()
    stage = [s for s in active_stages(sc) if s.name == "structure"][0]
    space = ParamSpace.from_scenario(sc)
    from polemos.engine.loop import block_unit_samples, horizon_weeks

    params = Params(space, block_unit_samples(space, "plain", 3, 0, 100))
    stage.init(Context(sc, params, 100, sc.meta.as_of, horizon_weeks(sc), seed=3, block=0))
    alive = cols["outcome"] < 0  # absorbed draws keep their values at absorption
    assert np.array_equal(early[alive], stage.paths["structure.war_hazard"][alive, 2025 - 2022])
    share = cols["o:structure.share.RUS@2026-06-01"]
    assert np.array_equal(share[alive], stage.paths["structure.share.RUS"][alive, 2026 - 2022])
