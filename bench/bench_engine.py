"""Benchmarks of the coupled engine (issue 6).

1. The Budapest scenario, 10,000 draws over its horizon, in-process (target < 10 s).
2. Speed-up from 1 to 2 worker processes on the same sweep (ratio in one run).
3. Constant memory: peak resident memory of a sweep of 100,000 and of 1,000,000 draws
   (each in a fresh process; per-draw parameter columns not stored, as for any large
   sweep; ``POLEMOS_BENCH_MILLION`` changes the large size).

Every measurement runs in its own subprocess so that peak RSS and import costs are
those of a real ``polemos run``. Runs are two-level (worlds of 20 paths each, the
default): the summary judges claims on at most ``MAX_LEDGER_WORLDS`` worlds, re-simulating
candidate worlds for decidability, whatever the run's size.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "ukraine-2025-10-budapest.yaml"

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from polemos.scenario import load_scenario
from polemos.engine import RunOptions
from polemos.engine.runner import sweep
from polemos.engine.summary import summarize
from polemos.store import Store
path, draws, backend, workers, store, keep = sys.argv[1:7]
sc = load_scenario(path)
t1 = time.perf_counter()
opts = RunOptions(draws=int(draws), seed=1, backend=backend, workers=int(workers),
                  progress=False, store_params=keep == "1", chunk=None)
st = Store(store)
run_id = sweep(sc, opts, st)
t2 = time.perf_counter()
summary = summarize(st, run_id)
t3 = time.perf_counter()
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"cpu": time.process_time(), "load": t1 - t0, "run": t3 - t1, "sweep": t2 - t1, "summary": t3 - t2,
                  "rss_mb": own / 1024, "child_rss_mb": kids / 1024,
                  "draws": summary["draws"]}))
"""


def _measure(draws: int, backend: str = "inprocess", workers: int = 1, keep: bool = True) -> dict:
    with tempfile.TemporaryDirectory() as store:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(SCENARIO), str(draws), backend, str(workers), store,
             "1" if keep else "0"],
            check=True, capture_output=True, text=True, cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> str:
    lines = ["## Engine (coupled Monte Carlo)", "",
             f"Scenario: `{SCENARIO.relative_to(ROOT)}`. Times exclude interpreter start-up "
             "and scenario loading; they include simulation, writing every block to the "
             "store and the summary (outcomes, claims ledger, given-data sensitivity).", ""]
    one = _measure(10_000)
    lines += ["| measurement | value |", "| --- | --- |",
              f"| 10,000 draws, in-process: total | {one['run']:.2f} s (target < 10 s) |",
              f"| of which simulation and store / summary | {one['sweep']:.2f} s / "
              f"{one['summary']:.2f} s |",
              f"| scenario load (and imports) | {one['load']:.2f} s |"]
    load = os.getloadavg()[0]
    w1, w2 = _measure(40_000, "processes", 1), _measure(40_000, "processes", 2)
    for _ in range(1):  # repeat, alternating, and keep the best: the machine is shared
        a, b = _measure(40_000, "processes", 1), _measure(40_000, "processes", 2)
        w1 = min(w1, a, key=lambda r: r["sweep"])
        w2 = min(w2, b, key=lambda r: r["sweep"])
    lines += [f"| 40,000 draws, sweep with 1 worker process | {w1['sweep']:.2f} s |",
              f"| 40,000 draws, sweep with 2 worker processes | {w2['sweep']:.2f} s |",
              f"| speed-up 1 -> 2 workers (sweep) | {w1['sweep'] / w2['sweep']:.2f}x "
              f"(best of 2; load average {load:.1f} on {os.cpu_count()} cores before) |"]
    big = int(os.environ.get("POLEMOS_BENCH_MILLION", 1_000_000))
    small = _measure(100_000, keep=False)
    large = _measure(big, keep=False)
    lines += [f"| 100,000 draws: time, peak RSS | {small['run']:.1f} s, {small['rss_mb']:.0f} MB |",
              f"| {big:,} draws: time, peak RSS | {large['run']:.1f} s, {large['rss_mb']:.0f} MB |",
              f"| peak RSS ratio ({big:,} / 100,000 draws) | {large['rss_mb'] / small['rss_mb']:.2f} |"]
    lines += ["", "Memory is bounded by the block (2,500 draws) and the in-flight tasks: "
              "aggregates are merged block by block, and the claims ledger and given-data "
              "sensitivity read a fixed prefix of the run (2,000 worlds and 50,000 draws)."
              f" Load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
              "(other work shares the machine; wall times and the speed-up suffer when it "
              "exceeds the core count, peak memory does not)."]
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())
