"""JSON errors: one shape for every failure, never a traceback.

Every error response is ``{"error": message, "hint": what to try, "problems": [...]}``
with the right status code; ``problems`` lists located scenario problems
(``line``, ``column``, ``path``, ``message``, ``hint``) when there are any.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

import duckdb
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from polemos.scenario.errors import Problem, ScenarioError, did_you_mean
from polemos.store.errors import BlockDamaged, StoreError

log = logging.getLogger("polemos.api")


class ApiError(Exception):
    """An error with a status code, a message, a hint and optional located problems."""

    def __init__(self, status: int, message: str, hint: str = "",
                 problems: Sequence[dict[str, Any]] = ()):
        super().__init__(message)
        self.status = status
        self.message = message
        self.hint = hint
        self.problems = list(problems)


def problem_json(p: Problem) -> dict[str, Any]:
    return {"line": p.line, "column": p.column, "path": p.path, "message": p.message,
            "hint": p.hint}


def problems_json(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    return [problem_json(p) for p in problems]


def not_found(kind: str, name: str, known: Iterable[str], hint: str = "") -> ApiError:
    """404 for an unknown ``kind`` called ``name``, with a did-you-mean when one is close."""
    known = list(known)
    guess = did_you_mean(name, known)
    if not hint:
        hint = guess or (f"known: {', '.join(known[-8:])}" if known else f"no {kind}s yet")
    elif guess:
        hint = f"{guess} {hint}"
    return ApiError(404, f"no {kind} {name!r}", hint)


def scenario_error(exc: ScenarioError) -> ApiError:
    n = len(exc.problems)
    return ApiError(422, f"the scenario has {n} problem{'s' if n != 1 else ''}",
                    "fix each located problem and submit again", problems_json(exc.problems))


def _response(err: ApiError) -> JSONResponse:
    body: dict[str, Any] = {"error": err.message, "hint": err.hint}
    if err.problems:
        body["problems"] = err.problems
    # an error closes the connection: a client that sent a bad or oversized request may
    # have left unread bytes behind, and after a server error nothing is trusted
    return JSONResponse(body, status_code=err.status, headers={"Connection": "close"})


def _request_problems(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for e in exc.errors():
        loc = [str(x) for x in e.get("loc", ()) if x not in ("body", "query", "path")]
        out.append({"line": None, "column": None, "path": ".".join(loc),
                    "message": str(e.get("msg", "invalid value")), "hint": ""})
    return out


def install(app: FastAPI) -> None:
    """Register the handlers that turn every failure into the JSON error shape."""

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> JSONResponse:
        return _response(exc)

    @app.exception_handler(ScenarioError)
    async def _scenario(request: Request, exc: ScenarioError) -> JSONResponse:
        return _response(scenario_error(exc))

    @app.exception_handler(RequestValidationError)
    async def _request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _response(ApiError(422, "invalid request", "see problems for each field",
                                  _request_problems(exc)))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        hint = "see GET /api/health and docs/api.md for the endpoints" if exc.status_code == 404 else ""
        return _response(ApiError(exc.status_code, str(exc.detail), hint))

    @app.exception_handler(duckdb.IOException)
    async def _busy(request: Request, exc: duckdb.IOException) -> JSONResponse:
        log.warning("store busy on %s: %s", request.url.path, exc)
        return _response(ApiError(503, "the run store is busy (another process holds it)",
                                  "retry in a moment; a `polemos run` on the same store "
                                  "locks it while it writes"))

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> JSONResponse:
        log.warning("store fault on %s: %s", request.url.path, exc)
        status = 409 if isinstance(exc, BlockDamaged) else 507
        return _response(ApiError(status, str(exc), "see the message; polemos runs verify "
                                  "RUN names damaged blocks"))

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return _response(ApiError(500, f"internal error ({type(exc).__name__})",
                                  "the server log has the details; please report it"))
