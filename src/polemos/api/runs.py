"""Run endpoints: start a run, the catalog, one run's status and results, report, export."""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.background import BackgroundTask

from polemos.api.errors import ApiError, not_found
from polemos.api.jobs import Job, JobQueue, QueueFull, SharedStore
from polemos.api.scenarios import MAX_YAML_BYTES, ScenarioDir, check_size

MAX_DRAWS = 200_000
MAX_SEED = 2**63 - 1
OUTCOME_KEYS = ("id", "label", "absorbing", "p", "p_end", "low", "high", "count", "spread")
CLAIM_KEYS = ("id", "text", "source", "expr", "confidence", "level", "verdict", "credence",
              "credence_low", "credence_high", "decidable", "fixed_as", "fixed_reason",
              "credence_range", "conditions", "conditions_text", "coverage", "density",
              "reading", "value", "margin", "margin_interval", "holds_share", "drivers",
              "drivers_global", "error")

router = APIRouter(prefix="/api")
log = logging.getLogger("polemos.api")
_report_lock = threading.Lock()  # matplotlib's pyplot is not thread-safe


class RunRequest(BaseModel):
    """``POST /api/runs``: a seed scenario by name, or YAML text, and the run options."""

    model_config = ConfigDict(extra="forbid")
    scenario: str | None = Field(None, description="Name of a file in the scenarios directory.")
    yaml: str | None = Field(None, max_length=MAX_YAML_BYTES, description="Scenario YAML text.")
    draws: int = Field(2000, ge=1, le=MAX_DRAWS)
    worlds: int | None = Field(None, ge=1, le=MAX_DRAWS,
                               description="Worlds (input vectors); draws = worlds x paths.")
    paths: int | None = Field(None, ge=1, le=1000, description="Paths per world (default 20).")
    seed: int = Field(0, ge=0, le=MAX_SEED)
    design: Literal["plain", "lhs", "sobol"] = "plain"
    overrides: dict[str, str | int | float | bool] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_source(self) -> RunRequest:
        if (self.scenario is None) == (self.yaml is None):
            raise ValueError("give exactly one of 'scenario' (a name) or 'yaml' (text)")
        if self.worlds is not None:
            self.draws = self.worlds * (self.paths or 20)
            if self.draws > MAX_DRAWS:
                raise ValueError(f"worlds x paths is {self.draws:,}; at most {MAX_DRAWS:,}")
        return self


def _state(request: Request) -> tuple[SharedStore, JobQueue, ScenarioDir]:
    s = request.app.state
    return s.store, s.jobs, s.scenarios


@router.post("/runs", status_code=202)
def start_run(body: RunRequest, request: Request) -> dict[str, Any]:
    """Validate the scenario now (422 with located problems), then queue the run."""
    from polemos.scenario.load import load_scenario, loads_scenario

    _, jobs, scenarios = _state(request)
    overrides = {k: v if isinstance(v, str) else _yaml_scalar(v) for k, v in body.overrides.items()}
    if body.yaml is not None:
        check_size(len(body.yaml.encode()))
        source = "<request>"
        scenario = loads_scenario(body.yaml, source, overrides or None)
    else:
        path = scenarios.path(body.scenario or "")
        source = str(path)
        scenario = load_scenario(path, overrides or None)
    try:
        client = request.client.host if request.client is not None else ""
        job = jobs.submit(scenario, source=source, draws=body.draws, seed=body.seed,
                          design=body.design, overrides=overrides, client=client,
                          paths=body.paths)
    except QueueFull as exc:
        raise ApiError(429, f"too many runs at once: {exc}",
                       "wait for a run to finish (GET /api/runs) and submit again") from None
    return {"run_id": job.job_id, "status": job.status, "links": _links(job.job_id)}


def _yaml_scalar(v: bool | int | float) -> str:
    return ("true" if v else "false") if isinstance(v, bool) else repr(v)


