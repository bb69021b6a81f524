"""A FastAPI TestClient over a temporary store and the seed scenarios; one small run;
a live server and a headless Chromium for the web page's tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.browser import Browser, needs_chromium

from polemos.api import create_app

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
SEED = "venezuela-2025-10"  # the quickest seed scenario
DRAWS = 300


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(tmp_path_factory.mktemp("store"), SCENARIOS)
    with TestClient(app, raise_server_exceptions=False, base_url="http://localhost") as c:
        yield c


def wait_for(client: TestClient, ident: str, timeout: float = 60.0) -> dict:
    """Poll ``GET /api/runs/{ident}`` until the run is complete or failed."""
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(f"/api/runs/{ident}").json()
        if body["status"] in ("complete", "failed") or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


@pytest.fixture
def wait():
    """The polling helper, as a fixture (test modules do not import the conftest)."""
    return wait_for


@pytest.fixture(scope="module")
def wait_module():
    """The polling helper for module-scoped fixtures."""
    return wait_for


@pytest.fixture
def seed_yaml() -> str:
    return (SCENARIOS / f"{SEED}.yaml").read_text()


@pytest.fixture(scope="module")
def finished(client: TestClient) -> dict:
    """One completed run of a seed scenario (started over HTTP)."""
    r = client.post("/api/runs", json={"scenario": SEED, "draws": DRAWS, "seed": 7})
    assert r.status_code == 202, r.text
    body = wait_for(client, r.json()["run_id"])
    assert body["status"] == "complete", body
    return body


# -- a live server and a headless Chromium (tests/browser.py) ---------------------------

@pytest.fixture(scope="module")
def live_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a free localhost port (uvicorn in a thread)."""
    import uvicorn

    app = create_app(tmp_path_factory.mktemp("live-store"), SCENARIOS)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/"
    server.should_exit = True
    thread.join(5)
    sock.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """One headless Chromium for the module (skips, or fails in CI, without chromium)."""
    b = Browser(needs_chromium(), tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()
