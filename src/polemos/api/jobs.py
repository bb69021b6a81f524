"""Runs started over HTTP: a queue worked by one background thread.

Simulations are CPU-bound, so one worker runs them one at a time. A request gets a
*job id* at once (``job-...``); the engine names the stored run (``run_id``) when the
sweep starts, and either id finds the run afterwards. Progress is the share of blocks
written, reported by the engine's ``on_block`` callback.

The store's DuckDB catalog is opened by short-lived connections; :class:`SharedStore`
serialises them within this process, so a request reading the catalog never meets the
worker writing it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from polemos.store import Store

log = logging.getLogger("polemos.api")


class SharedStore(Store):
    """A :class:`Store` whose catalog connections are taken one at a time."""

    def __init__(self, root: str | Path | None = None):
        super().__init__(root)
        self._lock = threading.RLock()

    @contextmanager
    def catalog(self, read_only: bool = False) -> Iterator[Any]:
        with self._lock, super().catalog(read_only=read_only) as con:
            yield con


class _JobStore(SharedStore):
    """The worker's view of the store: reports the run id as soon as the run exists."""

    def __init__(self, base: SharedStore, on_create: Callable[[str], None]):
        self.root = base.root
        self._lock = base._lock
        self._on_create = on_create

    def create_run(self, record: dict[str, Any], parameters: list[dict[str, Any]],
                   config: dict[str, Any]) -> None:
        super().create_run(record, parameters, config)
        self._on_create(record["run_id"])


@dataclass
class Job:
    job_id: str
    scenario: Any = field(repr=False)
    source: str
    draws: int
    seed: int
    design: str
    overrides: dict[str, str]
    status: str = "queued"
    run_id: str | None = None
    blocks_done: int = 0
    n_blocks: int = 1
    error: str | None = None
    client: str = field(default="", repr=False)
    paths: int | None = None
    created: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))

    @property
    def progress(self) -> float:
        if self.status == "complete":
            return 1.0
        return min(1.0, self.blocks_done / max(self.n_blocks, 1))

    def view(self) -> dict[str, Any]:
        return {"job_id": self.job_id, "run_id": self.run_id, "status": self.status,
                "progress": round(self.progress, 4), "scenario": self.scenario.meta.id,
                "title": self.scenario.meta.title, "source": self.source, "draws": self.draws,
                "seed": self.seed, "design": self.design, "overrides": self.overrides,
                "created": self.created, "error": self.error}


CLIENT_RUNS = 2
"""Runs one client (address) may have queued or running at once, default."""
CLIENT_DRAWS = 400_000
"""Draws one client may have queued or running in all, default (a 200,000-draw run of a
seed scenario holds about 630 MB while it runs)."""
_ACTIVE = ("queued", "running", "summarising")


class QueueFull(Exception):
    """Too many runs are waiting (in all, or of one client)."""


class Cancelled(Exception):
    """The server is shutting down; the run stops at its next block boundary."""


class JobQueue:
    """Jobs of this server process, worked in order by one thread.

    At most ``max_waiting`` jobs wait at once (:class:`QueueFull` beyond); the newest
    ``keep`` finished jobs are remembered (older ones are still found by run id in the
    store). On :meth:`shutdown` the running sweep stops at its next block boundary; its
    blocks stay in the store, so ``polemos run --resume`` can finish it.
    """

    def __init__(self, store: SharedStore, workers: int = 1, *, max_waiting: int = 16,
                 keep: int = 200, client_runs: int = CLIENT_RUNS,
                 client_draws: int = CLIENT_DRAWS):
        self.store = store
        self.max_waiting = max_waiting
        self.client_runs, self.client_draws = client_runs, client_draws
        self.keep = keep
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="polemos-run")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def submit(self, scenario: Any, *, source: str, draws: int, seed: int, design: str,
               overrides: dict[str, str], client: str = "", paths: int | None = None) -> Job:
        from polemos.engine.runner import BLOCK_SIZE

        job = Job(f"job-{uuid.uuid4().hex[:12]}", scenario, source, draws, seed, design,
                  overrides, n_blocks=-(-draws // BLOCK_SIZE), client=client, paths=paths)
        with self._lock:
            active = [j for j in self._jobs.values() if j.status in _ACTIVE]
            if len(active) >= self.max_waiting:
                raise QueueFull(f"{len(active)} runs are waiting or running")
            mine = [j for j in active if j.client == client]
            if len(mine) >= self.client_runs:
                raise QueueFull(f"this client has {len(mine)} runs waiting or running "
                                f"(at most {self.client_runs})")
            held = sum(j.draws for j in mine)
            if held + draws > self.client_draws:
                raise QueueFull(f"this client's runs would hold {held + draws:,} draws "
                                f"(at most {self.client_draws:,} at once)")
            self._forget_old()
            self._jobs[job.job_id] = job
        self._pool.submit(self._work, job)
        return job

    def _forget_old(self) -> None:
        done = [k for k, j in self._jobs.items() if j.status in ("complete", "failed", "cancelled")]
        for key in done[: max(0, len(done) - self.keep + 1)]:
            del self._jobs[key]

    def get(self, ident: str) -> Job | None:
        """The job with this job id or run id, if this process started it."""
        with self._lock:
            if ident in self._jobs:
                return self._jobs[ident]
            return next((j for j in self._jobs.values() if j.run_id == ident), None)

    def jobs(self) -> list[Job]:
        with self._lock:
            return list(self._jobs.values())

    def shutdown(self) -> None:
        self._stopping.set()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _work(self, job: Job) -> None:
        from polemos.engine import RunOptions, sweep
        from polemos.engine.summary import summarize

        def created(run_id: str) -> None:
            job.run_id = run_id

        def advanced(block: int) -> None:
            job.blocks_done += 1
            if self._stopping.is_set():
                raise Cancelled("the server stopped; resume with polemos run --resume")

        job.status = "running"
        opts = RunOptions(draws=job.draws, paths=job.paths, seed=job.seed, design=job.design,
                          overrides=job.overrides, progress=False)
        store = _JobStore(self.store, created)
        try:
            run_id = sweep(job.scenario, opts, store, path=job.source, on_block=advanced)
            job.status = "summarising"
            summarize(store, run_id)
            job.status = "complete"
        except Cancelled as exc:
            job.error = str(exc)
            job.status = "cancelled"
        except Exception as exc:  # noqa: BLE001 - reported to the client, logged here
            log.exception("run %s failed", job.job_id)
            job.error = f"{type(exc).__name__}: {exc}"
            job.status = "failed"
