"""Property tests: no request body, however odd, makes the API answer 500."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polemos.api import create_app

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

yaml_ish = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(["meta:", "  id: x", "  title: t", "  as_of: 2025-01-01",
                              "  horizon: 2026-01-01", "actors:", "  - id: A", "    name: A",
                              "- [", "{", "&a x", "*a", "!!binary", "? ", "  - ", "\t", "'", "\"",
                              "outcomes:", "  - id: o", "    when: week > 3", "<<: *a"]),
             max_size=15).map("\n".join),
)
json_ish = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                        lambda kids: st.lists(kids, max_size=4)
                        | st.dictionaries(st.text(max_size=10), kids, max_size=4), max_leaves=10)
run_fields = st.fixed_dictionaries({}, optional={
    "scenario": st.sampled_from(["venezuela-2025-10", "nope", "", "../x", "venezuela-2025-10.yaml"]) | json_ish,
    "yaml": yaml_ish | json_ish,
    "draws": st.integers(-5, 300_000) | json_ish,
    "seed": st.integers(-(2**64), 2**64) | json_ish,
    "design": st.sampled_from(["plain", "lhs", "sobol", "grid"]) | json_ish,
    "overrides": st.dictionaries(st.sampled_from(["actors.VEN.influence", "meta.horizon", "x", "",
                                                  "actors[99].id"]),
                                 st.text(max_size=10) | st.integers() | st.booleans()) | json_ish,
})


@pytest.fixture(scope="module")
def idle() -> Iterator[TestClient]:
    """An app whose worker never runs anything (accepted runs just wait)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(tmp, SCENARIOS)
        app.state.jobs._work = lambda job: None
        app.state.jobs.max_waiting = 10**9
        app.state.jobs.client_runs, app.state.jobs.client_draws = 10**9, 10**15
        with TestClient(app, raise_server_exceptions=False, base_url="http://localhost") as c:
            yield c


@SETTINGS
@given(text=yaml_ish)
def test_validate_answers_every_text(idle: TestClient, text: str) -> None:
    r = idle.post("/api/validate", content=text.encode("utf-8", "surrogatepass"),
                  headers={"content-type": "text/plain"})
    assert r.status_code in (200, 422), r.text
    body = r.json()
    assert body.get("valid") is True or body.get("problems") or body.get("error")


@SETTINGS
@given(body=run_fields)
def test_runs_answer_every_body(idle: TestClient, body: dict) -> None:
    r = idle.post("/api/runs", content=json.dumps(body),  # NaN and Infinity included
                  headers={"content-type": "application/json"})
    assert r.status_code in (202, 404, 413, 422), r.text
    assert "Traceback" not in r.text


path_step = st.sampled_from(["actors", "issues", "positions", "name", "influence", "USA", "VEN",
                             "salience", "position", "meta", "id", ""]) | st.integers(-2, 12)
real_paths = st.sampled_from([["actors", 0, "influence"], ["actors", 3, "name"], ["actors", 9],
                              ["issues", 0, "positions", "USA", "salience"],
                              ["issues", 2, "positions", "COL"], ["issues", 1, "positions", "VEN"]])
fragment = st.sampled_from(["5", "{dist: uniform, low: 1, high: 2}", "[1, 2]", "x # c", "&a 1",
                            "*a", "'q", "{position: 1, salience: 2}", "", "!!binary x", "null"])
hostile_edit = st.fixed_dictionaries({"path": real_paths | st.lists(path_step, max_size=7) | json_ish},
                                     optional={"value": json_ish, "text": yaml_ish | json_ish,
                                               "delete": st.booleans() | json_ish})
one_of_three = st.one_of(st.fixed_dictionaries({"text": fragment | st.text(max_size=30)}),
                         st.fixed_dictionaries({"value": st.text(max_size=30) | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.booleans()}),
                         st.just({"delete": True}))
sound_edit = st.tuples(real_paths, one_of_three).map(lambda t: {"path": t[0], **t[1]})
edit_fields = sound_edit | hostile_edit


@SETTINGS
@given(text=st.sampled_from([(SCENARIOS / "venezuela-2025-10.yaml").read_text()]) | yaml_ish,
       edits=st.lists(sound_edit, min_size=1, max_size=3) | st.lists(edit_fields, max_size=4)
       | json_ish)
def test_edit_answers_every_body(idle: TestClient, text: str, edits) -> None:
    r = idle.post("/api/edit", content=json.dumps({"yaml": text, "edits": edits}),
                  headers={"content-type": "application/json"})
    assert r.status_code in (200, 413, 422), r.text
    if r.status_code == 200:  # the text returned reads back, and says what it is
        body = r.json()
        assert isinstance(body["yaml"], str) and isinstance(body["kept_comments"], bool)
        assert body["valid"] is True or body["problems"]
