"""The Monte Carlo runner: blocks of draws, executors, the store, resume.

Two levels of uncertainty (two-dimensional or second-order Monte Carlo: Frey 1992;
Helton & Johnson 2011, *Reliab. Eng. Syst. Saf.* 96(9); US EPA RAGS 3A, 2001): a run
samples ``worlds`` vectors of the scenario's uncertain inputs (the design's unit samples,
the *epistemic* level) and ``paths`` draws per world (the random streams of events,
combat noise and choices, the *aleatory* level). Draw ``d`` belongs to world
``d // paths``; every world's paths share its inputs. ``--draws N`` is a shorthand for
``N // paths`` worlds of :data:`DEFAULT_PATHS` paths (the last world may be partial and
then counts for the overall probabilities only). ``paths = 1`` is the one-level run.

Seeding unit: a **block** of ``block_size`` draws (2,500 by default: large enough to
amortise the loop's per-week Python overhead, small enough to bound memory). Block ``b`` draws
its design with ``child_generator(seed, b, 0)`` and each stage with
``child_generator(seed, b, stage.key)``, so its results depend only on
``(scenario, seed, design, draws, block_size, b)``. Executors process *tasks* of several
consecutive blocks (``--chunk`` draws, rounded to whole blocks) in any order and on any
backend; every block lands in the store as its own atomically written file and the
summary merges them in block order. Hence bit-identical results whatever the backend,
worker count or chunk size, and exact resumption after a crash.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from polemos.engine.loop import BlockResult, horizon_weeks, make_plan, simulate_block
from polemos.engine.params import ParamSpace
from polemos.engine.stages import active_stages
from polemos.store import Store

BLOCK_SIZE = 2500
DEFAULT_PATHS = 20
"""Paths per world when a run is given as ``--draws`` only."""


@dataclass
class RunOptions:
    draws: int = 2000
    seed: int = 0
    worlds: int | None = None
    """Worlds (input vectors); with ``paths`` sets ``draws = worlds * paths``."""
    paths: int | None = None
    """Paths per world (random streams); :data:`DEFAULT_PATHS` when not given."""
    design: str = "plain"
    backend: str = "inprocess"
    workers: int = 2
    chunk: int | None = None
    scheduler: str | None = None
    block_size: int = BLOCK_SIZE
    resume: bool = False
    progress: bool = True
    overrides: dict[str, str] = field(default_factory=dict)
    store_params: bool = True
    """Write each draw's parameter values (``p:`` columns) to the store; they can always
    be recomputed from the seed, so very large sweeps may leave them out."""


@dataclass(frozen=True)
class Job:
    """Everything a worker needs, as plain picklable data."""

    scenario_data: str
    content_hash: str
    seed: int
    design: str
    draws: int
    block_size: int
    store_params: bool = True
    paths: int = 1

    def block_size_of(self, block: int) -> int:
        return min(self.block_size, self.draws - block * self.block_size)

    @property
    def n_blocks(self) -> int:
        return -(-self.draws // self.block_size)

    @property
    def worlds(self) -> int:
        """Whole worlds (a partial last world is not counted)."""
        return self.draws // self.paths


@lru_cache(maxsize=8)
def _scenario_from_data(content_hash: str, data: str) -> Any:
    from polemos.scenario.schema import scenario_model

    return scenario_model().model_validate(json.loads(data))


def scenario_of(job: Job) -> Any:
    return _scenario_from_data(job.content_hash, job.scenario_data)


def run_blocks(job: Job, blocks: list[int]) -> list[BlockResult]:
    """Simulate ``blocks`` of ``job`` (the unit of work every backend executes)."""
    scenario = scenario_of(job)
    space = ParamSpace.from_scenario(scenario_of(job))  # the order the workers use
    out = []
    for b in blocks:
        stages = active_stages(scenario)
        plan = make_plan(scenario, stages)
        n = job.block_size_of(b)
        res = simulate_block(scenario, stages, plan, space, seed=job.seed, block=b, n=n,
                             design=job.design, paths=job.paths)
        draw = np.arange(b * job.block_size, b * job.block_size + n, dtype=np.int64)
        res.columns = {
            "draw": draw,
            "block": np.full(n, b, dtype=np.int32),
            "world": (draw // job.paths).astype(np.int64),
            **{k: v for k, v in res.columns.items()
               if job.store_params or not k.startswith("p:")},
        }
        out.append(res)
    return out


def make_job(scenario: Any, opts: RunOptions) -> Job:
    from polemos.scenario.load import content_hash

    data = json.dumps(scenario.model_dump(mode="json", exclude_unset=True), sort_keys=True)
    draws, paths = draws_and_paths(opts)
    block = max(paths, (int(opts.block_size) // paths) * paths)  # whole worlds per block
    return Job(data, content_hash(scenario), int(opts.seed), str(opts.design), draws,
               block, bool(opts.store_params), paths)


def draws_and_paths(opts: RunOptions) -> tuple[int, int]:
    """``(draws, paths)`` of a run: ``worlds x paths`` when worlds are given, else
    ``draws`` with :data:`DEFAULT_PATHS` paths per world (fewer when draws are fewer)."""
    if opts.paths is not None and int(opts.paths) < 1:
        raise ValueError("--paths must be at least 1")
    if opts.worlds is not None:
        if int(opts.worlds) < 1:
            raise ValueError("--worlds must be at least 1")
        paths = int(opts.paths or DEFAULT_PATHS)
        return int(opts.worlds) * paths, paths
    if int(opts.draws) < 1:
        raise ValueError("--draws must be at least 1")
    paths = int(opts.paths or DEFAULT_PATHS)
    return int(opts.draws), min(paths, int(opts.draws))


def versions() -> dict[str, str]:
    import duckdb
    import scipy

    import polemos

    return {"polemos": getattr(polemos, "__version__", "0"), "numpy": np.__version__,
            "scipy": scipy.__version__, "duckdb": duckdb.__version__,
            "python": platform.python_version()}


def _tasks(todo: list[int], per_task: int) -> list[list[int]]:
    return [todo[i:i + per_task] for i in range(0, len(todo), per_task)]


# -- executors --------------------------------------------------------------------
def _execute_inprocess(job: Job, tasks: list[list[int]], opts: RunOptions) -> Iterator[BlockResult]:
    for task in tasks:
        yield from run_blocks(job, task)


def _execute_processes(job: Job, tasks: list[list[int]], opts: RunOptions) -> Iterator[BlockResult]:
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    ctx = mp.get_context("spawn" if sys.platform == "darwin" else "forkserver")
    with ProcessPoolExecutor(max_workers=opts.workers, mp_context=ctx) as pool:
        pending: set = set()
        queue = list(tasks)
        limit = 2 * opts.workers  # bounded in-flight work: memory bounded by the chunk
        while queue or pending:
            while queue and len(pending) < limit:
                pending.add(pool.submit(run_blocks, job, queue.pop(0)))
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                yield from fut.result()


def _execute_dask(job: Job, tasks: list[list[int]], opts: RunOptions) -> Iterator[BlockResult]:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if opts.scheduler:
        client = Client(opts.scheduler)
    else:
        cluster = LocalCluster(n_workers=opts.workers, threads_per_worker=1, processes=False,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        queue = list(tasks)
        limit = 2 * max(1, len(client.scheduler_info().get("workers", {})) or opts.workers)
        job_f = client.scatter(job, broadcast=True)
        futures = as_completed()
        inflight = 0
        while queue and inflight < limit:
            futures.add(client.submit(run_blocks, job_f, queue.pop(0), pure=False))
            inflight += 1
        for fut in futures:
            results = fut.result()
            fut.release()
            if queue:
                futures.add(client.submit(run_blocks, job_f, queue.pop(0), pure=False))
            yield from results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


EXECUTORS: dict[str, Callable[..., Iterator[BlockResult]]] = {
    "inprocess": _execute_inprocess,
    "processes": _execute_processes,
    "dask": _execute_dask,
}


def _progress(total: int, enabled: bool):
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from polemos.cli.output import console_err

    return Progress(TextColumn("[bold]draws"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                    console=console_err, disable=not enabled, transient=True)


def sweep(scenario: Any, opts: RunOptions, store: Store, *, path: str = "",
          on_block: Callable[[int], None] | None = None) -> str:
    """Run (or resume) the sweep; return the run id. Blocks land in ``store``."""
    if opts.backend not in EXECUTORS:
        raise ValueError(f"unknown backend {opts.backend!r}; use one of {sorted(EXECUTORS)}")
    job = make_job(scenario, opts)
    key = {"content_hash": job.content_hash, "seed": job.seed, "design": job.design,
           "draws": job.draws, "block_size": job.block_size}
    run_id = store.find_resumable(key) if opts.resume else None
    if run_id is not None and store.config(run_id).get("paths", 1) != job.paths:
        run_id = None
    if run_id is None:
        run_id = _new_run(scenario, opts, store, job, path)
    done = store.done_blocks(run_id, verify=True)  # damaged blocks are computed again
    todo = [b for b in range(job.n_blocks) if b not in done]
    if opts.chunk:
        per_task = max(1, opts.chunk // job.block_size)
    else:  # in-process: any; parallel: one block per task balances the workers best
        per_task = 4 if opts.backend == "inprocess" else 1
    tasks = _tasks(todo, per_task)
    store.set_status(run_id, "running")
    with _progress(job.draws, opts.progress) as bar:
        t = bar.add_task("draws", total=job.draws,
                         completed=sum(job.block_size_of(b) for b in done))
        for res in EXECUTORS[opts.backend](job, tasks, opts):
            store.write_block(run_id, res.block, res.columns, res.aggregates)
            bar.advance(t, res.n)
            if on_block is not None:
                on_block(res.block)
    store.set_status(run_id, "simulated")
    return run_id


def _new_run(scenario: Any, opts: RunOptions, store: Store, job: Job, path: str) -> str:
    now = dt.datetime.now(dt.UTC)
    run_id = f"{scenario.meta.id}-{now:%Y%m%dT%H%M%S}-{job.content_hash[:6]}-{time.time_ns() % 10**6:06d}"
    space = ParamSpace.from_scenario(scenario_of(job))  # the order the workers use
    params = [p.describe() for p in space.parameters]
    record = {
        "run_id": run_id, "scenario_id": scenario.meta.id, "title": scenario.meta.title,
        "path": path, "content_hash": job.content_hash, "seed": job.seed,
        "design": job.design, "draws": job.draws, "block_size": job.block_size,
        "overrides": json.dumps(opts.overrides), "versions": json.dumps(versions()),
        "status": "created", "created": now.isoformat(timespec="microseconds"),
        "finished": None, "n_params": len(space),
    }
    config = {"record": record, "options": asdict(opts), "scenario": json.loads(job.scenario_data),
              "weeks": horizon_weeks(scenario), "paths": job.paths, "worlds": job.worlds}
    store.create_run(record, params, config)
    return run_id


def job_of_run(store: Store, run_id: str) -> Job:
    cfg = store.config(run_id)
    rec = cfg["record"]
    data = json.dumps(cfg["scenario"], sort_keys=True)
    return Job(data, rec["content_hash"], rec["seed"], rec["design"], rec["draws"],
               rec["block_size"], paths=int(cfg.get("paths", 1)))
