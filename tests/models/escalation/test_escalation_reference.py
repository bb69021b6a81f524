"""Issue 10: reference classes (COW, ICB), reachability of every rung, couplings both ways.

docs/validation/escalation.md section 8 records each figure pinned here.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from polemos.models.escalation import reference as ref
from polemos.models.escalation.build import ladder_inputs
from polemos.models.escalation.calibration import weekly_hazards
from polemos.models.escalation.generic import generic_crisis_inputs
from polemos.models.escalation.ladder import LadderParams, simulate
from polemos.models.escalation.section import EscalationSection, check_escalation, reachable
from polemos.numerics.rng import child_generator
from polemos.scenario.quantities import support

ROOT = Path(__file__).resolve().parents[3]
SEEDS = [p for p in sorted((ROOT / "scenarios").glob("*.yaml"))
         if "\nescalation:" in p.read_text()]  # the seeds with an escalation ladder


# --- Bayesian rates ---------------------------------------------------------------------

def test_jeffreys_rate_closed_forms():
    post = ref.rate_posterior(0, 77.0)
    assert post.mean == pytest.approx(0.5 / 77.0)
    # Gamma(1/2, T): 2 T lambda ~ chi-squared(1)
    assert post.quantile(0.95) == pytest.approx(stats.chi2.ppf(0.95, 1) / (2 * 77.0))
    assert post.p_within(2.0) == pytest.approx(1.0 - (77.0 / 79.0) ** 0.5)
    flat = ref.rate_posterior(0, 77.0, ref.FLAT_POISSON)
    assert flat.mean == pytest.approx(1.0 / 77.0) and flat.mean > post.mean
    with pytest.raises(ValueError):
        ref.rate_posterior(-1, 10.0)
    a, b = ref.power_prior(9, 130.0, 0.1)
    assert (a, b) == pytest.approx((0.5 + 0.9, 13.0))


@settings(max_examples=60, deadline=None)
@given(st.floats(1e-6, 0.999), st.floats(1.0, 200.0))
def test_weekly_hazard_inverts_the_window_probability(p, weeks):
    h = ref.weekly_hazard(p, weeks)
    assert 0.0 <= h <= 1.0
    assert 1.0 - (1.0 - h) ** weeks == pytest.approx(p, rel=1e-6, abs=1e-9)


def test_posterior_predictive_matches_simulation():
    """P(at least one onset in H years) of the Gamma-Poisson mixture, by simulation."""
    post = ref.rate_posterior(1, 80.0)
    rng = np.random.default_rng(3)
    lam = rng.gamma(post.shape, 1.0 / post.rate, 400_000)
    sim = (rng.poisson(lam * 2.0) > 0).mean()
    assert sim == pytest.approx(post.p_within(2.0), abs=4 * np.sqrt(sim * (1 - sim) / 400_000))


# --- the data ---------------------------------------------------------------------------

def test_cow_major_power_wars(shared_data):
    from polemos.datasets.reference_classes import major_power_war_counts, major_power_wars

    wars = major_power_wars(shared_data)
    assert wars["onset"].tolist() == [1854, 1859, 1866, 1870, 1904, 1914, 1938, 1939, 1939,
                                      1950]
    assert not wars["nuclear"].any()  # Korea 1950: China had no bomb until 1964
    c = major_power_war_counts(shared_data)
    assert (c["major_power_1816_1945"]["k"], c["major_power_1816_1945"]["years"]) == (9, 130)
    assert (c["major_power_since_1946"]["k"], c["major_power_since_1946"]["years"]) == (1, 80)
    assert (c["nuclear_major_powers"]["k"], c["nuclear_major_powers"]["years"]) == (0, 77)


def test_icb_classes(shared_data):
    from polemos.datasets.reference_classes import crisis_classes

    c = crisis_classes(shared_data / "crises/icb1v14.csv", shared_data / "crises/icb2v14.csv")
    assert (c["all"]["n"], c["all"]["counts"]) == (377, [93, 121, 100, 63])
    assert (c["rivals"]["n"], c["rivals"]["counts"]) == (45, [31, 2, 7, 5])
    assert (c["nuclear_rivals"]["n"], c["nuclear_rivals"]["counts"]) == (24, [20, 2, 2, 0])
    assert any("Kargil" in name for name in c["nuclear_rivals"]["crises"])


def test_ladder_on_generic_rival_crises_reproduces_the_class():
    """ICB rivals' crises since 1946 (45; dyadic levels 31/2/7/5): weekly hazards over the
    class's median 24 weeks, run through the kernel, reproduce the shares within 4 s.e."""
    counts = np.array([31, 2, 7, 5])
    p_reach = np.flip(np.cumsum(np.flip(counts)))[1:] / counts.sum()  # P(>= minor, serious, war)
    n = 10_000
    h = weekly_hazards(np.tile(p_reach, (1, 1)), np.full(1, 24)).repeat(n, 0)
    params = generic_crisis_inputs(h, alpha=0.25, rationality=1.0)
    out = simulate(LadderParams(**params), 24, child_generator(5, 1))
    got = np.array([(out["max_rung"][:, -1] >= k).mean() for k in (1, 2, 3)])
    se = np.sqrt(p_reach * (1 - p_reach) / n)
    assert np.all(np.abs(got - p_reach) < 4 * se), (got, p_reach)


