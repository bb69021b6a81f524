"""Scenario endpoints: health, the seed scenarios, validation of YAML text, the schema."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse
from starlette.concurrency import run_in_threadpool

import polemos
from polemos.api.errors import ApiError, problems_json, scenario_error
from polemos.api.runs import MAX_DRAWS
from polemos.api.scenarios import MAX_YAML_BYTES, check_size, decode_body, json_schema
from polemos.scenario.errors import ScenarioError

router = APIRouter(prefix="/api")
log = logging.getLogger("polemos.api")


@router.get("/health")
def health(request: Request) -> dict[str, Any]:
    s = request.app.state
    jobs = s.jobs.jobs()
    return {"status": "ok", "version": getattr(polemos, "__version__", "0"),
            "store": str(s.store.root), "scenarios": str(s.scenarios.root) if s.scenarios.root else None,
            "queue": {k: sum(j.status == k for j in jobs) for k in ("queued", "running")},
            "limits": {"draws": MAX_DRAWS, "yaml_bytes": MAX_YAML_BYTES}}


@router.get("/scenarios")
def scenarios(request: Request) -> dict[str, Any]:
    """The YAML files of the scenarios directory, each valid (with meta) or located problems."""
    return {"scenarios": request.app.state.scenarios.catalog()}


@router.get("/scenarios/{name}")
def scenario(name: str, request: Request) -> dict[str, Any]:
    """One validated scenario as JSON, its YAML text and the state-variable names."""
    from polemos.scenario.load import scenario_data
    from polemos.scenario.names import state_names

    d = request.app.state.scenarios
    path = d.path(name)
    try:
        sc = d.load(name)
    except ScenarioError as exc:
        raise scenario_error(exc) from None
    return {"name": path.stem, "file": path.name, "yaml": d.text(name),
            "scenario": scenario_data(sc), "names": state_names(sc)}


@router.get("/scenarios/{name}/yaml", response_class=PlainTextResponse)
def scenario_yaml(name: str, request: Request) -> PlainTextResponse:
    """The file's YAML text as it is (also for an invalid file, to fix it)."""
    return PlainTextResponse(request.app.state.scenarios.text(name),
                             media_type="application/yaml; charset=utf-8")


@router.post("/validate")
async def validate(request: Request) -> dict[str, Any]:
    """Validate YAML text (the raw body, or JSON ``{"yaml": "..."}``); never a 500."""
    raw = await request.body()
    check_size(len(raw))
    if request.headers.get("content-type", "").startswith("application/json"):
        text = _yaml_field(raw)
    else:
        text = decode_body(raw)
    check_size(len(text.encode()))
    return await run_in_threadpool(validate_text, text)  # keep the event loop free


def _yaml_field(raw: bytes) -> str:
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError):
        doc = None
    if not isinstance(doc, dict) or not isinstance(doc.get("yaml"), str):
        raise ApiError(422, 'a JSON body must be {"yaml": "<scenario text>"}',
                       "or send the YAML itself with Content-Type: text/plain")
    return doc["yaml"]


def validate_text(text: str) -> dict[str, Any]:
    """``{"valid", "problems", "form", "scenario"?, "names"?}``: ``names`` are the state
    variables outcome and claim expressions of *this* text may use (only when it is valid);
    ``form`` its actors and issues as form rows (whenever the YAML can be read, else None)."""
    from polemos.api.forms import form_of
    from polemos.scenario.load import validate_data
    from polemos.scenario.names import state_names
    from polemos.scenario.yamlio import parse_yaml

    form = None
    try:
        data, locs = parse_yaml(text, "<request>")
        form = form_of(data)
        sc = validate_data(data, locs, "<request>")
        names = state_names(sc)
    except ScenarioError as exc:
        return {"valid": False, "problems": problems_json(exc.problems), "form": form}
    except Exception as exc:  # noqa: BLE001 - bad input must never become a 500
        log.exception("validation failed unexpectedly")
        return {"valid": False, "form": None, "problems": [
            {"line": None, "column": None, "path": "", "hint": "simplify the text and retry",
             "message": f"could not read the scenario ({type(exc).__name__})"}]}
    return {"valid": True, "problems": [], "form": form,
            "scenario": {"id": sc.meta.id, "title": sc.meta.title, "as_of": str(sc.meta.as_of),
                         "horizon": str(sc.meta.horizon)},
            "names": names}


@router.get("/schema")
def schema() -> dict[str, Any]:
    """The JSON Schema of scenario files (core and every model family's section)."""
    return json_schema()
