"""The five seed scenarios: they load, carry the model-family sections they should, cite
known sources, use only state variables the scenario provides, and run end to end.

The run check is a smoke test (200 draws, one block): probabilities in [0, 1], absorbing
end states that partition the draws, a verdict for every claim. It asserts nothing about
which way a claim comes out.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from polemos.engine import RunOptions, run_scenario
from polemos.scenario.expr import parse
from polemos.scenario.load import load_scenario
from polemos.scenario.names import state_names
from polemos.store import Store

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"

SECTIONS = {
    "ukraine-2025-08-alaska.yaml": {"theatres", "economy", "escalation"},
    "ukraine-2025-10-budapest.yaml": {"theatres", "economy", "escalation"},
    "middle-east-2025-10.yaml": {"escalation"},
    "venezuela-2025-10.yaml": {"escalation"},
    "great-power-rivalry.yaml": {"structure"},
    "taiwan-strait-2027.yaml": {"economy", "escalation", "blockade"},
}
FAMILY_SECTIONS = ("theatres", "economy", "escalation", "structure", "blockade")
PUBLISHED_DEBATE = {"taiwan-strait-2027.yaml"}
"""Seed files whose claims come from the published debate (attributed), not the essays."""
ESSAYS = {"essay_2025_08", "essay_2025_10"}
CLAIMS_OF_BOTH_ESSAYS = 65
CONFIDENCE = {"certain", "very_likely", "likely", "about_even", "unlikely", "very_unlikely"}


@pytest.fixture(scope="module", params=sorted(SECTIONS))
def seed(request):
    return request.param, load_scenario(SCENARIOS / request.param)


def test_every_seed_file_is_covered():
    assert {p.name for p in SCENARIOS.glob("*.yaml")} == set(SECTIONS)


def test_sections_present(seed):
    name, sc = seed
    present = {s for s in FAMILY_SECTIONS if getattr(sc, s, None)}
    assert present == SECTIONS[name]


def test_claims_cite_known_sources(seed):
    name, sc = seed
    ids = {s.id for s in sc.meta.sources}
    assert len(ids) == len(sc.meta.sources), "duplicate source ids"
    assert sc.claims
    for claim in sc.claims:
        assert claim.source in ids, claim.id
        if name in PUBLISHED_DEBATE:
            assert claim.source not in ("analyst",), f"{claim.id}: attribute it to its author"
        else:
            assert claim.source in ESSAYS, f"{claim.id}: claims come from the seed essays"
        assert str(claim.confidence) in CONFIDENCE, claim.id
        assert claim.text.strip(), claim.id


def test_expressions_use_only_state_names(seed):
    _, sc = seed
    known = set(state_names(sc))
    exprs = [(o.id, o.when) for o in sc.outcomes] + [(c.id, c.expr) for c in sc.claims]
    for ident, text in exprs:
        unknown = parse(text).names() - known
        assert not unknown, f"{ident}: {sorted(unknown)}"


def test_all_claims_of_both_essays_kept():
    total = sum(len(load_scenario(SCENARIOS / name).claims) for name in SECTIONS
                if name not in PUBLISHED_DEBATE)
    assert total == CLAIMS_OF_BOTH_ESSAYS


def test_economy_bloc_renamed():
    sc = load_scenario(SCENARIOS / "ukraine-2025-10-budapest.yaml")
    assert "EU" not in sc.economy.actors and "EUR" in sc.economy.actors
    assert all(m.sender != "EU" for m in sc.economy.measures)


def test_two_hundred_draws_run(seed, tmp_path):
    name, sc = seed
    opts = RunOptions(draws=200, seed=1, progress=False, block_size=200)
    _, summary = run_scenario(sc, opts, Store(tmp_path / "store"))
    outcomes = summary["outcomes"]
    items = outcomes.items() if isinstance(outcomes, dict) else [(o["id"], o) for o in outcomes]
    absorbing = 0.0
    for ident, row in items:
        p = row["p"]
        assert 0.0 <= p <= 1.0 and not math.isnan(p), (name, ident, p)
        if row.get("absorbing"):
            assert row["p_end"] <= p + 1e-12  # a draw it ends is a draw that reached it
            absorbing += row["p_end"]
        if ident == "none":
            absorbing += p
    assert absorbing == pytest.approx(1.0, abs=1e-6), name
    verdicts = {c["id"]: c["verdict"] for c in summary["claims"]}
    assert set(verdicts) == {c.id for c in sc.claims}
    assert set(verdicts.values()) <= {"supported", "contradicted", "undecided", "fixed"}