@router.get("/runs")
def list_runs(request: Request, limit: int = Query(100, ge=1, le=10_000)) -> dict[str, Any]:
    """The newest ``limit`` runs of the store, after the queued runs of this server."""
    store, jobs, _ = _state(request)
    rows = [_catalog_row(r, jobs.get(r["run_id"])) for r in store.runs()]
    waiting = [j.view() for j in jobs.jobs() if j.run_id is None]
    runs = waiting[::-1] + rows[::-1]
    return {"runs": runs[:limit], "total": len(runs)}


def _catalog_row(r: dict[str, Any], job: Job | None) -> dict[str, Any]:
    n_blocks = -(-r["draws"] // r["block_size"])
    status = job.status if job is not None and job.status != "complete" else r["status"]
    return {"job_id": job.job_id if job else None, "run_id": r["run_id"], "status": status,
            "progress": 1.0 if status == "complete" else round(r["blocks_done"] / n_blocks, 4),
            "scenario": r["scenario_id"], "title": r["title"], "draws": r["draws"],
            "seed": r["seed"], "design": r["design"], "created": r["created"],
            "finished": r["finished"]}


def _resolve(request: Request, ident: str) -> tuple[str | None, Job | None]:
    """``(run_id, job)`` for a job id, a run id or a unique run-id prefix; 404 otherwise."""
    store, jobs, _ = _state(request)
    job = jobs.get(ident)
    if job is not None:
        return job.run_id, job
    try:
        run_id = store.get_run(ident)["run_id"]
    except KeyError:
        known = [r["run_id"] for r in store.runs()] + [j.job_id for j in jobs.jobs()]
        raise not_found("run", ident, known, "GET /api/runs lists them") from None
    return run_id, jobs.get(run_id)


@router.get("/runs/{ident}")
def get_run(ident: str, request: Request) -> dict[str, Any]:
    """Status and progress; once complete, outcome probabilities and the claims ledger."""
    store, _, _ = _state(request)
    run_id, job = _resolve(request, ident)
    if run_id is None:  # queued: only the job knows about it yet
        view = job.view() if job is not None else {}
        return {**view, "outcomes": None, "claims": None, "links": _links(ident)}
    row = _catalog_row(store.get_run(run_id), job)
    out: dict[str, Any] = {**row, "error": job.error if job else None,
                           "overrides": json.loads(store.config(run_id)["record"].get("overrides")
                                                   or "{}"),
                           "outcomes": None, "claims": None, "links": _links(run_id)}
    try:
        summary = store.summary(run_id) if row["status"] == "complete" else None
    except KeyError:  # marked complete but its summary file is gone
        summary = None
    if summary is not None:
        out["draws"] = summary["draws"]
        out["outcomes"] = [{k: o.get(k) for k in OUTCOME_KEYS} for o in summary["outcomes"]]
        out["none"] = {k: summary["none"].get(k) for k in OUTCOME_KEYS if k in summary["none"]}
        out["claims"] = [{k: c.get(k) for k in CLAIM_KEYS if k in c} for c in summary["claims"]]
        out["dates"] = [summary["dates"][0], summary["dates"][-1]]
        out["claim_draws"] = summary.get("claim_draws")
    return out


def _links(ident: str) -> dict[str, str]:
    base = f"/api/runs/{ident}"
    return {"self": base, "report": f"{base}/report", "csv": f"{base}/export?format=csv",
            "parquet": f"{base}/export?format=parquet"}


def _complete(request: Request, ident: str) -> str:
    store, _, _ = _state(request)
    run_id, job = _resolve(request, ident)
    if run_id is None:
        status = job.status if job is not None else "unknown"
    else:
        status = _catalog_row(store.get_run(run_id), job)["status"]
    if run_id is None or status != "complete":
        raise ApiError(409, f"run {ident!r} is {status}, not complete",
                       f"poll GET /api/runs/{ident} until its status is 'complete'")
    return run_id


@router.get("/runs/{ident}/report", response_class=HTMLResponse)
def report(ident: str, request: Request) -> HTMLResponse:
    """The self-contained HTML report (written on first request, then reused)."""
    from polemos.report import write_report

    store, _, _ = _state(request)
    run_id = _complete(request, ident)
    cached = store.run_dir(run_id) / "report" / "report.html"
    summary = store.run_dir(run_id) / "summary.json"
    with _report_lock:
        if not cached.exists() or cached.stat().st_mtime_ns < summary.stat().st_mtime_ns:
            try:
                cached = write_report(store, run_id)
            except Exception as exc:  # noqa: BLE001 - a JSON error, not a traceback
                log.exception("report of %s failed", run_id)
                raise ApiError(500, f"the report could not be written ({type(exc).__name__}: "
                                    f"{exc})", "the server log has the details; please report "
                                               "it") from None
    return HTMLResponse(cached.read_text(encoding="utf-8"))


@router.get("/runs/{ident}/export")
def export(ident: str, request: Request,
           format: Literal["csv", "parquet"] = Query("csv")) -> FileResponse:  # noqa: A002
    """Every draw of a complete run as one CSV or Parquet file."""
    store, _, _ = _state(request)
    run_id = _complete(request, ident)
    tmp = Path(tempfile.mkdtemp(prefix="polemos-export-"))
    try:
        out = store.export(run_id, tmp / f"{run_id}.{format}", format)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    media = "text/csv" if format == "csv" else "application/vnd.apache.parquet"
    return FileResponse(out, media_type=media, filename=out.name,
                        background=BackgroundTask(shutil.rmtree, tmp, ignore_errors=True))


@router.get("/compare")
def compare(request: Request,
            a: str = Query(..., min_length=1, max_length=200, description="Baseline run (id or job id)."),
            b: str = Query(..., min_length=1, max_length=200, description="Run compared with A.")
            ) -> dict[str, Any]:
    """B against A: outcome probabilities (paired 95% intervals of B - A when both runs share
    seed, design, draws and block size) and each claim's verdict and credence in both."""
    from polemos.engine.compare import compare_runs

    store, _, _ = _state(request)
    run_a, run_b = _complete(request, a), _complete(request, b)
    try:
        result = compare_runs(store, run_a, run_b)
        sa, sb = store.summary(run_a), store.summary(run_b)
    except KeyError as exc:  # a summary file gone since the run completed
        raise ApiError(409, f"cannot compare: {exc.args[0] if exc.args else exc}",
                       "run the scenario again") from None
    rows = {r["run_id"]: r for r in store.runs() if r["run_id"] in (run_a, run_b)}
    for side, run_id in (("a", run_a), ("b", run_b)):
        r = rows[run_id]
        over = result[side].get("overrides")
        result[side].update(title=r["title"], draws=r["draws"], seed=r["seed"],
                            design=r["design"], created=r["created"],
                            overrides=_overrides(over))
    ids_a = {o["id"] for o in sa["outcomes"]}
    ids_b = {o["id"] for o in sb["outcomes"]}
    result["outcomes_only_a"] = sorted(ids_a - ids_b)
    result["outcomes_only_b"] = sorted(ids_b - ids_a)
    absorbing = {o["id"]: o.get("absorbing", True) for o in sa["outcomes"]}
    for o in result["outcomes"]:
        o["absorbing"] = absorbing.get(o["id"], True)
    ca = {c["id"]: c for c in sa["claims"]}
    cb = {c["id"]: c for c in sb["claims"]}
    for c in result["claims"]:
        for side, src in (("a", ca), ("b", cb)):
            claim = src[c["id"]]
            c[f"credence_{side}"] = claim.get("credence", claim.get("holds_share"))
            c[f"credence_low_{side}"] = claim.get("credence_low")
            c[f"credence_high_{side}"] = claim.get("credence_high")
            c[f"fixed_as_{side}"] = claim.get("fixed_as")
        c["changed"] = (c["verdict_a"], c["fixed_as_a"]) != (c["verdict_b"], c["fixed_as_b"])
    result["claims_only_a"] = sorted(set(ca) - set(cb))
    result["claims_only_b"] = sorted(set(cb) - set(ca))
    return result


def _overrides(raw: Any) -> dict[str, Any]:
    """A run's overrides as a mapping (the catalog keeps them as JSON text)."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw or "{}")
        except ValueError:
            return {}
    return raw if isinstance(raw, dict) else {}