def test_ladder_reproduces_the_cow_rate_over_two_years():
    """A generic major-power dyad whose weekly hazard of war is the Jeffreys posterior of
    the 1946- rate (one world per draw) reproduces the posterior predictive two-year rate."""
    post = ref.rate_posterior(1, 80.0)
    n = 12_000
    lam = post.quantile(child_generator(7, 0).random(n))
    h = ref.annual_to_weekly(lam)
    params = generic_crisis_inputs(np.zeros((n, 3)), alpha=1.0)
    params["accident"] = np.column_stack([h, np.zeros((n, 3))])
    params["move_rung"] = np.tile(np.array([3, 3, 3]), 2)  # any deliberate step is war
    params["gain"] = np.full((n, 6), -50.0)  # never chosen: the hazard alone
    out = simulate(LadderParams(**params), 104, child_generator(7, 1))
    got = (out["max_rung"][:, -1] >= 1).mean()
    want = post.p_within(104 / 52.18)
    assert abs(got - want) < 4 * np.sqrt(want * (1 - want) / n), (got, want)


# --- reachability -----------------------------------------------------------------------

def _section(**over) -> EscalationSection:
    base = {
        "ladder": [{"id": f"r{i}", "name": f"rung {i}", "level": i} for i in range(4)],
        "accident_hazard": [0.0, 0.0, 0.0, 0.0],
        "actors": [{"actor": "A", "side": "a"}, {"actor": "B", "side": "b"}],
        "moves": [{"id": "m1", "actor": "A", "rung": "r1"}],
    }
    base.update(over)
    return EscalationSection.model_validate(base)


def test_validate_reports_every_rung_no_move_or_hazard_reaches():
    sec = _section()
    assert reachable(sec) == [True, True, False, False]
    scen = type("S", (), {"escalation": sec, "actors": [type("A", (), {"id": x}) for x in "AB"],
                          "events": [], "source_ids": lambda self: []})()
    problems = check_escalation(scen)
    assert [p[0] for p in problems] == [("escalation", "ladder", 2), ("escalation", "ladder", 3)]
    assert "cannot be reached" in problems[0][1] and "rung: r2" in problems[0][2]
    # a hazard from r1 opens r2 (and only r2); a move to r3 then opens r3
    assert reachable(_section(accident_hazard=[0, 0.01, 0, 0])) == [True, True, True, False]
    moves = [{"id": "m1", "actor": "A", "rung": "r1"}, {"id": "m3", "actor": "B", "rung": "r3"}]
    assert reachable(_section(moves=moves)) == [True, True, False, False]  # a jump of 2
    assert reachable(_section(moves=moves, max_jump=2)) == [True] * 4  # r2 jumped over
    # a withheld move with no event never opens its rung; de-escalation moves never do
    held = [{"id": "m1", "actor": "A", "rung": "r1", "enabled": False}]
    assert reachable(_section(moves=held)) == [True, False, False, False]
    down = [{"id": "m1", "actor": "A", "rung": "r1", "deescalate": True}]
    assert reachable(_section(moves=down)) == [True, False, False, False]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_every_seed_ladder_reaches_every_rung_in_two_years(path):
    """Acceptance: `polemos escalate FILE --weeks 104 --draws 20000` reaches every rung."""
    from polemos.cli.commands.escalate import compute
    from polemos.scenario.load import load_scenario

    sc = load_scenario(path)
    assert sc.escalation is not None
    assert all(reachable(sc.escalation))
    draws = 20_000 if "budapest" in path.stem else 12_000  # the acceptance run; the others
    doc = compute(sc, path, 104, draws, 20251024)
    assert all(v["p"] > 0 for v in doc["final"].values()), doc["final"]


# --- couplings and deterrence -----------------------------------------------------------

def _budapest_params(n: int, seed: int = 1):
    from polemos.scenario.load import load_scenario

    sc = load_scenario(ROOT / "scenarios" / "ukraine-2025-10-budapest.yaml")
    return sc.escalation, *ladder_inputs(sc.escalation, n, child_generator(seed, 0))


def _reach(p, layout, rung: str, weeks=52, battlefield=0.0, start="third_country", seed=2):
    out = simulate(p, weeks, child_generator(seed, 1), battlefield=battlefield,
                   start_rung=layout.rung_ids.index(start))
    return (out["max_rung"][:, -1] >= layout.rung_ids.index(rung)).mean()


def test_losses_and_crossed_red_lines_push_up_deterrence_pushes_down():
    n = 4000
    _, p, layout = _budapest_params(n)
    base = _reach(p, layout, "general_war")
    losing = _reach(replace(p, loss_hazard=np.full(n, 1.0)), layout, "general_war",
                    battlefield=1.0)  # the trend favours Ukraine's side: Russia loses
    chance = _reach(replace(p, chance_weight=np.full(n, 0.5)), layout, "general_war")
    deterred = _reach(replace(p, risk_weight=p.risk_weight * 4.0,
                              accident=p.accident * 0.25), layout, "general_war")
    se = np.sqrt(base * (1 - base) / n) + 1e-3
    assert losing > base + 3 * se and chance > base + 3 * se, (base, losing, chance)
    assert deterred < base - 3 * se, (base, deterred)


