"""Merging a run's blocks (in block order) into its summary.

Streaming parts (every draw, constant memory): outcome counts, time-to-outcome
curves, weekly means. Parts that need per-draw data read a bounded, deterministic
prefix of the run (the first blocks in order): trajectory quantiles for fan charts
(``samples_per_block`` draws of each of the first blocks), the claims ledger and the
given-data sensitivity (first :data:`CLAIM_DRAWS` / :data:`SENS_DRAWS` draws).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np

from polemos.engine.loop import horizon_weeks
from polemos.engine.params import ParamSpace
from polemos.engine.runner import job_of_run, scenario_of
from polemos.numerics.rng import child_generator
from polemos.store import Store
from polemos.store.store import column_values

MAX_LEDGER_WORLDS = 2_000
"""The claims ledger judges at most the first this many worlds."""
SENS_DRAWS = 50_000
CLAIMS_KEY = 0xC1A1
TARGET_BLOCK = 2**31 - 1
"""Block number of the worlds the ledger simulates again (outside any run's blocks)."""
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion ``k/n`` (95% by default)."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return low, high


def decile_bins(x: np.ndarray, bins: int = 10) -> np.ndarray:
    """Equal-count bins of the ranks of ``x`` (ties broken by position)."""
    ranks = np.empty(len(x), dtype=np.int64)
    ranks[np.argsort(x, kind="stable")] = np.arange(len(x))
    return ranks * bins // max(len(x), 1)


def first_order(y: np.ndarray, x: np.ndarray | None = None, bins: int = 10,
                binned: np.ndarray | None = None) -> float:
    """Given-data first-order Sobol index of ``x`` on ``y``: Var(E[y | bin of x]) / Var(y).

    Bins are equal-count slices of the ranks of ``x`` (the correlation ratio; e.g.
    Plischke, Borgonovo & Smith 2013, *EJOR* 226, eq. 8), debiased by subtracting the
    expected between-bin variance of noise, ``(bins - 1) / n``, in units of Var(y).
    ``binned`` (from :func:`decile_bins`) saves the sort when ``x`` is reused.
    """
    n = len(y)
    var = y.var()
    if binned is None:
        if x is None or np.ptp(x) == 0:
            return 0.0
        binned = decile_bins(x, bins)
    if n < 2 * bins or var <= 0:
        return 0.0
    counts = np.bincount(binned, minlength=bins)
    means = np.bincount(binned, weights=y, minlength=bins) / np.maximum(counts, 1)
    between = (counts * (means - y.mean()) ** 2).sum() / n
    return float(max(0.0, between / var - (bins - 1) / n))


def regenerate_units(job: Any, space: ParamSpace, blocks: list[int], limit: int) -> np.ndarray:
    """Unit samples ``(limit, d)`` of the first ``limit`` draws, recomputed from the seed
    (a block's design is a pure function of ``(seed, block)``: no need to store them)."""
    from polemos.engine.loop import block_unit_samples

    parts, total = [], 0
    for b in blocks:
        if total >= limit:
            break
        n = job.block_size_of(b)
        parts.append(block_unit_samples(space, job.design, job.seed, b, n, job.paths))
        total += n
    return np.concatenate(parts)[:limit] if parts else np.empty((0, len(space)))


def regenerate_params(job: Any, space: ParamSpace, blocks: list[int], limit: int
                      ) -> dict[str, np.ndarray]:
    """Parameter values of the first ``limit`` draws (see :func:`regenerate_units`)."""
    values = space.values(regenerate_units(job, space, blocks, limit))
    return {p: values[:, j] for j, p in enumerate(space.names)}


def _prefix(store: Store, run_id: str, blocks: list[int], limit: int, columns: list[str]
            ) -> dict[str, np.ndarray]:
    parts: dict[str, list[np.ndarray]] = {c: [] for c in columns}
    total = 0
    for b in blocks:
        if total >= limit:
            break
        table = store.read_columns(run_id, b, columns)
        for c in columns:
            parts[c].append(column_values(table.column(c)))
        total += table.num_rows
    return {c: np.concatenate(v)[:limit] if v else np.empty(0) for c, v in parts.items()}


def _merge(store: Store, run_id: str, done: list[int]) -> dict[str, Any]:
    """Sum the blocks' aggregates in block order (streaming: one block in memory)."""
    acc: dict[str, Any] = {"n": 0, "names": [], "samples": []}
    for b in done:
        agg = store.read_aggregates(run_id, b)
        acc["n"] += int(agg["n"][0])
        acc["names"] = acc["names"] or [str(x) for x in agg["names"]]
        for key in ("ends", "first_week", "weekly_sum"):
            acc[key] = agg[key] if key not in acc else acc[key] + agg[key]
        if agg["samples"].shape[1]:
            acc["samples"].append(agg["samples"])
    return acc


def _outcome_rows(scenario: Any, acc: dict[str, Any], weeks: int) -> list[dict[str, Any]]:
    n = acc["n"]
    rows = []
    for j, o in enumerate(scenario.outcomes):
        hist = acc["first_week"][j] if "first_week" in acc else np.zeros(weeks + 2, np.int64)
        k = int(hist[: weeks + 1].sum())
        lo, hi = wilson(k, n)
        row = {"id": o.id, "label": o.label, "absorbing": bool(o.absorbing),
               "p": k / max(n, 1), "low": lo, "high": hi, "count": k,
               "curve": (np.cumsum(hist[: weeks + 1]) / max(n, 1)).tolist()}
        if o.absorbing and acc.get("ends") is not None:
            # the share of draws this outcome ended: when several absorbing outcomes are
            # reached in the same week, the first listed ends the draw (the others are
            # still counted as reached in "p"); these shares and "none" sum to one
            row["p_end"] = int(acc["ends"][j + 1]) / max(n, 1)
        rows.append(row)
    return rows


def _trajectory_stats(acc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Weekly means over every draw; quantiles over the sampled trajectories."""
    samples = acc["samples"]
    quant = None
    if samples:
        arr = np.concatenate(samples, axis=1)  # float32: 1,000 trajectories at most
        quant = np.quantile(arr, QUANTILES, axis=1) if arr.shape[1] else None  # (Q, V, W+1)
    out = {}
    for i, name in enumerate(acc["names"]):
        entry: dict[str, Any] = {"mean": (acc["weekly_sum"][i] / max(acc["n"], 1)).tolist()}
        if quant is not None:
            entry.update({f"q{int(p * 100):02d}": quant[m, i].tolist()
                          for m, p in enumerate(QUANTILES)})
        out[name] = entry
    return out


def _given_data_sensitivity(scenario: Any, data: dict[str, np.ndarray],
                            params: dict[str, np.ndarray], paths: int,
                            read: set[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Given-data first-order index of each input a model reads on each outcome, judged
    over worlds: ``y_w`` the share of world ``w``'s paths in which the outcome happens,
    ``x_w`` the world's input value, for the worlds of the first :data:`SENS_DRAWS` draws.

    Over worlds, not draws: a world's paths share its inputs, so binning draws counts each
    world ``paths`` times, and the draw-level debiasing ``(bins - 1) / draws`` leaves a
    noise floor of about ``(bins - 1) / worlds`` under every input, read or not. An input
    no model reads has index 0 by construction and is left out (as from the drivers)."""
    n = min(len(next(iter(params.values()))) if params else 0, SENS_DRAWS)
    worlds = n // max(paths, 1)
    m = worlds * paths
    xs = {p: v[:m:paths] for p, v in params.items() if read is None or p in read}
    k = max(2, min(10, worlds // 10))  # deciles from 100 worlds on, fewer bins below
    bins = {p: decile_bins(x, k) for p, x in xs.items() if len(x) and np.ptp(x) > 0}
    sens = {}
    for o in scenario.outcomes:
        hit = (data[f"t:{o.id}"][:m] >= 0).astype(float)
        y = hit.reshape(worlds, paths).mean(axis=1) if worlds else hit[:0]
        s1: list[dict[str, Any]] = [{"parameter": p, "s1": first_order(y, bins=k, binned=b)}
                                    for p, b in bins.items()]
        sens[o.id] = sorted(s1, key=lambda r: -float(r["s1"]))
    return sens


def summarize(store: Store, run_id: str) -> dict[str, Any]:
    """Compute, store and return the summary of a completely simulated run."""
    job = job_of_run(store, run_id)
    scenario = scenario_of(job)
    weeks = horizon_weeks(scenario)
    done = sorted(store.done_blocks(run_id))
    missing = sorted(set(range(job.n_blocks)) - set(done))
    if missing:
        raise RuntimeError(f"run {run_id} misses blocks {missing[:5]}...; rerun with --resume")
    acc = _merge(store, run_id, done)
    as_of = scenario.meta.as_of

    space = ParamSpace.from_scenario(scenario)
    obs_cols = _obs_columns(store, run_id, done)
    K = job.paths
    G = min(job.worlds, MAX_LEDGER_WORLDS)
    limit = max(G * K, SENS_DRAWS)
    data = _prefix(store, run_id, done, limit, obs_cols + [f"t:{o.id}" for o in scenario.outcomes])
    units = regenerate_units(job, space, done, limit)
    values = space.values(units)
    params = {p: values[:, j] for j, p in enumerate(space.names)}
    from polemos.engine.reads import read_report

    read = read_report(scenario).parameters_read
    ledger = world_ledger(job, scenario, space, {c: data[c][:G * K] for c in obs_cols},
                          units[: G * K: K], values[: G * K: K], G, K, read)
    spreads = _world_spreads(scenario, data, G, K)
    summary = {
        "run_id": run_id, "record": store.config(run_id)["record"], "draws": acc["n"],
        "weeks": weeks,
        "dates": [(as_of + dt.timedelta(days=7 * w)).isoformat() for w in range(weeks + 1)],
        "worlds": job.worlds, "paths": K, "ledger_worlds": G,
        "outcomes": [dict(o, spread=spreads.get(o["id"])) for o in _outcome_rows(scenario, acc, weeks)],
        "none": _none_row(acc.get("ends"), acc["n"]),
        "trajectories": _trajectory_stats(acc), "claims": ledger,
        "sensitivity_given_data": _given_data_sensitivity(scenario, data, params, K, read),
        "parameters": [_param_row(p, scenario) for p in space.parameters],
        "fixed_inputs": _fixed_rows(scenario),
        "claim_draws": G * K, "sensitivity_draws": min(acc["n"], SENS_DRAWS),
        "sensitivity_worlds": min(acc["n"], SENS_DRAWS) // K,
    }
    store.write_summary(run_id, summary, _result_rows(summary))
    store.set_status(run_id, "complete")
    return summary


def _world_spreads(scenario: Any, data: dict[str, np.ndarray], G: int, K: int
                   ) -> dict[str, dict[str, float] | None]:
    """5%, 50% and 95% across worlds of P(outcome | world) (each world's share of paths)."""
    out: dict[str, dict[str, float] | None] = {}
    for o in scenario.outcomes:
        t = data.get(f"t:{o.id}")
        if t is None or G == 0 or len(t) < G * K:
            out[o.id] = None
            continue
        p = (t[: G * K] >= 0).reshape(G, K).mean(axis=1)
        lo, mid, hi = np.quantile(p, [0.05, 0.5, 0.95])
        out[o.id] = {"p05": float(lo), "p50": float(mid), "p95": float(hi)}
    return out


def world_ledger(job: Any, scenario: Any, space: ParamSpace, columns: dict[str, np.ndarray],
                 u: np.ndarray, values: np.ndarray, G: int, K: int,
                 read: set[str] | None = None) -> list[dict[str, Any]]:
    """The claims ledger by worlds (:mod:`polemos.engine.ledger`), simulating the
    targeted worlds it asks for with fresh paths in one extra block."""
    from polemos.engine.ledger import CONFIRM_PATHS, REFINE_PATHS, WorldLedger, Worlds
    from polemos.engine.loop import make_plan, simulate_block
    from polemos.engine.reads import read_report
    from polemos.engine.stages import active_stages
    from polemos.scenario.labels import Labeller

    if not scenario.claims:
        return []
    lab = Labeller(scenario)
    worlds = Worlds(columns, G, K, u, values, space.names,
                    read=read_report(scenario).parameters_read if read is None else read,
                    labels={n: lab(n) for n in space.names})
    led = WorldLedger(list(scenario.claims), worlds, scenario,
                      child_generator(job.seed, CLAIMS_KEY))
    targets = led.targets()
    tcols = refined = None
    if len(targets):
        stages = active_stages(scenario)
        plan = make_plan(scenario, stages)
        plan.samples_per_block = plan.sample_blocks = 0

        def observe(rows: np.ndarray, paths: int, block: int) -> dict[str, np.ndarray]:
            res = simulate_block(scenario, stages, plan, space, seed=job.seed, block=block,
                                 n=len(rows) * paths, u=np.repeat(rows, paths, axis=0))
            return {c: v for c, v in res.columns.items() if c.startswith("o:")}

        tcols = observe(targets, CONFIRM_PATHS, TARGET_BLOCK)
        again = led.ambiguous(tcols, CONFIRM_PATHS, child_generator(job.seed, CLAIMS_KEY, 2))
        if len(again):
            refined = (again, observe(targets[again], REFINE_PATHS, TARGET_BLOCK - 1),
                       REFINE_PATHS)
    return led.finish(tcols, CONFIRM_PATHS, refined,
                      child_generator(job.seed, CLAIMS_KEY, 1))


def _none_row(ends: np.ndarray | None, n_total: int) -> dict[str, Any]:
    """Draws that reached no absorbing outcome by the horizon."""
    k = int(ends[0]) if ends is not None else n_total
    lo, hi = wilson(k, n_total)
    return {"id": "none", "label": "no absorbing outcome by the horizon",
            "p": k / max(n_total, 1), "low": lo, "high": hi, "count": k}


def _obs_columns(store: Store, run_id: str, done: list[int]) -> list[str]:
    if not done:
        return []
    import pyarrow.parquet as pq

    schema = pq.read_schema(store._block_paths(run_id, done[0])[0])
    return [n for n in schema.names if n.startswith("o:")]


def _fixed_rows(scenario: Any) -> list[dict[str, Any]]:
    from polemos.engine.params import fixed_inputs

    known = {s.id: f"{s.title} ({s.author})" for s in scenario.meta.sources}
    return [{"path": path, "value": value, "sources": [known.get(s, s) for s in srcs]}
            for path, value, srcs in fixed_inputs(scenario)
            if not path.startswith(("meta.", "outcomes", "claims"))]


def _param_row(p: Any, scenario: Any) -> dict[str, Any]:
    row = p.describe()
    srcs = list(getattr(p.quantity, "sources", []) or [])
    known = {s.id: s for s in scenario.meta.sources}
    row["source_titles"] = [f"{known[s].title} ({known[s].author})" for s in srcs if s in known]
    return row


def attach_sensitivity(store: Store, run_id: str, n_base: int, method: str = "auto"
                       ) -> dict[str, Any]:
    """Run the SALib analysis for a run's scenario and add it to the stored summary."""
    from polemos.engine.sensitivity import analyse

    job = job_of_run(store, run_id)
    summary = store.summary(run_id)
    result = analyse(scenario_of(job), n_base=n_base, seed=job.seed, method=method)
    if not result:
        return summary
    summary["sensitivity"] = result["targets"]
    summary["sensitivity_method"] = (f"{result['method']}, {result['simulations']:,} "
                                     f"simulations, N = {result['n_base']}")
    key = "ST" if result["method"] == "sobol" else "mu_star"
    for claim in summary["claims"]:
        rows = result["targets"].get(f"claim:{claim['id']}", {}).get("indices", [])
        claim["drivers_global"] = [{"parameter": r["parameter"], key: r[key]} for r in rows[:3]]
    store.write_summary(run_id, summary, _result_rows(summary))
    return summary


def _result_rows(summary: dict[str, Any]) -> list[tuple]:
    rows = [("outcome", o["id"], o["p"], o["low"], o["high"], None) for o in summary["outcomes"]]
    rows += [("claim", c["id"], c.get("margin"), *(c.get("margin_interval") or (None, None)),
              c["verdict"]) for c in summary["claims"]]
    return rows
