"""Runs over HTTP: bad requests, a small end-to-end run, the catalog, report and export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from polemos.api import create_app

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SEED = "venezuela-2025-10"
DRAWS = 300  # as in conftest.finished

VERDICTS = {"supported", "contradicted", "undecided", "fixed", "n/a", "error"}


def test_draws_over_the_cap_is_422(client: TestClient) -> None:
    r = client.post("/api/runs", json={"scenario": SEED, "draws": 200_001})
    assert r.status_code == 422
    assert r.json()["problems"][0]["path"] == "draws"


@pytest.mark.parametrize("body", [{}, {"scenario": SEED, "yaml": "meta: {}"},
                                  {"scenario": SEED, "seed": -1},
                                  {"scenario": SEED, "design": "grid"},
                                  {"scenario": SEED, "draws": "many"},
                                  {"scenario": SEED, "unknown": 1}])
def test_bad_run_requests_are_422(client: TestClient, body: dict) -> None:
    r = client.post("/api/runs", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["error"] and r.json()["problems"]


def test_run_of_invalid_yaml_is_422_with_located_problems(client: TestClient) -> None:
    r = client.post("/api/runs", json={"yaml": "meta:\n  id: x\n", "draws": 10})
    assert r.status_code == 422
    problems = r.json()["problems"]
    assert problems and all("line" in p and "hint" in p for p in problems)


def test_run_with_a_bad_override_is_422(client: TestClient) -> None:
    r = client.post("/api/runs", json={"scenario": SEED, "draws": 10,
                                       "overrides": {"actors.NOPE.influence": 50}})
    assert r.status_code == 422
    assert r.json()["problems"][0]["path"] == "actors.NOPE.influence"


def test_run_of_unknown_scenario_is_404(client: TestClient) -> None:
    r = client.post("/api/runs", json={"scenario": "atlantis", "draws": 10})
    assert r.status_code == 404 and "atlantis" in r.json()["error"]


def test_unknown_run_is_404(client: TestClient) -> None:
    for path in ("/api/runs/no-such-run", "/api/runs/no-such-run/report",
                 "/api/runs/no-such-run/export?format=csv"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "no run" in r.json()["error"]


def test_end_to_end_outcomes_and_claims(finished: dict) -> None:
    assert finished["draws"] == DRAWS and finished["progress"] == 1.0
    assert finished["run_id"].startswith("venezuela_2025_10-")
    assert finished["job_id"].startswith("job-")
    rows = finished["outcomes"]
    assert rows
    for o in rows + [finished["none"]]:
        assert 0.0 <= o["low"] <= o["p"] + 1e-12 and o["p"] <= o["high"] + 1e-12 <= 1.0 + 1e-12
    absorbing = sum(o["p"] for o in rows if o["absorbing"]) + finished["none"]["p"]
    assert absorbing == pytest.approx(1.0)
    assert finished["claims"]
    assert {c["verdict"] for c in finished["claims"]} <= VERDICTS


def test_a_run_is_found_by_job_id_and_run_id(client: TestClient, finished: dict) -> None:
    by_job = client.get(f"/api/runs/{finished['job_id']}").json()
    by_run = client.get(f"/api/runs/{finished['run_id']}").json()
    assert by_job["outcomes"] == by_run["outcomes"]
    catalog = client.get("/api/runs").json()
    assert finished["run_id"] in [r["run_id"] for r in catalog["runs"]]
    assert len(client.get("/api/runs?limit=1").json()["runs"]) == 1
    assert catalog["total"] >= 1


def test_run_from_yaml_text(client: TestClient, seed_yaml: str, wait) -> None:
    r = client.post("/api/runs", json={"yaml": seed_yaml, "draws": 50, "seed": 1, "design": "lhs",
                                       "overrides": {"actors.VEN.influence": 55}})
    assert r.status_code == 202, r.text
    body = wait(client, r.json()["run_id"])
    assert body["status"] == "complete" and body["draws"] == 50 and body["design"] == "lhs"
    assert body["overrides"] == {"actors.VEN.influence": "55"}


def test_report_is_self_contained_html(client: TestClient, finished: dict) -> None:
    r = client.get(finished["links"]["report"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<h1>" in r.text and "Claims ledger" in r.text
    assert "<script" not in r.text


def test_export_csv(client: TestClient, finished: dict) -> None:
    r = client.get(f"/api/runs/{finished['run_id']}/export", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == DRAWS and "draw" in rows[0]


def test_export_parquet(client: TestClient, finished: dict) -> None:
    r = client.get(f"/api/runs/{finished['run_id']}/export?format=parquet")
    assert r.status_code == 200
    table = pq.read_table(io.BytesIO(r.content))
    assert table.num_rows == DRAWS


def test_export_format_is_checked(client: TestClient, finished: dict) -> None:
    r = client.get(f"/api/runs/{finished['run_id']}/export?format=xlsx")
    assert r.status_code == 422 and r.json()["problems"][0]["path"] == "format"


@pytest.fixture
def idle_client(tmp_path: Path) -> Iterator[TestClient]:
    """An app whose worker never starts a run (jobs stay queued)."""
    app = create_app(tmp_path / "store", SCENARIOS)
    app.state.jobs._work = lambda job: None
    with TestClient(app, raise_server_exceptions=False, base_url="http://localhost") as c:
        yield c


def test_a_queued_run_has_no_results_yet(idle_client: TestClient) -> None:
    rid = idle_client.post("/api/runs", json={"scenario": SEED, "draws": 10}).json()["run_id"]
    body = idle_client.get(f"/api/runs/{rid}").json()
    assert body["status"] == "queued" and body["outcomes"] is None and body["progress"] == 0
    assert rid in [r["job_id"] for r in idle_client.get("/api/runs").json()["runs"]]
    for path in (f"/api/runs/{rid}/report", f"/api/runs/{rid}/export?format=csv"):
        r = idle_client.get(path)
        assert r.status_code == 409 and "queued" in r.json()["error"]


def test_too_many_waiting_runs_is_429(idle_client: TestClient) -> None:
    idle_client.app.state.jobs.max_waiting = 2
    codes = [idle_client.post("/api/runs", json={"scenario": SEED, "draws": 10}).status_code
             for _ in range(3)]
    assert codes == [202, 202, 429]


def test_runs_need_a_json_content_type(client: TestClient) -> None:
    """A cross-site form or text/plain POST (no CORS preflight) cannot start a run."""
    r = client.post("/api/runs", content='{"scenario": "venezuela-2025-10", "draws": 10}',
                    headers={"content-type": "text/plain"})
    assert r.status_code == 422
