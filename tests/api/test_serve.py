"""``polemos serve``: options reach uvicorn; a missing scenarios directory is refused; the
seed scenarios are found from any folder, and a server without any says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from polemos.cli.app import main

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def test_serve_starts_uvicorn_with_the_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uvicorn

    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    code = main(["serve", "--port", "8123", "--store", str(tmp_path / "st"),
                 "--scenarios", str(SCENARIOS)])
    assert code == 0
    assert isinstance(seen["app"], FastAPI)
    assert (seen["host"], seen["port"]) == ("127.0.0.1", 8123)
    assert seen["app"].state.store.root == tmp_path / "st"


def test_serve_refuses_a_missing_scenarios_directory(tmp_path: Path) -> None:
    assert main(["serve", "--scenarios", str(tmp_path / "nowhere")]) == 2


def _serve(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> dict:
    import uvicorn

    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    assert main(["serve", *args]) == 0
    return seen


def test_serve_from_another_folder_lists_the_seed_scenarios(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no ./scenarios here
    app = _serve(monkeypatch, ["--store", "st"])["app"]
    with TestClient(app, base_url="http://localhost") as c:
        names = {s["name"] for s in c.get("/api/scenarios").json()["scenarios"]}
        assert names == {p.stem for p in SCENARIOS.glob("*.yaml")}
        assert c.get(f"/api/scenarios/{min(names)}").status_code == 200


def test_a_relative_scenarios_option_survives_a_change_of_folder(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "only.yaml").write_text((SCENARIOS / "venezuela-2025-10.yaml").read_text())
    monkeypatch.chdir(tmp_path)
    app = _serve(monkeypatch, ["--store", "st", "--scenarios", "mine"])["app"]
    monkeypatch.chdir("/")
    with TestClient(app, base_url="http://localhost") as c:
        assert [s["name"] for s in c.get("/api/scenarios").json()["scenarios"]] == ["only"]


def test_serve_without_any_scenarios_says_so_and_still_serves(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    import polemos

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(polemos, "__file__", str(tmp_path / "site" / "polemos" / "__init__.py"))
    app = _serve(monkeypatch, ["--store", "st"])["app"]
    assert "no seed scenarios found" in capsys.readouterr().err
    with TestClient(app, base_url="http://localhost") as c:
        assert c.get("/api/scenarios").json() == {"scenarios": []}
        assert c.get("/api/health").json()["scenarios"] is None
        assert c.get("/").status_code == 200
