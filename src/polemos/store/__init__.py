"""The embedded store: a DuckDB run catalog and Parquet results under ``.polemos/``.

Layout::

    <root>/catalog.duckdb                 runs (id, scenario, hash, seed, design, draws,
                                          versions, status, ...), parameters, results
    <root>/runs/<run_id>/run.json         the run's configuration and scenario data
    <root>/runs/<run_id>/blocks/b000123.parquet   per-draw table of block 123
    <root>/runs/<run_id>/blocks/b000123.npz       mergeable aggregates of block 123
    <root>/runs/<run_id>/summary.json     outcomes, claims ledger, curves, sensitivity

A block is written atomically (temporary file, then ``os.replace``; the aggregates
first, the Parquet file last), so the Parquet file's existence is the record that the
block is complete. A run killed at any moment (even SIGKILL) leaves only complete
blocks, and ``--resume`` computes exactly the missing ones.
"""

from polemos.store.store import Store, default_root

__all__ = ["Store", "default_root"]
