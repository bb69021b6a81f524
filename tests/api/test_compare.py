"""``GET /api/compare``: two stored runs side by side (outcomes with paired intervals,
claim verdicts), and clear 4xx answers for runs that cannot be compared."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from polemos.api import create_app

SEED = "venezuela-2025-10"


@pytest.fixture(scope="module")
def variant(client: TestClient, finished: dict, wait_module) -> dict:
    """The finished run's scenario with United States influence lowered: same seed, draws."""
    r = client.post("/api/runs", json={"scenario": SEED, "draws": finished["draws"], "seed": 7,
                                       "overrides": {"actors.USA.influence": 20}})
    assert r.status_code == 202, r.text
    body = wait_module(client, r.json()["run_id"])
    assert body["status"] == "complete", body
    return body


def test_compare_pairs_two_runs(client: TestClient, finished: dict, variant: dict) -> None:
    r = client.get("/api/compare", params={"a": finished["run_id"], "b": variant["run_id"]})
    assert r.status_code == 200, r.text
    cmp = r.json()
    assert cmp["paired"] is True and cmp["draws"] == finished["draws"]
    assert cmp["a"]["run_id"] == finished["run_id"] and cmp["b"]["run_id"] == variant["run_id"]
    assert cmp["b"]["overrides"] == {"actors.USA.influence": "20"} and cmp["a"]["overrides"] == {}
    assert cmp["a"]["title"] == finished["title"]
    by_id = {o["id"]: o for o in finished["outcomes"]}
    other = {o["id"]: o for o in variant["outcomes"]}
    assert {o["id"] for o in cmp["outcomes"]} == set(by_id)
    for o in cmp["outcomes"]:  # the same probabilities the run pages show
        assert o["a"] == pytest.approx(by_id[o["id"]]["p"]) and o["b"] == pytest.approx(other[o["id"]]["p"])
        assert o["diff"] == pytest.approx(o["b"] - o["a"])
        assert o["low"] <= o["diff"] <= o["high"]
    assert any(o["diff"] != 0 for o in cmp["outcomes"])  # the override changed something
    verdicts = {c["id"]: c for c in finished["claims"]}
    for c in cmp["claims"]:
        assert c["verdict_a"] == verdicts[c["id"]]["verdict"]
        assert c["credence_a"] == pytest.approx(verdicts[c["id"]]["credence"])
        assert c["changed"] == ((c["verdict_a"], c["fixed_as_a"]) != (c["verdict_b"], c["fixed_as_b"]))


def test_a_run_against_itself_differs_nowhere(client: TestClient, finished: dict) -> None:
    cmp = client.get("/api/compare", params={"a": finished["run_id"], "b": finished["run_id"]}).json()
    assert all(o["diff"] == 0 and o["changed_draws"] == 0 for o in cmp["outcomes"])
    assert not any(c["changed"] for c in cmp["claims"])


@pytest.mark.parametrize("params, status", [({}, 422), ({"a": "x"}, 422), ({"a": "", "b": ""}, 422),
                                            ({"a": "no-such-run", "b": "nor-this"}, 404),
                                            ({"a": "x" * 201, "b": "y"}, 422)])
def test_bad_compare_requests_are_4xx(client: TestClient, finished: dict, params: dict,
                                      status: int) -> None:
    r = client.get("/api/compare", params=params)
    assert r.status_code == status, r.text
    assert r.json()["error"]


def test_an_unfinished_run_cannot_be_compared(tmp_path: Path) -> None:
    app = create_app(tmp_path / "store", Path(__file__).resolve().parents[2] / "scenarios")
    app.state.jobs._work = lambda job: None  # accepted runs stay queued
    with TestClient(app, raise_server_exceptions=False, base_url="http://localhost") as c:
        job = c.post("/api/runs", json={"scenario": SEED, "draws": 10}).json()["run_id"]
        r = c.get("/api/compare", params={"a": job, "b": job})
    assert r.status_code == 409 and "not complete" in r.json()["error"]
