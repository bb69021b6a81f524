"""Rebuilding the catalog from the runs' own files.

Each run directory holds everything the catalog says about it: ``run.json`` (the
catalog record and the configuration), ``parameters.json``, ``results.json`` and
``summary.json`` once summarised, the blocks with their checksum records, and
``running.json`` while a process runs it. So a missing or corrupt ``catalog.duckdb`` is
rebuilt, never fatal; a corrupt one is kept aside for inspection.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import duckdb


def rebuild(store: Any, corrupt: bool = False) -> int:
    """Write a fresh catalog for ``store`` from its run directories; return the run count.

    ``corrupt``: the present catalog is unreadable and is moved aside first. Otherwise
    the catalog is missing, and the new one is put in place only if no other process
    has created one meanwhile (``os.link`` refuses to replace a file)."""
    from polemos.store.store import SCHEMA

    root: Path = store.root
    path = root / "catalog.duckdb"
    if corrupt:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        for p in (path, path.with_name(path.name + ".wal")):
            if p.exists():
                os.replace(p, p.with_name(f"{p.name}.damaged-{stamp}"))
    elif path.exists():
        return 0
    tmp = root / f".catalog.{os.getpid()}.rebuild.duckdb"
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        con.execute(SCHEMA)
        columns = [r[0] for r in con.execute("DESCRIBE runs").fetchall()]
        n = 0
        runs = root / "runs"
        for d in sorted(runs.iterdir()) if runs.is_dir() else []:
            record = _record(d)
            if record is None:
                continue
            record["status"] = _status(store, d.name, d)
            cols = [c for c in columns if c in record]
            con.execute(f"INSERT OR REPLACE INTO runs ({', '.join(cols)}) "
                        f"VALUES ({', '.join('?' * len(cols))})", [record[c] for c in cols])
            for i, p in enumerate(_json(d / "parameters.json") or []):
                con.execute("INSERT INTO parameters VALUES (?, ?, ?, ?, ?, ?)",
                            [d.name, i, p.get("path"), p.get("dist", ""), p.get("central"),
                             json.dumps(p, default=str)])
            for row in _json(d / "results.json") or []:
                con.execute("INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?)", [d.name, *row])
            n += 1
    finally:
        con.close()
    try:
        os.link(tmp, path)
    except FileExistsError:
        n = 0  # another process catalogued the store meanwhile: its catalog stands
    finally:
        tmp.unlink(missing_ok=True)
    return n


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _record(d: Path) -> dict[str, Any] | None:
    cfg = _json(d / "run.json")
    if not isinstance(cfg, dict) or not isinstance(cfg.get("record"), dict):
        return None
    record = dict(cfg["record"])
    return record if record.get("run_id") == d.name else None


def _status(store: Any, run_id: str, d: Path) -> str:
    if (d / "summary.json").exists():
        return "complete"
    if (d / "running.json").exists() and store.is_alive(run_id):
        return "running"
    rec = _json(d / "run.json")["record"]
    n_blocks = -(-int(rec["draws"]) // int(rec["block_size"]))
    return "simulated" if len(store.done_blocks(run_id)) == n_blocks else "interrupted"
