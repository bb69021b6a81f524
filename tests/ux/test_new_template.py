"""``polemos new NAME``: a complete commented template, dated today, that validates and runs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.ux.conftest import cli

import polemos
from polemos.scenario.load import loads_scenario
from polemos.scenario.template import render


def test_new_writes_every_section_and_runs(tmp_path: Path) -> None:
    proc = cli("new", "taiwan-2027", "--json", cwd=tmp_path)
    path = Path(tmp_path / json.loads(proc.stdout)["path"])
    text = path.read_text()
    data = yaml.safe_load(text)
    for section in ("actors", "issues", "theatres", "economy", "escalation", "events",
                    "outcomes", "claims", "questions"):
        assert data.get(section), section
    assert text.count("#") >= 30  # commented
    assert data["meta"]["as_of"] == dt.date.today()
    out = cli("validate", str(path))
    assert "ok" in out.stdout and "warning" not in out.stderr
    result = polemos.run(path, draws=200, seed=1, store=tmp_path / "st")
    assert set(result.claims["verdict"]) <= {"supported", "contradicted", "undecided", "fixed"}
    assert result.outcomes["p"].notna().all()
    assert cli("new", "taiwan-2027", cwd=tmp_path, check=False).returncode == 1  # no overwrite


@settings(max_examples=25, deadline=None)
@given(name=st.text(min_size=1, max_size=30),
       day=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 1, 1)))
def test_template_validates_for_any_name_and_date(name: str, day: dt.date) -> None:
    sc = loads_scenario(render(name, day), "t.yaml")
    assert sc.meta.as_of == day and sc.meta.horizon > day
