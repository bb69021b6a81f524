from __future__ import annotations

import pytest

from polemos.scenario.template import render


@pytest.fixture
def valid_text() -> str:
    return render("fixture")
