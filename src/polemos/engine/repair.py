"""``polemos runs repair``: recompute a run's damaged or missing blocks to the same bits.

A block's draws depend only on ``(scenario, seed, design, draws, block_size, block)``
(see :mod:`polemos.engine.runner`), so a block computed again equals the one lost, bit
for bit; its checksum record is written anew.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from polemos.store import Store
from polemos.store.errors import StoreError


def repair_run(store: Store, run_id: str) -> dict[str, Any]:
    """Recompute every block :meth:`Store.verify` reports; summarise a run left without a
    summary. Returns ``{"repaired": [blocks], "problems": {block: why}, "summarised": bool}``."""
    from polemos.engine.runner import job_of_run, run_blocks
    from polemos.engine.summary import summarize

    if store.get_run(run_id)["status"] == "running":
        raise StoreError(f"run {run_id} is still running; repair it once it stops")
    bad = store.verify(run_id)
    if bad:
        options = store.config(run_id).get("options", {})
        job = dataclasses.replace(job_of_run(store, run_id),
                                  store_params=bool(options.get("store_params", True)))
        for res in run_blocks(job, sorted(bad)):
            store.write_block(run_id, res.block, res.columns, res.aggregates)
    left = store.verify(run_id)
    summarised = False
    if not left:
        try:
            store.summary(run_id)
        except KeyError:
            summarize(store, run_id)
            summarised = True
    return {"repaired": sorted(bad), "problems": bad, "left": left, "summarised": summarised}
