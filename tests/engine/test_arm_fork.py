"""Counterfactual arms forked from the main arm give the bits of arms simulated from week 0.

An arm shares the main arm's weeks until the first week its switched-off measures or
events can act (issue 15); the fork copies stages, state, streams and recorder. Each case
here compares every column of a block with the arm simulated from scratch (forking
switched off), and checks that the fork really happened, so the comparison is not vacuous.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import numpy as np
import pytest

from polemos.engine import loop
from polemos.engine.loop import make_plan, simulate_block
from polemos.engine.params import ParamSpace
from polemos.engine.stage import NEVER, BaseStage
from polemos.engine.stages import active_stages

REV = "economy.RUS.oil_gas_revenue"
ARMS = {  # id switched off -> expected to fork (True) or start from week 0 (False)
    "rosneft_lukoil": True,   # starts with the event sanctions_on (2025-10-22)
    "summit2": True,          # an event in November
    "truce": True,            # an event in September
    "tariff_threat": False,   # a threat whose deadline precedes as_of: may act in week 1
}


def _claims(ids, at="2026-01-15"):
    lines = []
    for i, ident in enumerate(ids):
        expr = f"E({REV} by {at}) - E({REV} by {at} without {ident}) < 0"
        lines.append(f"  - {{id: c{i}, text: Arm {ident}, source: est, expr: \"{expr}\", "
                     "confidence: likely}\n")
    lines.append("  - {id: cr, text: Resolve, source: est, expr: \"E(resolve.RUS by "
                 "2026-01-15 without summit2) > 0\", confidence: likely}\n")
    return "".join(lines)


def _scenario(mini_path, *, absorb_all=False):
    from polemos.scenario.load import loads_scenario

    text = mini_path.with_name("full.yaml").read_text()
    text = text.replace("theatres:\n", _claims(ARMS) + "theatres:\n", 1)
    if absorb_all:  # every draw ends in week 1: the arms end with the main arm
        text = text.replace('when: "resolve.UKR < 0.25"', 'when: "resolve.UKR < 5"', 1)
    return loads_scenario(text)


def _run(scen, monkeypatch, fork: bool, seed=7, n=240):
    stages = active_stages(scen)
    plan = make_plan(scen, stages)
    seen = {}
    real = loop._fork_weeks

    def spy(*a, **k):
        out = real(*a, **k) if fork else {}
        seen.update(out)
        return out

    monkeypatch.setattr(loop, "_fork_weeks", spy)
    res = simulate_block(scen, stages, plan, ParamSpace.from_scenario(scen), seed=seed,
                         block=2, n=n)
    return res, seen


def _assert_same(a, b):
    assert sorted(a.columns) == sorted(b.columns)
    for k in a.columns:
        assert np.asarray(a.columns[k]).tobytes() == np.asarray(b.columns[k]).tobytes(), k
    for k in a.aggregates:
        assert np.asarray(a.aggregates[k]).tobytes() == np.asarray(b.aggregates[k]).tobytes(), k


@pytest.mark.parametrize("seed", [7, 11])
def test_forked_arms_match_arms_from_week_zero(mini_path, monkeypatch, seed):
    scen = _scenario(mini_path)
    forked, weeks = _run(scen, monkeypatch, fork=True, seed=seed)
    scratch, none = _run(scen, monkeypatch, fork=False, seed=seed)
    assert not none
    by_id = {next(iter(arm)): w for arm, w in weeks.items()}
    for ident, forks in ARMS.items():
        assert (ident in by_id) is forks, (ident, by_id)
    assert all(0 < w < 30 for w in by_id.values())
    assert any(k.endswith("~without:rosneft_lukoil") for k in forked.columns)
    _assert_same(forked, scratch)


def test_arms_forked_after_every_draw_is_absorbed(mini_path, monkeypatch):
    scen = _scenario(mini_path, absorb_all=True)
    forked, weeks = _run(scen, monkeypatch, fork=True)
    scratch, _ = _run(scen, monkeypatch, fork=False)
    assert weeks
    _assert_same(forked, scratch)


def test_fork_week_is_the_week_before_the_event(mini_path):
    from polemos.engine.loop import horizon_weeks
    from polemos.engine.params import Params
    from polemos.engine.stage import Context

    scen = _scenario(mini_path)
    stages = active_stages(scen)
    space = ParamSpace.from_scenario(scen)
    u = loop.block_unit_samples(space, "plain", 1, 0, 50)
    ctx = Context(scen, Params(space, u), 50, scen.meta.as_of, horizon_weeks(scen))
    for stage in stages:
        stage.init(ctx)
    events = next(s for s in stages if s.name == "events")
    week = ctx.week_of(next(e.date for e in scen.events if e.id == "summit2"))
    assert events.shared_weeks(frozenset({"summit2"})) == week - 1
    assert events.shared_weeks(frozenset({"rosneft_lukoil"})) == NEVER
    economy = next(s for s in stages if s.name == "economy")
    sanctions = ctx.week_of(next(e.date for e in scen.events if e.id == "sanctions_on"))
    assert economy.shared_weeks(frozenset({"rosneft_lukoil"})) == sanctions - 1
    assert economy.shared_weeks(frozenset({"summit2"})) == NEVER


def test_every_stage_reading_without_says_when_it_differs():
    """A stage that reads ``ctx.shared["without"]`` must override both fork hooks, or
    a forked arm would miss its switch."""
    from polemos.engine.stages import all_stages

    stages = [type(s) for s in all_stages()]
    readers = [cls for cls in stages if '"without"' in inspect.getsource(cls)]
    assert {c.name for c in readers} >= {"events", "economy"}
    for cls in readers:
        assert cls.shared_weeks is not BaseStage.shared_weeks, cls.name
        assert cls.switch_off is not BaseStage.switch_off, cls.name



SEEDS = [p for p in sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
         if re.search(r"expr:.*\bwithout\b", p.read_text())]  # claims with arms


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_scenarios_forked_arms_match(path, monkeypatch):
    """Every seed with counterfactual claims (trade measures, threats, events): forked
    arms give the bits of arms from week 0."""
    from polemos.scenario import load_scenario

    scen = load_scenario(path)
    assert make_plan(scen, active_stages(scen)).arms
    forked, _ = _run(scen, monkeypatch, fork=True, n=120)
    scratch, _ = _run(scen, monkeypatch, fork=False, n=120)
    _assert_same(forked, scratch)


def test_an_arm_switching_off_an_event_and_its_measure(mini_path, monkeypatch):
    """One arm naming both a sanctions event and the measure it starts, and one naming an
    event and an unrelated threat: the fork week is the earliest of the stages'."""
    from polemos.scenario.load import loads_scenario

    text = mini_path.with_name("full.yaml").read_text()
    claims = ("  - {id: both, text: Both, source: est, expr: \"E(" + REV + " by 2026-01-15 "
              "without sanctions_on, rosneft_lukoil) > 0\", confidence: likely}\n"
              "  - {id: mixed, text: Mixed, source: est, expr: \"E(" + REV + " by 2026-01-15 "
              "without summit2, tariff_threat) > 0\", confidence: likely}\n")
    scen = loads_scenario(text.replace("theatres:\n", claims + "theatres:\n", 1))
    forked, weeks = _run(scen, monkeypatch, fork=True)
    scratch, _ = _run(scen, monkeypatch, fork=False)
    assert frozenset({"sanctions_on", "rosneft_lukoil"}) in weeks
    assert frozenset({"summit2", "tariff_threat"}) not in weeks  # the threat may act at once
    _assert_same(forked, scratch)
