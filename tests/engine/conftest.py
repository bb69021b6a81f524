from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def mini_path() -> Path:
    return FIXTURES / "mini.yaml"


@pytest.fixture(scope="session")
def mini(mini_path):
    from polemos.scenario import load_scenario

    return load_scenario(mini_path)
