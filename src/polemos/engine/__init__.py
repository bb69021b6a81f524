"""The coupled simulation: a weekly loop of stages, run as a chunked Monte Carlo sweep.

    from polemos.engine import RunOptions, run_scenario
    run_id, summary = run_scenario(scenario, RunOptions(draws=2000, seed=1), Store(".polemos"))

See ``docs/architecture.md`` for the loop and what each stage reads and writes.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from polemos.engine.runner import RunOptions, sweep
from polemos.store import Store

__all__ = ["RunOptions", "run_scenario", "sweep"]


def run_scenario(scenario: Any, opts: RunOptions, store: Store, *, path: str = "",
                 sensitivity: int = 0,
                 status: Callable[[str], AbstractContextManager[Any]] | None = None
                 ) -> tuple[str, dict[str, Any]]:
    """Simulate (or resume) and summarise; return ``(run_id, summary)``.

    ``sensitivity > 0`` also runs the SALib analysis with that base sample size.
    ``status(message)``, when given, wraps each step after the sweep (whose progress
    ``opts.progress`` shows), e.g. a spinner of the command line.
    """
    from polemos.engine.summary import attach_sensitivity, summarize

    step = status or (lambda _message: nullcontext())
    run_id = sweep(scenario, opts, store, path=path)
    with step("judging outcomes and claims across worlds"):
        summary = summarize(store, run_id)
    if sensitivity > 0:
        with step(f"sensitivity analysis (SALib, {sensitivity} base samples)"):
            summary = attach_sensitivity(store, run_id, sensitivity)
    return run_id, summary
