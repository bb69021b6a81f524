"""The fuzz suite: mutated seed scenarios give a located error or a run, never a crash or hang."""

from __future__ import annotations

import random

import pytest

from .fuzz import HOSTILE, SEEDS, mutate, run_fuzz


def test_mutator_changes_the_data_and_is_seeded() -> None:
    from polemos.scenario.yamlio import parse_yaml

    data = parse_yaml(SEEDS[0].read_text(), "x")[0]
    a, b = parse_yaml(SEEDS[0].read_text(), "x")[0], parse_yaml(SEEDS[0].read_text(), "x")[0]
    assert mutate(a, random.Random(3)) == mutate(b, random.Random(3))
    assert a == b and a != data
    assert len(SEEDS) >= 5 and len(HOSTILE) > 30


@pytest.mark.parametrize("seed", [1, 2])
def test_mutated_seed_scenarios_never_crash_or_hang(seed: int) -> None:
    fig = run_fuzz(cases=30, runs=30, seed=seed, draws=10, hang_s=300)
    assert fig.cases == 30 and fig.rejected + fig.validated == 30 - len(fig.crashes) - len(fig.hangs)
    assert fig.crashes == [] and fig.hangs == []
    assert fig.runs == fig.validated  # every mutant that validates was run


def test_edge_values_that_validate_run() -> None:
    fig = run_fuzz(cases=6, runs=6, seed=5, draws=10, hang_s=300, gentle=True)
    assert fig.crashes == [] and fig.hangs == []
    assert fig.validated >= 1 and fig.runs == fig.validated
