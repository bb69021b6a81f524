"""The FastAPI application: JSON API under ``/api``, the web page at ``/``.

    from polemos.api import create_app
    app = create_app(".polemos", "scenarios")      # uvicorn polemos.api:app-style use
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from polemos.api import errors
from polemos.api.forms import router as form_router
from polemos.api.guard import TOKEN_COOKIE, Guard, allowed_hosts
from polemos.api.jobs import CLIENT_DRAWS, CLIENT_RUNS, JobQueue, SharedStore
from polemos.api.routes import router as scenario_router
from polemos.api.runs import router as run_router
from polemos.api.scenarios import MAX_YAML_BYTES, ScenarioDir

WEB = Path(__file__).resolve().parent.parent / "web"
MAX_BODY = MAX_YAML_BYTES + 64 * 1024
"""Largest request body (the YAML limit plus room for a JSON envelope)."""


def create_app(store_path: str | Path | None = None,
               scenarios_dir: str | Path | None = "scenarios",
               *, workers: int = 1, allow_hosts: Iterable[str] = (), token: str | None = None,
               client_runs: int = CLIENT_RUNS, client_draws: int = CLIENT_DRAWS) -> FastAPI:
    """The app over the store at ``store_path`` (default ``.polemos`` or ``$POLEMOS_STORE``)
    and the seed scenarios in ``scenarios_dir`` (None: none listed); ``workers`` runs
    simulate at once.

    Only requests whose Host is a local name or in ``allow_hosts`` are answered; with a
    ``token`` every ``/api`` request must carry it (see :mod:`polemos.api.guard`). One
    client (address) may have at most ``client_runs`` runs queued or running, of at most
    ``client_draws`` draws in all."""
    store = SharedStore(store_path)
    jobs = JobQueue(store, workers=workers, client_runs=client_runs, client_draws=client_draws)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        jobs.shutdown()

    # No /docs or /redoc: FastAPI's viewers load scripts from a CDN; /openapi.json stays.
    app = FastAPI(title="polemos", version="0.1.0", lifespan=lifespan, docs_url=None,
                  redoc_url=None,
                  description="Coupled Monte Carlo simulation of geopolitical conflict. "
                              "See docs/api.md.")
    app.state.store = store
    app.state.jobs = jobs
    app.state.scenarios = ScenarioDir(scenarios_dir)
    errors.install(app)
    app.include_router(scenario_router)
    app.include_router(run_router)
    app.include_router(form_router)
    app.mount("/static", StaticFiles(directory=WEB), name="static")

    @app.get("/", include_in_schema=False)
    def index(token: str | None = None) -> FileResponse:
        page = FileResponse(WEB / "index.html", media_type="text/html")
        if token is not None:  # checked by the API on each request, never echoed
            page.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return page

    app.add_middleware(BodyLimit, limit=MAX_BODY)
    app.add_middleware(Guard, hosts=allowed_hosts(allow_hosts), token=token)
    return app


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes (413), declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            await _too_large(self.limit)(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                from starlette.exceptions import HTTPException

                raise HTTPException(413, f"request body over {self.limit:,} bytes")
            return message

        await self.app(scope, limited, send)


def _too_large(limit: int) -> Any:
    return JSONResponse({"error": f"request body over {limit:,} bytes",
                         "hint": f"the YAML text may be at most {MAX_YAML_BYTES:,} bytes"},
                        status_code=413, headers={"Connection": "close"})
