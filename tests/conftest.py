"""Shared fixtures. Tests that need ../shared/data fail loudly when it is missing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

from polemos.datasets.paths import DataNotFound, data_dir

# CI runs the same examples every time (a failure found while developing is kept in the
# local example database and replayed); `HYPOTHESIS_PROFILE=explore` searches afresh.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("explore", deadline=None)
settings.load_profile(__import__("os").environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The reference data directory; a missing directory is a test failure, not a skip."""
    try:
        return data_dir()
    except DataNotFound as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def chromium() -> str:
    """Headless Chromium's binary: skips when missing, fails instead in CI (``CI`` set)."""
    from tests.browser import needs_chromium

    return needs_chromium()


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20251024)
