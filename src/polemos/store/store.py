"""The run store (see :mod:`polemos.store` for the layout and the crash guarantees)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY, scenario_id VARCHAR, title VARCHAR, path VARCHAR,
    content_hash VARCHAR, seed BIGINT, design VARCHAR, draws BIGINT, block_size INTEGER,
    overrides VARCHAR, versions VARCHAR, status VARCHAR, created VARCHAR, finished VARCHAR,
    n_params INTEGER
);
CREATE TABLE IF NOT EXISTS parameters (
    run_id VARCHAR, idx INTEGER, path VARCHAR, dist VARCHAR, central DOUBLE, spec VARCHAR
);
CREATE TABLE IF NOT EXISTS results (
    run_id VARCHAR, kind VARCHAR, id VARCHAR, value DOUBLE, low DOUBLE, high DOUBLE,
    verdict VARCHAR
);
"""


_LOCK = threading.RLock()


def default_root() -> Path:
    return Path(os.environ.get("POLEMOS_STORE", ".polemos"))


def _atomic_write(path: Path, write) -> None:
    """Write via a temporary file and ``os.replace``: readers never see a torn file.

    Surviving a killed process needs no ``fsync`` (the kernel keeps the written pages);
    set ``POLEMOS_FSYNC=1`` to also survive a power cut, at some cost in speed.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    write(tmp)
    if os.environ.get("POLEMOS_FSYNC"):
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
    os.replace(tmp, path)


class Store:
    """A store rooted at ``root`` (created on first use)."""

    def __init__(self, root: str | Path | None = None):
        self.root = Path(root) if root is not None else default_root()

    # -- catalog --------------------------------------------------------------------
    @contextmanager
    def catalog(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived connection (the catalog is never held open during a sweep)."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / "catalog.duckdb"
        if read_only and not path.exists():
            read_only = False
        with _LOCK:  # one connection at a time within a process; other processes wait
            con = _connect(path, read_only)
            try:
                if not read_only:
                    con.execute(SCHEMA)
                yield con
            finally:
                con.close()

    def run_dir(self, run_id: str) -> Path:
        return self.root / "runs" / run_id

    def create_run(self, record: dict[str, Any], parameters: list[dict[str, Any]],
                   config: dict[str, Any]) -> None:
        d = self.run_dir(record["run_id"])
        (d / "blocks").mkdir(parents=True, exist_ok=True)
        _atomic_write(d / "run.json", lambda p: p.write_text(json.dumps(config, default=str)))
        cols = list(record)
        with self.catalog() as con:
            con.execute(
                f"INSERT INTO runs ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [record[c] for c in cols],
            )
            if parameters:
                import pandas as pd

                rows = pd.DataFrame(
                    [(record["run_id"], i, p["path"], p.get("dist", ""), p.get("central"),
                      json.dumps(p, default=str)) for i, p in enumerate(parameters)],
                    columns=["run_id", "idx", "path", "dist", "central", "spec"])
                con.register("new_parameters", rows)
                con.execute("INSERT INTO parameters SELECT * FROM new_parameters")
                con.unregister("new_parameters")

    def set_status(self, run_id: str, status: str) -> None:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.catalog() as con:
            con.execute("UPDATE runs SET status = ?, finished = ? WHERE run_id = ?",
                        [status, now, run_id])

    def runs(self) -> list[dict[str, Any]]:
        if not (self.root / "catalog.duckdb").exists():
            return []
        with self.catalog(read_only=True) as con:
            rel = con.execute("SELECT * FROM runs ORDER BY created, run_id")
            names = [c[0] for c in rel.description]
            rows = [dict(zip(names, r, strict=True)) for r in rel.fetchall()]
        for row in rows:
            row["blocks_done"] = len(self.done_blocks(row["run_id"]))
        return rows

    def get_run(self, run_id: str) -> dict[str, Any]:
        matches = [r for r in self.runs() if r["run_id"] == run_id]
        if not matches:
            prefix = [r for r in self.runs() if r["run_id"].startswith(run_id)]
            if len(prefix) == 1:
                return prefix[0]
            known = ", ".join(r["run_id"] for r in self.runs()[-5:]) or "none"
            raise KeyError(f"no run {run_id!r} in {self.root} (recent: {known})")
        return matches[0]

    def latest(self) -> str | None:
        rows = self.runs()
        return rows[-1]["run_id"] if rows else None

    def find_resumable(self, key: dict[str, Any]) -> str | None:
        """The newest unfinished run with the same configuration ``key``, if any."""
        for row in reversed(self.runs()):
            if row["status"] != "complete" and all(row.get(k) == v for k, v in key.items()):
                return row["run_id"]
        return None

    def config(self, run_id: str) -> dict[str, Any]:
        return json.loads((self.run_dir(run_id) / "run.json").read_text())

    # -- blocks ---------------------------------------------------------------------
    def _block_paths(self, run_id: str, block: int) -> tuple[Path, Path]:
        d = self.run_dir(run_id) / "blocks"
        return d / f"b{block:06d}.parquet", d / f"b{block:06d}.npz"

    def write_block(self, run_id: str, block: int, columns: dict[str, np.ndarray],
                    aggregates: dict[str, np.ndarray]) -> None:
        table_path, agg_path = self._block_paths(run_id, block)
        _atomic_write(agg_path, lambda p: _savez(p, aggregates))
        table = pa.table({k: pa.array(v) for k, v in columns.items()})
        _atomic_write(table_path, lambda p: pq.write_table(table, p))

    def done_blocks(self, run_id: str) -> set[int]:
        d = self.run_dir(run_id) / "blocks"
        if not d.exists():
            return set()
        done = set()
        for p in d.glob("b*.parquet"):
            m = re.fullmatch(r"b(\d+)\.parquet", p.name)
            if m and p.with_suffix(".npz").exists():
                done.add(int(m.group(1)))
        return done

    def read_aggregates(self, run_id: str, block: int) -> dict[str, np.ndarray]:
        with np.load(self._block_paths(run_id, block)[1], allow_pickle=False) as z:
            return {k: z[k] for k in z.files}

    def read_columns(self, run_id: str, block: int, columns: list[str] | None = None) -> pa.Table:
        return pq.read_table(self._block_paths(run_id, block)[0], columns=columns)

    def read_draws(self, run_id: str, columns: list[str] | None = None):
        """Every stored draw of a run, ordered by draw index (a pandas DataFrame)."""
        glob = self.block_glob(run_id).replace("'", "''")
        cols = "*" if columns is None else ", ".join(f'"{c}"' for c in columns)
        con = duckdb.connect()
        try:
            return con.execute(
                f"SELECT {cols} FROM read_parquet('{glob}') ORDER BY draw"
            ).df()
        finally:
            con.close()

    def block_glob(self, run_id: str) -> str:
        return str(self.run_dir(run_id) / "blocks" / "b*.parquet")

    # -- results --------------------------------------------------------------------
    def write_summary(self, run_id: str, summary: dict[str, Any], rows: list[tuple]) -> None:
        path = self.run_dir(run_id) / "summary.json"
        _atomic_write(path, lambda p: p.write_text(json.dumps(summary, default=str)))
        with self.catalog() as con:
            con.execute("DELETE FROM results WHERE run_id = ?", [run_id])
            if rows:
                con.executemany("INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?)",
                                [(run_id, *r) for r in rows])

    def summary(self, run_id: str) -> dict[str, Any]:
        path = self.run_dir(run_id) / "summary.json"
        if not path.exists():
            raise KeyError(f"run {run_id} has no summary yet (unfinished? try --resume)")
        return json.loads(path.read_text())

    def export(self, run_id: str, out: Path, fmt: str) -> Path:
        """Every draw of a run as one CSV or Parquet file (via DuckDB)."""
        glob = self.block_glob(run_id).replace("'", "''")
        target = str(out).replace("'", "''")
        option = "(FORMAT PARQUET)" if fmt == "parquet" else "(HEADER, DELIMITER ',')"
        con = duckdb.connect()
        try:
            con.execute(
                f"COPY (SELECT * FROM read_parquet('{glob}', filename=false) ORDER BY draw) "
                f"TO '{target}' {option}"
            )
        finally:
            con.close()
        return out


def _connect(path: Path, read_only: bool, wait: float = 20.0) -> duckdb.DuckDBPyConnection:
    """Open the catalog, waiting while another process briefly holds its lock."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _savez(path: Path, arrays: dict[str, np.ndarray]) -> None:
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)  # type: ignore[arg-type]
