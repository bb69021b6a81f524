"""The embedded store: a DuckDB run catalog and Parquet results under ``.polemos/``.

Layout::

    <root>/catalog.duckdb                 runs (id, scenario, hash, seed, design, draws,
                                          versions, status, ...), parameters, results
    <root>/runs/<run_id>/run.json         the run's catalog record, configuration, scenario
    <root>/runs/<run_id>/parameters.json  the uncertain inputs (the catalog's parameters)
    <root>/runs/<run_id>/blocks/b000123.parquet   per-draw table of block 123
    <root>/runs/<run_id>/blocks/b000123.npz       mergeable aggregates of block 123
    <root>/runs/<run_id>/blocks/b000123.sum       its checksum record (written last)
    <root>/runs/<run_id>/running.json     the process running it (while it runs)
    <root>/runs/<run_id>/summary.json     outcomes, claims ledger, curves, sensitivity
    <root>/runs/<run_id>/results.json     the catalog's result rows

A block is written atomically (temporary file, then ``os.replace``): the aggregates, the
Parquet file, then the checksum record naming the run, the block and the SHA-256 of both
files, so the record's existence is the mark that the block is complete. Every read
checks the block against its record, and ``--resume`` keeps only blocks that match:
truncated, garbled, deleted or copied-in blocks are computed again (to the same bits).
``polemos runs verify`` names damaged blocks; ``polemos runs repair`` recomputes them.

The catalog holds nothing the run directories do not: a missing or corrupt catalog is
rebuilt from them. A run whose process died shows as ``interrupted``. A full disk or a
read-only store raises :class:`~polemos.store.errors.StoreError` with what to do, and
leaves no temporary file behind.
"""

from polemos.store.store import Store, default_root

__all__ = ["Store", "default_root"]
