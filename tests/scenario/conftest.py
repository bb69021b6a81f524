from __future__ import annotations

from pathlib import Path

import pytest

VALID = Path(__file__).parent / "fixtures" / "valid.yaml"


@pytest.fixture
def valid_text() -> str:
    """A small valid scenario with fixed dates (the bad-input cases edit its text)."""
    return VALID.read_text()
