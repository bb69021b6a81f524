"""The web page: served at /, its assets exist, nothing loads from outside the server."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from fastapi.testclient import TestClient

ASSETS = ("/", "/static/app.js", "/static/form.js", "/static/style.css")


def test_index_is_served(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="/static/app.js">' in r.text


def test_every_local_reference_resolves(client: TestClient) -> None:
    html = client.get("/").text
    refs = set(re.findall(r'(?:src|href)="(/[^"]*)"', html))
    assert {"/static/app.js", "/static/style.css"} <= refs
    for ref in refs:
        assert client.get(ref).status_code == 200, ref


def test_nothing_points_outside_the_server(client: TestClient) -> None:
    for path in ASSETS:
        text = client.get(path).text
        assert "http://" not in text and "https://" not in text, path
        assert not re.search(r'(?:src|href)="//', text), path
        assert "@import" not in text, path


def test_fastapi_cdn_pages_are_off(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/openapi.json").json()["info"]["title"] == "polemos"


def test_page_renders_in_headless_chromium(live_url: str, chromium: str, tmp_path: Path) -> None:
    flags = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
             "--virtual-time-budget=5000", "--window-size=1280,900"]
    dom = subprocess.run([*flags, "--dump-dom", live_url], capture_output=True, text=True,
                         timeout=60).stdout
    assert 'value="venezuela-2025-10"' in dom  # the scenario list came from /api/scenarios
    assert "id: venezuela_2025_10" in dom or "great_power_rivalry" in dom  # a seed loaded
    shot = tmp_path / "page.png"
    subprocess.run([*flags, f"--screenshot={shot}", live_url], capture_output=True, timeout=60)
    assert shot.exists() and shot.stat().st_size > 10_000


def test_editor_has_upload_and_download(client: TestClient) -> None:
    html = client.get("/").text
    assert 'id="upload"' in html and 'type="file"' in html and 'id="download"' in html
    js = client.get("/static/app.js").text
    assert '$("upload")' in js and '$("download")' in js and "seed-meta" in js

