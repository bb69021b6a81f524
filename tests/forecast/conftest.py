from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def mini_q_path() -> Path:
    return FIXTURES / "mini_questions.yaml"


@pytest.fixture(scope="session")
def frozen(tmp_path_factory, mini_q_path):
    """One freeze of the mini scenario (600 draws) in a fresh forecast directory."""
    from polemos.cli.app import main

    root = tmp_path_factory.mktemp("fc")
    code = main(["forecast", "freeze", str(mini_q_path), "-n", "600", "--seed", "2",
                 "--dir", str(root / "forecasts"), "--store", str(root / "st"), "--json"])
    assert code == 0
    return root


def read_entries(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
