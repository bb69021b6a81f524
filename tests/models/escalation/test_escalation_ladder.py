"""Properties of the escalation-ladder kernel (hypothesis over random small problems)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from polemos.models.escalation import example_inputs, run_ladder
from polemos.models.escalation.generic import generic_crisis_inputs
from polemos.models.escalation.ladder import LadderParams, initial_state, prepare, step


def _problem(seed: int, n: int, n_rungs: int, n_actors: int, n_moves: int, deesc: bool):
    rng = np.random.default_rng(seed)
    actor = rng.integers(0, n_actors, n_moves)
    de = (rng.random(n_moves) < 0.3) & deesc
    return {
        "severity": np.sort(rng.uniform(0, 5, n_rungs)),
        "move_actor": actor,
        "move_rung": rng.integers(0, n_rungs, n_moves),
        "move_deescalate": de,
        "move_sustain": rng.random(n_moves) < 0.5,
        "use_size": rng.integers(1, 4, n_moves).astype(float),
        "actor_side": np.where(np.arange(n_actors) % 2 == 0, -1, 1),
        "gain": rng.normal(0, 2, (n, n_moves)),
        "cost": rng.uniform(0, 1, (n, n_moves)),
        "stock0": rng.choice([3.0, 10.0, np.inf], (n, n_moves)),
        "production": rng.uniform(0, 0.5, (n, n_moves)),
        "enabled": rng.random((n, n_moves)) < 0.8,
        "red_line": rng.integers(0, n_rungs + 1, (n, n_actors)),
        "credibility": rng.uniform(0, 2, (n, n_actors)),
        "risk_weight": rng.uniform(0, 2, (n, n_actors)),
        "rationality": rng.uniform(0, 5, (n, n_actors)),
        "accident": rng.uniform(0, 0.05, (n, n_rungs)),
        "misperception": rng.uniform(0, 0.2, n),
        "loss_weight": rng.uniform(0, 1, n),
        "talks_weight": rng.uniform(0, 1, n),
    }


problems = st.tuples(
    st.integers(0, 2**31 - 1), st.integers(1, 40), st.integers(2, 8), st.integers(1, 4),
    st.integers(1, 10),
)


@settings(max_examples=40, deadline=None)
@given(problems, st.booleans())
def test_rungs_in_bounds_and_stocks_non_negative(prob, deesc):
    seed, n, n_rungs, n_actors, n_moves = prob
    inputs = _problem(seed, n, n_rungs, n_actors, n_moves, deesc)
    out = run_ladder(**inputs, weeks=20, rng=np.random.default_rng(seed),
                     battlefield=np.random.default_rng(seed).uniform(-1, 1, n), bargaining=0.5)
    assert out["rung"].min() >= 0 and out["rung"].max() < n_rungs
    assert (out["max_rung"] >= out["rung"]).all()
    assert (np.diff(out["max_rung"], axis=1) >= 0).all()
    assert (out["stocks"] >= -1e-9).all()
    assert (out["uses"][~inputs["enabled"]] == 0).all(), "a disabled (withheld) move was used"
    np.testing.assert_allclose(out["occupancy"].sum(1), 1.0)


@settings(max_examples=40, deadline=None)
@given(problems)
def test_monotone_without_deescalation(prob):
    seed, n, n_rungs, n_actors, n_moves = prob
    inputs = _problem(seed, n, n_rungs, n_actors, n_moves, deesc=False)
    out = run_ladder(**inputs, weeks=20, rng=np.random.default_rng(seed))
    assert (np.diff(out["rung"], axis=1) >= 0).all()


@settings(max_examples=20, deadline=None)
@given(problems, st.booleans())
def test_same_seed_same_bits(prob, deesc):
    seed, n, n_rungs, n_actors, n_moves = prob
    inputs = _problem(seed, n, n_rungs, n_actors, n_moves, deesc)
    a = run_ladder(**inputs, weeks=10, rng=np.random.default_rng(1))
    b = run_ladder(**inputs, weeks=10, rng=np.random.default_rng(1))
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])


def test_one_step_per_week_at_most_deliberate_plus_slip():
    inputs = _problem(3, 200, 7, 4, 10, deesc=False)
    out = run_ladder(**inputs, weeks=30, rng=np.random.default_rng(0))
    jumps = np.diff(np.concatenate([np.zeros((200, 1), int), out["rung"]], axis=1), axis=1)
    assert jumps.max() <= 1, "max_jump 1 and one slip only in weeks without a rise"


def test_logit_choice_frequency_matches_formula():
    # one actor, one move to rung 1 with utility u: P(step in week 0) = sigmoid(lambda u)
    n, u, lam = 200_000, 0.7, 1.5
    inputs = generic_crisis_inputs(np.zeros((n, 3)))
    inputs["gain"][:, 0] = u
    inputs["enabled"][:, 3:] = False  # actor 1 inactive
    out = run_ladder(**{**inputs, "rationality": np.full((n, 2), lam)}, weeks=1,
                     rng=np.random.default_rng(5))
    expected = 1.0 / (1.0 + np.exp(-lam * u))
    got = (out["rung"][:, 0] == 1).mean()
    assert abs(got - expected) < 4 * np.sqrt(expected * (1 - expected) / n)


def test_accident_hazard_is_geometric():
    n, h = 100_000, 0.05
    inputs = generic_crisis_inputs(np.zeros((n, 3)))
    inputs["enabled"][:] = False
    inputs["accident"][:, 0] = h
    out = run_ladder(**inputs, weeks=10, rng=np.random.default_rng(2))
    got = (out["max_rung"][:, -1] >= 1).mean()
    expected = 1 - (1 - h) ** 10
    assert abs(got - expected) < 4 * np.sqrt(expected * (1 - expected) / n)


def test_red_line_crossing_raises_counter_escalation():
    rng = np.random.default_rng(4)
    base = example_inputs(rng, 4000, weeks=10)
    weeks = base.pop("weeks")
    start = np.full(4000, 1)
    others = base["red_line"][:, 1:]
    runs = {}
    for rival_line in (6, 1):  # the rival's own red line: not crossed / crossed at rung 1
        lines = np.column_stack([np.full(4000, rival_line), others])
        runs[rival_line] = run_ladder(**{**base, "red_line": lines}, weeks=weeks,
                                      rng=np.random.default_rng(1), start_rung=start)
    rival_moves = [3, 4, 5]  # missile strikes, strikes on supply hubs, nuclear option
    assert runs[1]["uses"][:, rival_moves].sum() > runs[6]["uses"][:, rival_moves].sum()
    assert runs[1]["uses"][:, 6].sum() < runs[6]["uses"][:, 6].sum(), "fewer ceasefire offers"


def test_step_api_matches_simulate():
    rng = np.random.default_rng(9)
    inputs = example_inputs(rng, 300, weeks=8)
    weeks, bf, bg = inputs.pop("weeks"), inputs.pop("battlefield"), inputs.pop("bargaining")
    p = LadderParams(**inputs)
    out = run_ladder(**inputs, weeks=weeks, battlefield=bf, bargaining=bg,
                     rng=np.random.default_rng(3))
    state, tables, gen = initial_state(p), prepare(p), np.random.default_rng(3)
    for t in range(weeks):
        state = step(state, p, gen, bf, bg, tables)
        np.testing.assert_array_equal(state.rung, out["rung"][:, t])
    np.testing.assert_array_equal(state.stocks, out["stocks"])
