"""Judgement constants moved into scenario data (docs/assumptions.md, audit table):
``negotiation.optimism_risk``, ``negotiation.neutral_resolve``, ``resolve.power_exponent``,
``theatres[].defence_index_cap`` and ``theatres[].munitions_exponent``.

For each: a non-default value moves the result the way its meaning says (so the field is
really read), the read-watch counts it as read when a file states it, and an
out-of-range value is a located scenario error.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from polemos.engine.params import Params, ParamSpace
from polemos.engine.reads import read_report
from polemos.engine.stage import Context
from polemos.engine.stages import active_stages
from polemos.engine.stages.attrition import AttritionStage
from polemos.engine.stages.bargaining import BargainingStage
from polemos.engine.stages.capability import CapabilityStage
from polemos.scenario import ScenarioError
from polemos.scenario.load import loads_scenario
from polemos.scenario.schema import Negotiation, Resolve

FIXTURES = Path(__file__).parent / "fixtures"
MINI = (FIXTURES / "mini.yaml").read_text()
FULL = (FIXTURES / "full.yaml").read_text()
FRONT = "    intensity_sd: 0.2\n"


def _final(scenario, n=400, seed=3) -> dict[str, np.ndarray]:
    """The state after the whole horizon, every active stage stepped week by week."""
    from polemos.engine.loop import horizon_weeks

    ctx = _ctx(scenario, n=n, seed=seed, weeks=horizon_weeks(scenario))
    stages = active_stages(scenario)
    state = {"week": np.zeros(n)}
    for stage in stages:
        state.update(stage.init(ctx))
    rng = np.random.default_rng(seed)
    first = {k: v.copy() for k, v in state.items()}
    for week in range(1, ctx.weeks + 1):
        state["week"][:] = week
        for stage in stages:
            stage.step(state, week, ctx.date(week), rng)
    state.update({f"first.{k}": v for k, v in first.items()})
    return state


def _ctx(scenario, n=200, seed=5, weeks=20) -> Context:
    space = ParamSpace.from_scenario(scenario)
    u = np.random.default_rng(seed).random((n, len(space)))
    return Context(scenario, Params(space, u), n, scenario.meta.as_of, weeks, seed=seed)


def _settled(scenario) -> float:
    return float(_final(scenario)["settlement"].mean())


# (i) a non-default value changes the result in the expected direction


def test_neutral_resolve_higher_means_more_settlements(mini):
    # a higher neutral resolve makes every actor less optimistic about a war and raises
    # its cost of war ((1 - r) / (1 - r0)): the zone of agreement widens
    rates = [_settled(mini.model_copy(update={"negotiation": Negotiation(neutral_resolve=r0)}))
             for r0 in (0.1, 0.5, 0.9)]
    assert rates[0] <= rates[1] <= rates[2]
    assert rates[0] < rates[2]


def test_neutral_resolve_default_is_the_old_centre_and_cost(mini):
    stage = BargainingStage()
    stage.init(_ctx(mini))
    assert np.all(stage.neutral == 0.5) and np.all(stage.cost_scale == 2.0)


def test_optimism_risk_widens_the_risk_acceptants_optimism(mini):
    spread = {}
    for w in (0.0, 0.5, 2.0):
        stage = BargainingStage()
        stage.init(_ctx(mini.model_copy(update={"negotiation": Negotiation(optimism_risk=w)})))
        spread[w] = stage.optimism_sd
    # RUS states risk_acceptance 0.6; UKR none (0.5 by convention)
    np.testing.assert_allclose(spread[2.0]["RUS"], 0.25 + 2.0 * 0.6)
    assert np.all(spread[0.0]["RUS"] < spread[0.5]["RUS"])
    assert np.all(spread[0.5]["UKR"] < spread[2.0]["UKR"])
    np.testing.assert_array_equal(spread[0.0]["UKR"], 0.25)


def test_optimism_risk_reaches_the_settlement_test(mini):
    base = _final(mini)
    wide = _final(mini.model_copy(update={"negotiation": Negotiation(optimism_risk=3.0)}))
    assert not np.array_equal(base["position.RUS.territory"], wide["position.RUS.territory"])


def _power_after_losses(scenario, exponent, share=0.25) -> tuple[np.ndarray, np.ndarray]:
    """(influence, power) of RUS after its forces fall to ``share`` of their start."""
    scen = scenario.model_copy(update={"resolve": Resolve(power_exponent=exponent)})
    ctx = _ctx(scen, n=50)
    stage = CapabilityStage()
    state = stage.init(ctx)
    state["forces.RUS"] = np.full(ctx.n, 1000.0)
    rng = np.random.default_rng(0)
    stage.step(state, 1, ctx.date(1), rng)
    state["forces.RUS"][:] = 1000.0 * share
    stage.step(state, 2, ctx.date(2), rng)
    return stage.influence["RUS"], state["power.RUS"]


def test_power_exponent_weighs_losses_in_bargaining_power(mini):
    ratio = {}
    for e in (0.0, 0.5, 1.0):
        influence, power = _power_after_losses(mini, e)
        ratio[e] = power / influence
    # the larger the exponent, the more the same losses cost in bargaining power
    np.testing.assert_array_equal(ratio[0.0], 1.0)
    np.testing.assert_array_equal(ratio[0.5], 0.5)  # the default: the square root of 1/4
    np.testing.assert_allclose(ratio[1.0], 0.25, rtol=1e-15)


def _attrition(full, week2_index: float, **theatre):
    text = FULL.replace(FRONT, FRONT + "".join(f"    {k}: {v}\n" for k, v in theatre.items()))
    scen = loads_scenario(text, "full")
    ctx = _ctx(scen)
    stage = AttritionStage()
    state = stage.init(ctx)
    rng = np.random.default_rng(11)
    for week, index in ((1, 1.0), *((w, week2_index) for w in range(2, 9))):
        ctx.shared["defence_index"] = {"RUS": np.full(ctx.n, index)}
        stage.step(state, week, ctx.date(week), rng)
    return state


@pytest.fixture(scope="module")
def full_scenario():
    return loads_scenario(FULL, "full")


def test_defence_index_cap_limits_what_extra_spending_buys(full_scenario):
    free = _attrition(full_scenario, 3.0)
    capped = _attrition(full_scenario, 3.0, defence_index_cap=1.5)
    assert np.all(capped["recruited.front.RUS"] < free["recruited.front.RUS"])
    assert np.all(capped["losses.front.UKR"] < free["losses.front.UKR"])


def test_munitions_exponent_sets_the_return_on_the_budget(full_scenario):
    # spending at twice plan: combat power x 2^(1/3) by default, x 2 at exponent 1
    cube = _attrition(full_scenario, 2.0)
    linear = _attrition(full_scenario, 2.0, munitions_exponent=1.0)
    flat = _attrition(full_scenario, 2.0, munitions_exponent=0.0)
    lu, cu, fu = (s["losses.front.UKR"] for s in (linear, cube, flat))
    assert np.all(lu > cu) and np.all(cu > fu)


# (ii) the read-watch sees the new fields as read when a file states them


def test_new_fields_are_read_when_stated():
    text = MINI.replace("events:\n", "negotiation: {optimism_risk: 0.7, neutral_resolve: 0.4}\n"
                        "resolve: {power_exponent: 0.6}\nevents:\n", 1)
    rep = read_report(loads_scenario(text, "mini"))
    read = {i.path for i in rep.read}
    assert {"negotiation.optimism_risk", "negotiation.neutral_resolve",
            "resolve.power_exponent"} <= read
    assert not rep.unread


def test_theatre_fields_are_read_when_stated():
    text = FULL.replace(FRONT, FRONT + "    defence_index_cap: {dist: uniform, low: 2, high: 4}\n"
                        "    munitions_exponent: 0.5\n")
    rep = read_report(loads_scenario(text, "full"))
    read = {i.path for i in rep.read}
    assert {"theatres.front.defence_index_cap", "theatres.front.munitions_exponent"} <= read
    assert "theatres.front.defence_index_cap" in rep.parameters_read


# (iii) out-of-range values are located scenario errors


def _problems(text: str) -> str:
    with pytest.raises(ScenarioError) as info:
        loads_scenario(text, "bad.yaml")
    return "\n".join(p.format() for p in info.value.problems)


@pytest.mark.parametrize(("block", "where", "what"), [
    ("negotiation: {neutral_resolve: 1.0}", "negotiation.neutral_resolve", "[0, 0.99]"),
    ("negotiation: {neutral_resolve: {dist: uniform, low: 0.2, high: 1.2}}",
     "negotiation.neutral_resolve", "[0, 0.99]"),
    ("negotiation: {optimism_risk: -0.1}", "negotiation.optimism_risk", "non-negative"),
    ("resolve: {power_exponent: -1}", "resolve.power_exponent", "[0, 4]"),
])
def test_core_fields_out_of_range_are_located(block, where, what):
    msg = _problems(MINI.replace("events:\n", block + "\nevents:\n", 1))
    assert "bad.yaml:" in msg and where in msg and what in msg


@pytest.mark.parametrize(("line", "where", "what"), [
    ("defence_index_cap: 0.5", "theatres[0].defence_index_cap", "[1, 100]"),
    ("munitions_exponent: 1.5", "theatres[0].munitions_exponent", "[0, 1]"),
])
def test_theatre_fields_out_of_range_are_located(line, where, what):
    msg = _problems(FULL.replace(FRONT, FRONT + f"    {line}\n"))
    assert "bad.yaml:" in msg and where in msg and what in msg
