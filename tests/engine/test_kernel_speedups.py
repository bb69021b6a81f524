"""The fast kernels of issue 15 give the same bits as their plain references.

The references are the implementations of commit 19ddd24, kept in
``bench/bench_kernels.py`` (the benchmark times them against the new ones): the same
equations evaluated the plain way. Inputs are random (hypothesis), including the
branches the seed scenarios never take (tempo limits, no shadow price, NaN utilities,
talks in some draws only); the results must be byte-identical.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import fields, replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polemos.models.escalation import ladder
from polemos.models.escalation.defaults import example_inputs

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_kernels.py"


@pytest.fixture(scope="module")
def old():
    spec = importlib.util.spec_from_file_location("bench_kernels", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _same_state(a, b) -> None:
    for f in fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        assert np.asarray(x).dtype == np.asarray(y).dtype, f.name
        assert np.asarray(x).tobytes() == np.asarray(y).tobytes(), f.name


@st.composite
def ladder_case(draw):
    n = draw(st.integers(1, 40))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    inp = example_inputs(rng, n)
    inp.pop("weeks")
    m = len(inp["move_actor"])
    kw = {}
    if draw(st.booleans()):
        kw["horizon"] = draw(st.sampled_from([8.0, 52.0]))
    if draw(st.booleans()):
        kw["cooldown"] = rng.integers(0, 3, m).astype(float)
    if draw(st.booleans()):
        kw["max_per_year"] = np.where(rng.random(m) < 0.5, np.inf, rng.integers(1, 5, m))
    if draw(st.booleans()):
        kw["chance_weight"] = rng.uniform(0, 2, n)
    if draw(st.booleans()):
        kw["loss_hazard"] = rng.uniform(0, 2, n)
    if draw(st.booleans()):
        kw["move_max_from"] = rng.integers(0, 7, m)
    if draw(st.booleans()):  # hazards high enough that unintended steps happen
        inp["accident"] = rng.uniform(0, 0.3, inp["accident"].shape)
    if draw(st.booleans()):
        inp["severity"] = rng.uniform(0, 5, (n, len(inp["severity"]))).cumsum(1)
    if draw(st.booleans()):  # a NaN utility: the choice follows argmax's rule
        inp["rationality"][0, draw(st.integers(0, 3))] = np.nan
    inp["enabled"] = rng.random(inp["enabled"].shape) < 0.8
    inp["max_jump"] = draw(st.integers(1, 2))
    p = ladder.LadderParams(**{k: v for k, v in inp.items()
                               if k not in ("battlefield", "bargaining")}, **kw)
    start = rng.integers(0, 4, n) if draw(st.booleans()) else draw(st.integers(0, 3))
    weeks = draw(st.integers(1, 60))
    talks = draw(st.sampled_from(["none", "some", "all"]))
    return p, start, weeks, talks, seed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=ladder_case())
def test_ladder_step_matches_the_plain_reference(old, case):
    p, start, weeks, talks, seed = case
    n = p.n_draws
    new_t, old_t = ladder.prepare(p), old.old_ladder_tables(p)
    a = b = ladder.initial_state(p, start)
    rng_a, rng_b = np.random.default_rng(seed), np.random.default_rng(seed)
    inputs = np.random.default_rng(seed + 1)
    with np.errstate(invalid="ignore"):
        for _ in range(weeks):
            bf = inputs.uniform(-1, 1, n)
            s = {"none": np.zeros(n), "all": np.ones(n),
                 "some": (inputs.random(n) < 0.3).astype(float)}[talks]
            a = ladder.step(a, p, rng_a, bf, s, new_t)
            b = old.old_ladder_step(b, p, rng_b, bf, s, old_t)
            _same_state(a, b)
    assert rng_a.random() == rng_b.random()  # the same random numbers were drawn


def test_ladder_step_cache_follows_the_state_it_is_given(old):
    """The per-rung rows kept in the tables are keyed by each draw's rung: a step from
    an unrelated state (another start rung) still matches the reference."""
    p = ladder.LadderParams(**{k: v for k, v in example_inputs(np.random.default_rng(4), 30)
                               .items() if k not in ("weeks", "battlefield", "bargaining")})
    t = ladder.prepare(p)
    ladder.step(ladder.initial_state(p, 0), p, np.random.default_rng(1), 0.2, 0.0, t)
    other = replace(ladder.initial_state(p, 3), week=5)
    a = ladder.step(other, p, np.random.default_rng(2), -0.4, 1.0, t)
    b = old.old_ladder_step(other, p, np.random.default_rng(2), -0.4, 1.0,
                            old.old_ladder_tables(p))
    _same_state(a, b)


@settings(max_examples=40, deadline=None)
@given(case=ladder_case())
def test_ladder_utility_matches_the_plain_formula(old, case):
    """The utilities themselves, against the formula evaluated the plain way (draw-major,
    every term added, the 19ddd24 tables). Compared as values with NaN equal to NaN: the
    fast path skips adding zeros (talks outside talks, unlimited moves' price), which can
    only turn a -0 utility into +0 or back, and the choice (a maximum) cannot see that."""
    p, start, _, talks, seed = case
    n, t_old = p.n_draws, old.old_ladder_tables(p)
    state = ladder.initial_state(p, start)
    inputs = np.random.default_rng(seed + 1)
    b = inputs.uniform(-1, 1, n)
    s = {"none": np.zeros(n), "all": np.ones(n),
         "some": (inputs.random(n) < 0.3).astype(float)}[talks]
    loss = np.maximum(0.0, -p.actor_side[None, :] * b[:, None])
    r, rows, actor = state.rung, np.arange(n), t_old.move_actor_hit
    with np.errstate(invalid="ignore"):
        perceived = r[:, None] + (np.random.default_rng(seed).random((n, len(p.actor_side)))
                                  < p.misperception[:, None])
        answer = p.credibility * (np.minimum(perceived, p.n_rungs - 1) >= p.red_line)
        util = (p.gain * (1.0 + p.loss_weight[:, None] * loss[:, actor]) - p.cost
                - t_old.dv[rows, r] + (p.talks_weight * s)[:, None] * t_old.rise_term[r]
                + np.where(p.move_deescalate[None, :], 0.0, answer[:, actor])
                - old._old_shadow_price(p, state.stocks, t_old.net, t_old.lam_m,
                                        t_old.finite_cols))
        want = t_old.lam_m * util
        t = ladder.prepare(p)
        got = ladder._utility(state, p, t, np.random.default_rng(seed), loss.T.copy(), s,
                              ladder._at_rung(t, r))
    assert np.array_equal(got.T, want, equal_nan=True)
