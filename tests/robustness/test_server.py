"""The server: Host allow-list, token, per-client limits, Connection: close, OpenAPI fuzz."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from polemos.api import create_app
from polemos.cli.app import main

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SEED = "venezuela-2025-10"
LOCAL = "http://localhost"


def _idle(tmp: Path, **kw) -> TestClient:
    app = create_app(tmp / "store", SCENARIOS, **kw)
    app.state.jobs._work = lambda job: None  # accepted runs stay queued
    return TestClient(app, raise_server_exceptions=False, base_url=LOCAL)


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:9", "[::1]:8000"])
def test_local_names_are_served(tmp_path: Path, host: str) -> None:
    with _idle(tmp_path) as c:
        assert c.get("/api/health", headers={"host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example",
                                  "localhost.evil.example", ""])
def test_other_hosts_are_refused(tmp_path: Path, host: str) -> None:
    with _idle(tmp_path) as c:
        for path in ("/api/health", "/", "/api/runs"):
            r = c.get(path, headers={"host": host})
            assert r.status_code == 400, (host, path)
            assert "not served here" in r.json()["error"]
            assert r.headers["connection"] == "close"


def test_allow_list_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with _idle(tmp_path, allow_hosts=["polemos.lan"]) as c:
        assert c.get("/api/health", headers={"host": "polemos.lan:80"}).status_code == 200
        assert c.get("/api/health", headers={"host": "other.lan"}).status_code == 400
    monkeypatch.setenv("POLEMOS_ALLOWED_HOSTS", "a.lan, b.lan")
    with _idle(tmp_path) as c:
        assert c.get("/api/health", headers={"host": "b.lan"}).status_code == 200


def test_token_is_required_when_set(tmp_path: Path) -> None:
    with _idle(tmp_path, token="s3cret") as c:
        assert c.get("/api/health").status_code == 401
        assert c.get("/api/health", headers={"authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/health", headers={"authorization": "Bearer s3cret"}).status_code == 200
        assert c.get("/").status_code == 200  # the page itself is public
        c.get("/?token=s3cret")  # sets the cookie the page's requests carry
        assert c.get("/api/health").status_code == 200


def test_per_client_limits(tmp_path: Path) -> None:
    with _idle(tmp_path, client_runs=2, client_draws=1_000) as c:
        codes = [c.post("/api/runs", json={"scenario": SEED, "draws": d}).status_code
                 for d in (600, 500, 300, 100)]
        assert codes == [202, 429, 202, 429]
        r = c.post("/api/runs", json={"scenario": SEED, "draws": 10})
        assert r.status_code == 429 and "at most 2" in r.json()["error"]


def test_errors_close_the_connection(tmp_path: Path) -> None:
    with _idle(tmp_path) as c:
        for r in (c.get("/api/runs/nope"), c.post("/api/runs", json={"draws": -1}),
                  c.post("/api/runs", json={"yaml": "[" * 100_000})):
            assert 400 <= r.status_code < 500
            assert r.headers["connection"] == "close"


@pytest.mark.parametrize("text", ["[" * 100_000, "a:\n" + "  - [\n" * 3_000, "x: !!python/int 1"])
def test_hostile_yaml_is_422_and_the_server_lives(tmp_path: Path, text: str) -> None:
    with _idle(tmp_path) as c:
        r = c.post("/api/validate", content=text.encode(), headers={"content-type": "text/plain"})
        assert r.status_code == 200 and r.json()["valid"] is False  # validation answers
        assert r.json()["problems"][0]["line"] is not None
        assert c.post("/api/runs", json={"yaml": text}).status_code == 422
        assert c.get("/api/health").status_code == 200


@pytest.mark.parametrize("override", [{"meta.horizon": "9999-12-31"}, {"meta.as_of": "0001-01-01"},
                                      {"events[0].probability": ".nan"},
                                      {"escalation.rationality": -2}])
def test_nonsense_values_are_422_before_queueing(tmp_path: Path, override: dict) -> None:
    with _idle(tmp_path) as c:
        r = c.post("/api/runs", json={"scenario": SEED, "draws": 10, "overrides": override})
        assert r.status_code == 422, r.text
        assert c.get("/api/runs").json()["total"] == 0


def test_serve_beyond_loopback_needs_a_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uvicorn

    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    monkeypatch.delenv("POLEMOS_TOKEN", raising=False)
    base = ["serve", "--store", str(tmp_path / "st"), "--scenarios", str(SCENARIOS)]
    assert main([*base, "--host", "0.0.0.0"]) == 2 and not seen
    assert main([*base, "--host", "192.0.2.7", "--token", "t0k"]) == 0
    with TestClient(seen["app"], base_url="http://192.0.2.7") as c:
        assert c.get("/api/health", headers={"authorization": "Bearer t0k"}).status_code == 200


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    app = create_app(tmp_path_factory.mktemp("st"), SCENARIOS, allow_hosts=["testserver"])
    app.state.jobs._work = lambda job: None  # accepted runs are never simulated
    app.state.jobs.max_waiting = 10**9
    app.state.jobs.client_runs, app.state.jobs.client_draws = 10**9, 10**15
    yield app


FUZZ_EXAMPLES = 15
"""Generated requests per operation: bounded, derandomized, a few seconds."""


def _fuzz(operation, tried: list[str]):
    @given(case=operation.as_strategy())
    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case) -> None:
        response = case.call()
        tried.append(operation.label)
        assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])

    return check


def test_openapi_fuzz_has_no_server_errors(fuzz_app) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    tried: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        _fuzz(operation, tried)()
    assert len(operations) >= 12  # every endpoint of docs/api.md, /api/compare included
    assert len(set(tried)) == len(operations) and len(tried) >= len(operations) * 5
