"""``polemos serve``: options reach uvicorn; a missing scenarios directory is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI

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