def test_most_escalatory_admissible_inputs_reach_general_war_by_deliberate_moves():
    """With every uncertain input at its most escalatory end of its support and no
    unintended steps, the deliberate moves alone reach general war and nuclear use."""
    sec, _, _ = _budapest_params(10)
    sec = copy.deepcopy(sec)
    hi = lambda q: float(support(q)[1])  # noqa: E731
    lo = lambda q: float(support(q)[0])  # noqa: E731
    moves = [m.model_copy(update={"gain": hi(m.gain), "cost": lo(m.cost)}) for m in sec.moves]
    actors = [a.model_copy(update={"risk_weight": lo(a.risk_weight),
                                   "credibility": hi(a.credibility)}) for a in sec.actors]
    ladder = [r.model_copy(update={"hazard": 0.0, "severity": lo(r.severity)})
              for r in sec.rungs()]
    sec = sec.model_copy(update={"moves": moves, "actors": actors, "ladder": ladder,
                                 "accident_hazard": 0.0, "rationality": hi(sec.rationality),
                                 "loss_weight": hi(sec.loss_weight),
                                 "talks_weight": lo(sec.talks_weight)})
    n = 2000
    p, layout = ladder_inputs(sec, n, child_generator(4, 0))
    gw = layout.rung_ids.index("general_war")
    for trend in (1.0, -1.0):  # Russia losing; the West's side losing
        out = simulate(p, 104, child_generator(4, 1), battlefield=trend, start_rung=layout.start)
        reached = out["max_rung"][:, -1] >= gw
        assert reached.mean() > 0.02, trend
        assert np.all(out["first_actor"][reached, gw] >= 0)  # by a move, never by chance


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 6), st.lists(st.tuples(st.integers(0, 1), st.integers(0, 5),
                                              st.booleans(), st.floats(-2.0, 4.0)),
                                    min_size=0, max_size=6),
       st.lists(st.sampled_from([0.0, 0.0, 0.3]), min_size=6, max_size=6),
       st.integers(1, 3))
def test_kernel_never_reaches_a_rung_validate_calls_unreachable(n_rungs, moves, hazards, jump):
    """Soundness of the reachability check: simulated draws stay within `reachable`."""
    sec = EscalationSection.model_validate({
        "ladder": [{"id": f"r{i}", "name": f"rung {i}", "level": i} for i in range(n_rungs)],
        "accident_hazard": hazards[:n_rungs], "max_jump": jump,
        "actors": [{"actor": "A", "side": "a"}, {"actor": "B", "side": "b"}],
        "moves": [{"id": f"m{j}", "actor": "AB"[a], "rung": f"r{min(r, n_rungs - 1)}",
                   "deescalate": de, "gain": g} for j, (a, r, de, g) in enumerate(moves)],
    })
    ok = reachable(sec)
    p, layout = ladder_inputs(sec, 200, child_generator(9, 0))
    out = simulate(p, 20, child_generator(9, 1), start_rung=layout.start)
    top = int(out["max_rung"].max())
    assert all(ok[: top + 1]), (ok, top)
    with_more = sec.model_copy(update={"moves": [*sec.moves, *sec.moves[:1]]})
    assert all(a <= b for a, b in zip(ok, reachable(with_more), strict=True))


def test_coupled_trend_reads_advance_and_forces_with_their_signs():
    """The stage's battlefield trend: an attacker on side b advancing, or side a's forces
    falling against side b's, both move the trend towards b (negative)."""
    from types import SimpleNamespace

    from polemos.engine.stages.escalation import EscalationStage

    stage = EscalationStage.__new__(EscalationStage)
    stage.ctx = SimpleNamespace(n=3)
    stage.theatres = [("advance.front", -1.0)]  # the attacker is on side b
    stage.scale_km = np.array([1.0, 1.0, 1.0])
    stage.force_weight = np.array([0.0, 1.0, 1.0])
    stage.side_actors = {"a": ["UKR"], "b": ["RUS"]}
    stage.ratio0, stage.last_depth = None, {}
    state = {"advance.front": np.zeros(3), "forces.UKR": np.full(3, 400.0),
             "forces.RUS": np.full(3, 800.0)}
    assert np.all(stage._battlefield(state) == 0.0)  # first week: the reference
    state = {"advance.front": np.array([0.0, 0.0, 2.0]),
             "forces.UKR": np.array([300.0, 300.0, 400.0]), "forces.RUS": np.full(3, 800.0)}
    trend = stage._battlefield(state)
    assert trend[0] == 0.0  # force weight 0, no advance
    assert trend[1] == pytest.approx(np.log(300 / 800) - np.log(400 / 800))  # < 0
    assert trend[2] == pytest.approx(-np.tanh(2.0))  # b advanced 2 km
