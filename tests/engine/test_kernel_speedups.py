"""The fast kernels of issue 15 give the same bits as their plain references.

The references are the implementations of commit 19ddd24, kept in
``bench/bench_kernels.py`` (the benchmark times them against the new ones): the same
equations evaluated the plain way. Inputs are random (hypothesis), including the
branches the seed scenarios never take (tempo limits, no shadow price, NaN utilities,
talks in some draws only); the results must be byte-identical.
"""

from __future__ import annotations

import contextlib
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
    c = ladder.initial_state(p, start)  # stepped in place
    rng_a, rng_b, rng_c = (np.random.default_rng(seed) for _ in range(3))
    inputs = np.random.default_rng(seed + 1)
    with np.errstate(invalid="ignore"):
        for _ in range(weeks):
            bf = inputs.uniform(-1, 1, n)
            s = {"none": np.zeros(n), "all": np.ones(n),
                 "some": (inputs.random(n) < 0.3).astype(float)}[talks]
            a = ladder.step(a, p, rng_a, bf, s, new_t)
            b = old.old_ladder_step(b, p, rng_b, bf, s, old_t)
            c = ladder.step(c, p, rng_c, bf, s, new_t, inplace=True)
            _same_state(a, b)
            _same_state(c, b)
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


@st.composite
def economy_case(draw):
    from polemos.models.economy import war_economy as W

    n, n_m = draw(st.integers(1, 30)), draw(st.sampled_from([0, 1, 2, 3, 7, 8, 10]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    econ = W.example(rng, n)["economy"]
    if draw(st.booleans()):  # no fiscal rule in some draws, a growing reserve, a tight cap
        econ = replace(econ, base_price_usd=np.where(rng.random(n) < 0.5, np.nan, 60.0),
                       reserve_return=rng.uniform(0, 0.1, n), borrow_cap=rng.uniform(0, 2e3, n),
                       gas_bcm_year=rng.uniform(0, 100, n), gas_tax_take=rng.uniform(0, .3, n),
                       benchmark_trend=rng.normal(0, .1, n), fx_oil_elasticity=rng.random(n))

    def u(lo, hi):
        return rng.uniform(lo, hi, (n, n_m))

    lag = np.where(rng.random((n, n_m)) < 0.3, 0.0, u(0, 6)) if draw(st.booleans()) else u(1, 6)
    half = np.where(rng.random((n, n_m)) < 0.3, np.inf, u(5, 40)) if draw(st.booleans()) \
        else u(5, 40)
    m = W.MeasureArrays(
        ids=tuple(f"m{j}" for j in range(n_m)), start=u(-3, 12), lag=lag,
        compliance=u(-0.2, 1.2), coverage=u(-0.1, 1.1), volume_cut=u(-0.1, 0.4),
        discount_usd=u(-2, 12), cap_usd=np.where(rng.random((n, n_m)) < 0.5, np.inf,
                                                  u(40, 70)),
        half_life=half, postpone_prob=u(0, 0.7), postpone_weeks=u(2, 6),
        max_postponements=np.full((n, n_m), 5.0))
    starts = np.where(rng.random((n, n_m)) < 0.2, np.inf, W.draw_starts(m, rng))
    active = draw(st.sampled_from(["all", "mask"]))
    active = True if active == "all" or n_m == 0 else rng.random(n_m) < 0.5
    dt = draw(st.sampled_from([1.0, 0.5, 4.0]))
    return econ, m, starts, active, dt, draw(st.booleans()), seed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=economy_case())
def test_economy_step_matches_the_plain_reference(old, case):
    from polemos.models.economy import war_economy as W

    econ, m, starts, active, dt, with_index, seed = case
    n, rng = econ.n_draws, np.random.default_rng(seed + 1)
    fixed = W.prepare(econ, m, dt)
    a = b = W.initial_state(econ)
    with np.errstate(all="ignore"):
        for t in range(12):
            z = rng.standard_normal(n)
            ri = rng.uniform(0.8, 1.0, n) if with_index else None
            a, fa = W.step(econ, m, a, t * dt, dt, z, starts, active, ri, fixed)
            b, fb = old.old_economy_step(econ, m, b, t * dt, dt, z, starts, active, ri)
            _same_state(a, b)
            assert sorted(fa) == sorted(fb)
            for k in fa:
                assert np.asarray(fa[k]).tobytes() == np.asarray(fb[k]).tobytes(), k
    # without the prepared parts, and with ones for another step length: the same
    c, _ = W.step(econ, m, W.initial_state(econ), 0.0, dt, z, starts, active, None,
                  W.prepare(econ, m, dt * 2))
    d, _ = old.old_economy_step(econ, m, W.initial_state(econ), 0.0, dt, z, starts, active)
    _same_state(c, d)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.integers(0, 2**32 - 1), st.booleans())
