"""Invariants of every bargaining kernel (hypothesis), plus parser round trips."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polemos.datasets.bargaining import parse_ktab_csv, parse_plain_csv
from polemos.models.bargaining import compromise, eum, median, nash, smp

SEEDS = st.integers(0, 2**32 - 1)
SIZES = st.integers(2, 7)


def _inputs(seed: int, n: int, draws: int = 3):
    rng = np.random.default_rng(seed)
    return (
        rng.uniform(1, 100, (draws, n)),
        rng.uniform(0, 100, (draws, n)),
        rng.uniform(0.05, 1.0, (draws, n)),
    )


def _run_all(c, x, s):
    """Per-actor outputs of each model (draw axis first)."""
    e = eum.run(c, x, s, rounds=3, scale=(0, 100))
    m = smp.run(c, x, s, max_turns=4)
    return {
        "compromise": compromise.run(c, x, s)["forecast"],
        "median": median.run(c, x, s)["forecast"],
        "nash": nash.run(c, x, s)["forecast"],
        "eum": e["positions"],
        "eum.forecast": e["forecast"],
        "smp": m["positions"][..., 0],
    }


@settings(max_examples=15, deadline=None)
@given(seed=SEEDS, n=SIZES)
def test_positions_stay_in_range(seed, n):
    c, x, s = _inputs(seed, n)
    lo, hi = x.min(axis=1), x.max(axis=1)
    for name, out in _run_all(c, x, s).items():
        arr = out.reshape(out.shape[0], -1)
        # KTAB rounds bargains to 1e-4 of the scale (0.005 on 0-100): SMP may step that far out
        tol = 0.005 + 1e-9 if name == "smp" else 1e-9
        assert (arr >= lo[:, None] - tol).all() and (arr <= hi[:, None] + tol).all(), name


@settings(max_examples=15, deadline=None)
@given(seed=SEEDS, n=SIZES, where=st.floats(0, 100))
def test_unanimous_scenario_stays_put(seed, n, where):
    c, _, s = _inputs(seed, n)
    x = np.full_like(c, where)
    for name, out in _run_all(c, x, s).items():
        np.testing.assert_allclose(out, where, atol=1e-9, err_msg=name)


@settings(max_examples=15, deadline=None)
@given(seed=SEEDS, n=st.integers(3, 7))
def test_permuting_actors_permutes_results(seed, n):
    c, x, s = _inputs(seed, n)
    perm = np.random.default_rng(seed + 1).permutation(n)
    a = _run_all(c, x, s)
    b = _run_all(c[:, perm], x[:, perm], s[:, perm])
    for name in ("compromise", "median", "nash", "eum.forecast"):
        np.testing.assert_allclose(a[name], b[name], atol=1e-9, err_msg=name)
    np.testing.assert_allclose(a["eum"][..., perm], b["eum"], atol=1e-9)
    np.testing.assert_allclose(a["smp"][..., perm], b["smp"], atol=1e-9)


@settings(max_examples=15, deadline=None)
@given(seed=SEEDS, n=SIZES)
def test_draws_are_independent(seed, n):
    """Vectorising over draws gives the same answer as running each draw alone."""
    c, x, s = _inputs(seed, n)
    whole = eum.run(c, x, s, rounds=3)["positions"]
    for d in range(c.shape[0]):
        one = eum.run(c[d : d + 1], x[d : d + 1], s[d : d + 1], rounds=3)["positions"]
        np.testing.assert_allclose(whole[d : d + 1], one, atol=1e-12)
    whole = smp.run(c, x, s, max_turns=3)["positions"]
    for d in range(c.shape[0]):
        one = smp.run(c[d : d + 1], x[d : d + 1], s[d : d + 1], max_turns=3)["positions"]
        np.testing.assert_allclose(whole[d : d + 1, : one.shape[1]], one, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(seed=SEEDS, n=SIZES)
def test_compromise_is_the_weighted_mean_and_median_is_a_position(seed, n):
    c, x, s = _inputs(seed, n)
    np.testing.assert_allclose(compromise.run(c, x, s)["forecast"], (c * s * x).sum(1) / (c * s).sum(1))
    f = median.run(c, x, s)["forecast"]
    assert all(f[d] in x[d] for d in range(len(f)))


@settings(max_examples=25, deadline=None)
@given(seed=SEEDS, n=SIZES)
def test_nash_solution_lies_in_the_zone(seed, n):
    c, x, s = _inputs(seed, n)
    sq = np.random.default_rng(seed).uniform(0, 100, c.shape[0])
    out = nash.run(c, x, s, status_quo=sq)
    ok = out["agreement"] > 0
    assert (out["forecast"][ok] >= out["zopa_low"][ok] - 1e-6).all()
    assert (out["forecast"][ok] <= out["zopa_high"][ok] + 1e-6).all()
    np.testing.assert_allclose(out["forecast"][~ok], sq[~ok])


def test_zone_exists_iff_everyone_is_on_one_side_of_the_status_quo():
    c = np.ones((2, 3))
    s = np.full((2, 3), 0.5)
    x = np.array([[60.0, 70.0, 80.0], [20.0, 70.0, 80.0]])
    out = nash.run(c, x, s, status_quo=np.array([50.0, 50.0]))
    assert out["agreement"].tolist() == [1.0, 0.0]
    assert 60.0 <= out["forecast"][0] <= 70.0


NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFG", min_size=1, max_size=8)


@settings(max_examples=30, deadline=None)
@given(
    rows=st.lists(
        st.tuples(NAMES, st.floats(0, 1e3), st.floats(0, 100), st.floats(0, 100)),
        min_size=1, max_size=8, unique_by=lambda r: r[0],
    )
)
def test_plain_csv_round_trip(rows):
    text = "actor,capability,position,salience\n" + "".join(
        f"{a},{c!r},{p!r},{s!r}\n" for a, c, p, s in rows
    )
    (inp,) = parse_plain_csv(text).values()
    assert inp.actors == [r[0] for r in rows]
    np.testing.assert_array_equal(inp.capability, [r[1] for r in rows])
    np.testing.assert_array_equal(inp.position[:, 0], [r[2] for r in rows])
    np.testing.assert_allclose(inp.salience[:, 0], [r[3] / 100 for r in rows])


@settings(max_examples=30, deadline=None)
@given(
    k=st.integers(1, 3),
    rows=st.lists(st.tuples(NAMES, st.floats(0.1, 1e3)), min_size=1, max_size=6, unique_by=lambda r: r[0]),
    seed=SEEDS,
)
def test_ktab_csv_round_trip(k, rows, seed):
    rng = np.random.default_rng(seed)
    pos = rng.uniform(0, 100, (len(rows), k)).round(2)
    sal = rng.uniform(0, 100 / k, (len(rows), k)).round(2)
    head = ",".join(f"D{d} Position,D{d} Salience" for d in range(k))
    lines = [f"Scen,desc,{len(rows)},{k},", f"Actor,Description,Power,{head},"]
    for (a, c), p, s in zip(rows, pos, sal, strict=True):
        cells = ",".join(f"{p[d]},{s[d]}" for d in range(k))
        lines.append(f"{a}, some actor ,{c!r},{cells},")
    inp = parse_ktab_csv("\n".join(lines) + "\n")
    assert inp.actors == [r[0] for r in rows] and inp.dims == [f"D{d}" for d in range(k)]
    np.testing.assert_array_equal(inp.position, pos)
    np.testing.assert_allclose(inp.salience, sal / 100)


def test_bad_csv_says_what_is_missing():
    from polemos.datasets.bargaining import BargainingFormatError

    with pytest.raises(BargainingFormatError, match="missing column"):
        parse_plain_csv("actor,position\nA,1\n")


def test_chunks_and_threads_give_the_same_bits(monkeypatch):
    c, x, s = _inputs(7, 5, draws=9)
    a = eum.run(c, x, s, rounds=3)
    monkeypatch.setattr(eum, "CHUNK_ELEMENTS", 300)  # 2 draws per chunk
    b = eum.run(c, x, s, rounds=3, workers=2)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)
    a = smp.run(c, x, s, max_turns=5)
    monkeypatch.setattr(smp, "CHUNK_ELEMENTS", 300)
    b = smp.run(c, x, s, max_turns=5)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


def test_forecast_helpers():
    from polemos.models.bargaining import forecast
    from polemos.scenario.quantities import Uniform

    rng = np.random.default_rng(3)
    spread = Uniform(dist="uniform", low=40.0, high=60.0)
    data = forecast.draw_inputs([1.0, 2.0, 1.0], [10.0, spread, 90.0], [50.0, 50.0, 50.0], 500, rng)
    assert data["position"].shape == (500, 3)
    assert 40.0 <= data["position"][:, 1].min() and data["position"][:, 1].max() <= 60.0
    s = data["salience"] / 100.0
    summary = forecast.summarize(compromise.run(data["capability"], data["position"], s)["forecast"])
    assert summary["interval"][0] <= summary["median"] <= summary["interval"][1]
    assert abs(summary["mean"] - 50.0) < 1.0
    # a status quo at 0 with everyone above it: a zone always exists; at 50, never
    assert forecast.zopa_probability(data["capability"], data["position"], s, status_quo=0.0) == 1.0
    assert forecast.zopa_probability(data["capability"], data["position"], s, status_quo=50.0) == 0.0


@settings(max_examples=10, deadline=None)
@given(seed=SEEDS, n=SIZES, q=st.floats(0.0, 1.0), rule=st.sampled_from(list(eum.TRule)))
def test_eum_with_status_quo_drift_stays_in_range(seed, n, q, rule):
    c, x, s = _inputs(seed, n)
    out = eum.run(c, x, s, rounds=3, q=q, t_rule=rule)
    lo, hi = x.min(axis=1), x.max(axis=1)
    pos = out["positions"].reshape(x.shape[0], -1)
    assert np.isfinite(pos).all()
    assert (pos >= lo[:, None] - 1e-9).all() and (pos <= hi[:, None] + 1e-9).all()
    assert ((out["risk"] >= 0.5 - 1e-12) & (out["risk"] <= 2.0 + 1e-12)).all()


@pytest.mark.parametrize("option", ["voters", "perception", "prob_rule", "conflict", "offer_choice"])
def test_every_eum_reading_runs(option):
    enum = {"voters": eum.Voters, "perception": eum.Perception, "prob_rule": eum.ProbRule,
            "conflict": eum.ConflictRule, "offer_choice": eum.OfferChoice}[option]
    c, x, s = _inputs(11, 6)
    for value in enum:
        out = eum.run(c, x, s, rounds=2, **{option: value.value})
        assert np.isfinite(out["positions"]).all()


@settings(max_examples=25, deadline=None)
@given(seed=SEEDS, n=SIZES, coarse=st.booleans(), choice=st.sampled_from(["scholz", "ranked"]),
       linear=st.booleans())
def test_eum_fast_round_equals_general_step(seed, n, coarse, choice, linear):
    """The lean default path gives the general step's positions (to rounding)."""
    c, x, s = _inputs(seed, n)
    if coarse:  # coinciding positions, as the dynamics produce
        x = np.round(x / 25.0) * 25.0
    span = np.maximum(x.max(axis=1) - x.min(axis=1), 1e-9)
    span = np.where(x.max(axis=1) > x.min(axis=1), span, 1.0)
    votes = eum.VoteUtility.linear if linear else eum.VoteUtility.risk
    fast, r_fast = eum._fast_round(c, x, s, 1.0 / span, eum.OfferChoice(choice), linear_votes=linear)
    general = eum.step(c, x, s, span, offer_choice=eum.OfferChoice(choice), vote_utility=votes)
    np.testing.assert_allclose(fast, general["position"], atol=1e-9)
    np.testing.assert_allclose(r_fast, general["risk"], atol=1e-12)


def test_nash_closed_form_two_actors():
    """Weights 3:1, lottery disagreement with cost 5: argmax 3 log(30 - z) + log(z - 20) = 22.5."""
    out = nash.run([[3.0, 1.0]], [[0.0, 100.0]], [[1.0, 1.0]], cost=5.0)
    assert out["agreement"][0] == 1.0
    assert out["forecast"][0] == pytest.approx(22.5, abs=1e-6)
    assert (out["zopa_low"][0], out["zopa_high"][0]) == pytest.approx((20.0, 30.0))


@pytest.mark.parametrize("victory", list(smp.VictoryProb))
@pytest.mark.parametrize("pce_model", list(smp.PCEModel))
def test_smp_options_give_distributions(victory, pce_model):
    c, x, s = _inputs(5, 5)
    for rule in smp.VotingRule:
        out = smp.run(c, x, s * 0.9, max_turns=4, voting_rule=rule, victory_prob=victory,
                      pce_model=pce_model)
        np.testing.assert_allclose(out["probabilities"].sum(axis=-1), 1.0, atol=1e-9)
        assert np.isfinite(out["positions"]).all()
