"""Freezing a scenario's questions: run it once, seal each question's forecast.

A question is read on its resolution date as ``(EXPR by DATE)``, draw by draw, over the
recorded observables of one run (the engine records them because each question is handed
to it as an extra claim of the run, ``P((EXPR by DATE))`` or ``E((EXPR by DATE))``; the
scenario itself is not changed and its content hash is the one recorded).

- binary: ``p`` = share of draws where the condition holds, with a Wilson 95% interval
  (Monte Carlo error) and, when the run has worlds (a ``world`` column: the lead's worlds
  x paths design: every run has one), ``spread`` = {p05, p50, p95} of the per-world
  probabilities over the whole worlds (each estimated from its paths, so it includes
  their binomial noise);
- numeric: 100 quantiles at levels (k + 0.5) / 100, the mean and the share of draws
  without a finite value; CRPS is computed from those quantiles (:mod:`.scoring`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

QUANTILE_LEVELS = tuple((k + 0.5) / 100 for k in range(100))


class FreezeRefused(ValueError):
    """The scenario cites sources published after its as_of (and --contaminated was not given)."""


def _claims_for(scenario: Any) -> list[Any]:
    from polemos.scenario.schema import Claim

    source = scenario.meta.sources[0].id if scenario.meta.sources else "forecast"
    out = []
    for i, q in enumerate(scenario.questions):
        fn = "E" if q.kind == "numeric" else "P"
        out.append(Claim(id=f"question_{i}", text=q.text, source=source,
                         expr=f"{fn}({q.dated_expr})", confidence="about_even"))
    return out


def _columns(scenario: Any) -> dict[str, list[str]]:
    """Question id -> the observable columns its dated expression reads."""
    from polemos.engine import expressions as X
    from polemos.engine.claims import needed

    return {q.id: sorted({X.obs_column(name, at) for name, at in needed(X.parse(q.dated_expr))})
            for q in scenario.questions}


def evaluate_questions(scenario: Any, draws: dict[str, np.ndarray], n: int) -> list[dict[str, Any]]:
    """One forecast row per question from the per-draw columns ``draws``."""
    from polemos.engine import expressions as X
    from polemos.engine.summary import wilson

    env = X.TableEnv(draws)
    world = draws.get("world")
    rows = []
    for q in scenario.questions:
        v = np.asarray(X.evaluate(X.parse(q.dated_expr), env), dtype=float)
        v = np.broadcast_to(v, (n,)) if v.ndim == 0 else v
        row: dict[str, Any] = {
            "id": q.id, "text": q.text, "kind": q.kind.value, "resolves": q.resolves.isoformat(),
            "criteria": q.criteria, "expr": q.expr, "read_on": _read_on(scenario, q.resolves), "unit": q.unit, "draws": int(n),
            "reference_class": (q.reference_class.model_dump(mode="json")
                                if q.reference_class is not None else None),
        }
        if q.kind == "binary":
            yes = np.isfinite(v) & (v != 0)
            k = int(yes.sum())
            lo, hi = wilson(k, n)
            row.update(p=k / n, p_low=lo, p_high=hi, spread=_spread(yes, world))
        else:
            finite = v[np.isfinite(v)]
            row.update(mean=float(finite.mean()) if finite.size else None,
                       missing_share=1.0 - finite.size / n,
                       quantile_levels=list(QUANTILE_LEVELS),
                       quantiles=(np.quantile(finite, QUANTILE_LEVELS).tolist()
                                  if finite.size else None))
        row["worlds"] = int(np.unique(world).size) if world is not None else None
        rows.append(row)
    return rows


def _read_on(scenario: Any, day: dt.date) -> str:
    """The date the run is read for ``day``: the end of the weekly step holding it (as
    the engine's ``by DATE`` does, :meth:`polemos.engine.stage.Context.week_of`)."""
    start, end = scenario.meta.as_of, scenario.meta.horizon
    weeks = -(-(end - start).days // 7)
    step = min(max(-(-(day - start).days // 7), 0), weeks)
    return (start + dt.timedelta(days=7 * step)).isoformat()


def _spread(yes: np.ndarray, world: np.ndarray | None) -> dict[str, float] | None:
    """{p05, p50, p95} of P(yes | world) across worlds, when the run has worlds."""
    if world is None:
        return None
    ids, inverse = np.unique(world, return_inverse=True)
    counts = np.bincount(inverse)
    whole = counts == counts.max()  # a partial last world is left out
    if whole.sum() < 2:
        return None
    per = (np.bincount(inverse, weights=yes.astype(float)) / counts)[whole]
    p05, p50, p95 = np.quantile(per, [0.05, 0.5, 0.95])
    return {"p05": float(p05), "p50": float(p50), "p95": float(p95),
            "worlds": int(whole.sum()), "paths": int(counts.max())}


def run_questions(scenario: Any, *, draws: int, seed: int, store: Any, path: str = "",
                  worlds: int | None = None, paths: int | None = None
                  ) -> tuple[str, list[dict[str, Any]]]:
    """Simulate ``scenario`` with its questions recorded; return (run id, forecast rows)."""
    from polemos.engine import RunOptions, run_scenario

    if not scenario.questions:
        raise FreezeRefused(f"{path or scenario.meta.id}: the scenario has no questions; "
                            "add a 'questions:' section (see docs/forecasting.md)")
    probe = scenario.model_copy(update={"claims": list(scenario.claims) + _claims_for(scenario)})
    opts = RunOptions(draws=draws, seed=seed, progress=False, worlds=worlds, paths=paths)
    run_id, _summary = run_scenario(probe, opts, store, path=path)
    wanted = sorted({c for cols in _columns(scenario).values() for c in cols})
    available = _parquet_columns(store, run_id)
    if "world" in available:
        wanted.append("world")
    frame = store.read_draws(run_id, [c for c in wanted if c in available])
    data = {c: frame[c].to_numpy() for c in frame.columns}
    return run_id, evaluate_questions(scenario, data, len(frame))


def _parquet_columns(store: Any, run_id: str) -> set[str]:
    import pyarrow.parquet as pq

    first = sorted(store.run_dir(run_id).glob("blocks/b*.parquet"))
    return set(pq.read_schema(first[0]).names) if first else set()


def snapshot(scenario: Any) -> tuple[str, str]:
    """The frozen scenario as canonical JSON and its sha256 (the entry's content hash):
    kept beside the register so the forecast can be re-run however the file and the
    schema change later."""
    import hashlib
    import json

    blob = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return blob, hashlib.sha256(blob.encode()).hexdigest()


def snapshot_name(scenario_id: str, content_hash: str) -> str:
    return f"scenarios/{scenario_id}-{content_hash[:12]}.json"


def freeze_entry(scenario: Any, rows: list[dict[str, Any]], *, path: str, run_id: str,
                 seed: int, late: list[Any],
                 now: dt.datetime | None = None) -> dict[str, Any]:
    """The register entry that seals ``rows`` (forecasts) of ``scenario``."""
    import polemos

    now = now or dt.datetime.now(dt.UTC)
    _, digest = snapshot(scenario)
    today = now.date()
    for row in rows:
        row["backtest"] = dt.date.fromisoformat(row["resolves"]) <= today
    return {
        "kind": "freeze", "scenario_id": scenario.meta.id, "title": scenario.meta.title,
        "path": path, "content_hash": digest,
        "snapshot": snapshot_name(scenario.meta.id, digest),
        "as_of": scenario.meta.as_of.isoformat(), "horizon": scenario.meta.horizon.isoformat(),
        "polemos_version": getattr(polemos, "__version__", "0"),
        "frozen_at": now.isoformat(timespec="seconds"),
        "backtest": any(r["backtest"] for r in rows),
        "contaminated": bool(late), "late_sources": [s.as_dict() for s in late],
        "run": {"run_id": run_id, "draws": rows[0]["draws"] if rows else 0, "seed": seed,
                "design": "plain", "worlds": rows[0].get("worlds") if rows else None},
        "questions": rows,
    }
