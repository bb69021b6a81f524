"""The claims ledger by worlds on the Budapest seed: 500 worlds x 20 paths, with
decidability and conditions; CPU seconds of each stage (issue 9's speed target: 30 s).

The stages are timed by wrapping the functions that do them (CPU time of this process,
``time.process_time``, so other load on the machine does not count), in one run:
the sweep (simulation, store), the per-world evaluation of every claim (Bayesian
bootstrap weights, credence, candidate worlds), the re-simulation of the targeted
worlds, and the rows (decidability, drivers with stability, conditions, readings).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORLDS, PATHS = 500, 20


def _timed(owner, name, bucket, key):
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        t = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            bucket[key] = bucket.get(key, 0.0) + time.process_time() - t

    setattr(owner, name, wrapper)
    return original


def measure() -> dict[str, float]:
    import polemos.engine as E
    import polemos.engine.ledger as L
    import polemos.engine.summary as S
    from polemos.engine import RunOptions, run_scenario
    from polemos.scenario import load_scenario
    from polemos.store import Store

    bucket: dict[str, float] = {}
    saved = [
        (E, "sweep", _timed(E, "sweep", bucket, "simulation (sweep)")),
        (S, "world_ledger", _timed(S, "world_ledger", bucket, "claims ledger, in all")),
        (L.WorldLedger, "__init__", _timed(L.WorldLedger, "__init__", bucket,
                                           "per-world evaluation of the claims")),
        (L.WorldLedger, "finish", _timed(L.WorldLedger, "finish", bucket,
                                         "rows: decidability, drivers, conditions")),
        (L, "tree_conditions", _timed(L, "tree_conditions", bucket, "  of which conditions")),
    ]
    import polemos.engine.loop as loop

    saved.append((loop, "simulate_block", _timed(loop, "simulate_block", bucket,
                                                  "  of which targeted worlds simulated again")))
    sc = load_scenario(ROOT / "scenarios" / "ukraine-2025-10-budapest.yaml")
    t0 = time.process_time()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            run_scenario(sc, RunOptions(worlds=WORLDS, paths=PATHS, seed=1, progress=False),
                         Store(Path(tmp)))
    finally:
        for owner, name, original in saved:
            if original is not None:
                setattr(owner, name, original)
    bucket["whole run (CPU)"] = time.process_time() - t0
    return bucket


def main() -> str:
    b = measure()
    total = b["whole run (CPU)"]
    lines = ["## Claims ledger by worlds (issue 9)", "",
             f"Budapest seed, {WORLDS} worlds x {PATHS} paths ({WORLDS * PATHS:,} draws), "
             "ledger with decidability (targeted worlds simulated again with 48 paths each) "
             "and conditions; CPU seconds of this process per stage.", "",
             "| stage | CPU s | share |", "|---|---:|---:|"]
    for key, value in b.items():
        lines.append(f"| {key} | {value:.2f} | {value / total:.0%} |")
    verdict = "met" if total <= 30 else "**not met**"
    lines += ["", f"Target: at most 30 s for the whole run: {total:.1f} s, {verdict}."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(main())
