"""The coupled simulation: a weekly loop of stages, run as a chunked Monte Carlo sweep.

    from polemos.engine import RunOptions, run_scenario
    run_id, summary = run_scenario(scenario, RunOptions(draws=2000, seed=1), Store(".polemos"))

See ``docs/architecture.md`` for the loop and what each stage reads and writes.
"""

from __future__ import annotations

from typing import Any

from polemos.engine.runner import RunOptions, sweep
from polemos.store import Store

__all__ = ["RunOptions", "run_scenario", "sweep"]


def run_scenario(scenario: Any, opts: RunOptions, store: Store, *, path: str = ""
                 ) -> tuple[str, dict[str, Any]]:
    """Simulate (or resume) and summarise; return ``(run_id, summary)``."""
    from polemos.engine.summary import summarize

    run_id = sweep(scenario, opts, store, path=path)
    return run_id, summarize(store, run_id)