def test_measure_helpers_match_the_plain_reference(old, m, seed, extreme):
    from polemos.models.economy import measures

    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 2, (20, m))
    if extreme:  # magnitudes far apart: any change of the order of a sum shows
        x *= 10.0 ** rng.integers(-12, 12, x.shape)
    e = np.clip(x, 0, 1) if not extreme else x
    cov, cut, disc = (rng.uniform(-0.2, 1.2, (20, m)) for _ in range(3))
    got, want = measures.combine(e, cov, cut, disc * 10), old._old_combine(e, cov, cut, disc * 10)
    assert got[0].tobytes() == want[0].tobytes() and got[1].tobytes() == want[1].tobytes()
    weeks = np.arange(30.0)[None, :, None]
    args = (rng.uniform(-5, 20, (20, 1, m)), rng.uniform(0, 5, (20, 1, m)),
            rng.uniform(-0.1, 1.1, (20, 1, m)), rng.uniform(1, 40, (20, 1, m)))
    with np.errstate(all="ignore"):
        assert (measures.strength(weeks, *args).tobytes()
                == old._old_strength(weeks, *args).tobytes())


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 7), st.integers(0, 2**32 - 1))
def test_short_reductions_keep_numpys_order_and_signs(m, seed):
    """Signed zeros, infinities and NaN: the column loop reduces as NumPy does."""
    from polemos.models.economy.measures import last_axis

    x = np.random.default_rng(seed).choice(
        [-0.0, 0.0, 1.0, -1.0, 1e300, -1e300, np.inf, -np.inf, np.nan, 1e-300, 3.5], (50, m))
    with np.errstate(all="ignore"):
        for op in (np.add, np.multiply):
            assert op.reduce(x, axis=-1).tobytes() == last_axis(op, x).tobytes()


@settings(max_examples=60, deadline=None)
@given(law=st.sampled_from(["square", "linear", "logarithmic", "mixed", "osipov", "helmbold",
                            "asymmetric"]),
       n=st.integers(1, 40), seed=st.integers(0, 2**32 - 1), substeps=st.integers(1, 4),
       shocked=st.booleans())
def test_attrition_step_matches_the_plain_reference(old, law, n, seed, substeps, shocked):
    """Both sides integrated together (laws.rk4_pair) against the side-by-side step,
    with forces that run out (a side gone: zero losses from then on)."""
    from polemos.models.attrition import lanchester as L
    from polemos.models.attrition.laws import Exponents, exponents

    exps = (Exponents(0.3, 0.9, 0.0, 1.0) if law == "asymmetric"
            else exponents(law, weiss=0.6) if law == "helmbold" else exponents(law))
    rng = np.random.default_rng(seed)
    scale = 1.0 if exps.p_r == 0.0 else 1e-3  # rates stay sensible under each law
    red = L.side_inputs(n, coef=rng.uniform(0, 0.3, n) * scale, recruit=rng.uniform(0, 50, n),
                        lag=rng.integers(0, 3, n), withdraw=rng.uniform(0, 5, n),
                        multiplier=rng.uniform(0.5, 1.5, n))
    blue = L.side_inputs(n, coef=rng.uniform(0, 0.3, n) * scale, recruit=rng.uniform(0, 50, n),
                         lag=rng.integers(0, 3, n), multiplier=rng.uniform(0.5, 1.5, n))
    state = L.TheatreState(L.SideState.initial(rng.uniform(0, 300, n), 1e4, 3),
                           L.SideState.initial(rng.uniform(0, 300, n), 1e4, 3))
    a = b = state
    with np.errstate(all="ignore"):
        for _ in range(10):
            shock = rng.lognormal(0, 0.3, n) if shocked else None
            a = L.step(a, red, blue, exps, substeps=substeps, shock=shock)
            b = old.old_lanchester_step(b, red, blue, exps, substeps=substeps, shock=shock)
            for side_a, side_b in ((a.red, b.red), (a.blue, b.blue)):
                _same_state(side_a, side_b)


@pytest.mark.parametrize("name", ["ukraine-2025-10-budapest.yaml", "taiwan-strait-2027.yaml"])
def test_engine_blocks_match_with_the_old_kernels_patched_in(old, name):
    """Through the engine (every stage, counterfactual arms included): a block with every
    old kernel patched in (the capability stage's step among them) has the same bytes."""
    import importlib

    from polemos.engine.loop import make_plan, simulate_block
    from polemos.engine.params import ParamSpace
    from polemos.engine.stages import active_stages
    from polemos.scenario import load_scenario

    scen = load_scenario(BENCH.parents[1] / "scenarios" / name)

    def block() -> dict:
        stages = active_stages(scen)
        res = simulate_block(scen, stages, make_plan(scen, stages),
                             ParamSpace.from_scenario(scen), seed=7, block=2, n=80)
        return {**{f"c:{k}": v for k, v in res.columns.items()},
                **{f"a:{k}": v for k, v in res.aggregates.items()}}

    new = block()
    with contextlib.ExitStack() as patches:
        for k in old.KERNELS:
            patches.enter_context(old._patched(importlib.import_module(k.module), k.old))
        plain = block()
    assert sorted(new) == sorted(plain)
    for k in new:
        assert np.asarray(new[k]).tobytes() == np.asarray(plain[k]).tobytes(), k


@settings(max_examples=40, deadline=None)
@given(case=ladder_case())
def test_ladder_tables_match_the_plain_reference(old, case):
    """``dv`` gathered in its (n, R, M) layout against the 19ddd24 computation."""
    p = case[0]
    assert ladder.prepare(p).dv.tobytes() == old.old_ladder_tables(p).dv.tobytes()
