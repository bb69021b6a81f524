"""The run store (see :mod:`polemos.store` for the layout and the crash guarantees)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import socket
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

from polemos.store.errors import BlockDamaged, StoreError, os_error

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
TABLES = ("parameters", "results", "runs")
"""The catalog's tables (SCHEMA): a catalog that has them all needs no CREATE."""


_LOCK = threading.RLock()


def default_root() -> Path:
    return Path(os.environ.get("POLEMOS_STORE", ".polemos"))


def _atomic_write(path: Path, write, root: Path | None = None) -> str:
    """Write via a temporary file and ``os.replace``: readers never see a torn file.

    Returns the SHA-256 of what was written. A failure (full disk, read-only store)
    removes the temporary file and raises a :class:`StoreError` saying what to do.
    Surviving a killed process needs no ``fsync`` (the kernel keeps the written pages);
    set ``POLEMOS_FSYNC=1`` to also survive a power cut, at some cost in speed.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        write(tmp)
        digest = _sha256(tmp)
        if os.environ.get("POLEMOS_FSYNC"):
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise os_error(exc, path, root or path.parent) from None
        raise
    return digest


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Store:
    """A store rooted at ``root`` (created on first use)."""

    def __init__(self, root: str | Path | None = None):
        self.root = Path(root) if root is not None else default_root()

    @property
    def _verified(self) -> dict[tuple[str, int], tuple[int, ...]]:
        """Blocks found intact, by the (mtime, size, inode) of their files: not hashed again."""
        return vars(self).setdefault("_verified_blocks", {})

    # -- catalog --------------------------------------------------------------------
    @contextmanager
    def catalog(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived connection (the catalog is never held open during a sweep).

        A missing or corrupt catalog is rebuilt from the runs' own files (a corrupt one
        is kept beside it as ``catalog.duckdb.damaged-<time>``)."""
        self._mkdir(self.root)
        path = self.root / "catalog.duckdb"
        with _LOCK:  # one connection at a time within a process; other processes wait
            if not path.exists() and (self.root / "runs").is_dir():
                self.rebuild_catalog()
            if read_only and not path.exists():
                read_only = False
            try:
                con, tables = _connect(path, read_only)
            except _CatalogCorrupt:
                self.rebuild_catalog(corrupt=True)
                con, tables = _connect(path, read_only)
            try:
                if not read_only and tables < len(TABLES):
                    con.execute(SCHEMA)
                yield con
            finally:
                con.close()

    def _mkdir(self, path: Path) -> None:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_error(exc, path, self.root) from None

    def rebuild_catalog(self, corrupt: bool = False) -> int:
        """Rebuild ``catalog.duckdb`` from every run's ``run.json`` (and the parameters,
        results and status found beside it); return the number of runs catalogued.
        ``corrupt``: move the present, unreadable catalog aside first."""
        from polemos.store.rebuild import rebuild

        return rebuild(self, corrupt=corrupt)

    def run_dir(self, run_id: str) -> Path:
        return self.root / "runs" / run_id

    def create_run(self, record: dict[str, Any], parameters: list[dict[str, Any]],
                   config: dict[str, Any]) -> None:
        d = self.run_dir(record["run_id"])
        if not (self.root / "catalog.duckdb").exists() and not (self.root / "runs").is_dir():
            with self.catalog():  # a new store: its empty catalog first, not one rebuilt
                pass  # (a quarter of a second) from the files of this run written below
        self._mkdir(d / "blocks")
        _atomic_write(d / "parameters.json",
                      lambda p: p.write_text(json.dumps(parameters, default=str)), self.root)
        _atomic_write(d / "run.json", lambda p: p.write_text(json.dumps(config, default=str)),
                      self.root)
        cols = list(record)
        with self.catalog() as con:  # (a catalog rebuilt just now may list the run already)
            con.execute(
                f"INSERT OR REPLACE INTO runs ({', '.join(cols)}) "
                f"VALUES ({', '.join('?' * len(cols))})",
                [record[c] for c in cols],
            )
            con.execute("DELETE FROM parameters WHERE run_id = ?", [record["run_id"]])
            rows = [(record["run_id"], i, p["path"], p.get("dist", ""), p.get("central"),
                     json.dumps(p, default=str)) for i, p in enumerate(parameters)]
            for k in range(0, len(rows), 500):  # a few statements (pandas costs 0.5 s)
                chunk = rows[k:k + 500]
                con.execute("INSERT INTO parameters VALUES "
                            + ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(chunk)),
                            [x for row in chunk for x in row])

    def set_status(self, run_id: str, status: str) -> None:
        """Record ``status``; a ``running`` run also names its process (``running.json``),
        so a run whose process died shows as ``interrupted``."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        marker = self.run_dir(run_id) / "running.json"
        if status == "running":
            owner = {"pid": os.getpid(), "host": socket.gethostname()}
            _atomic_write(marker, lambda p: p.write_text(json.dumps(owner)), self.root)
        with self.catalog() as con:
            con.execute("UPDATE runs SET status = ?, finished = ? WHERE run_id = ?",
                        [status, now, run_id])
        if status != "running":
            marker.unlink(missing_ok=True)

    def is_alive(self, run_id: str) -> bool:
        """Whether the process that marked the run running still runs (same host)."""
        try:
            owner = json.loads((self.run_dir(run_id) / "running.json").read_text())
        except (OSError, ValueError):
            return False
        if owner.get("host") != socket.gethostname():
            return True  # another machine's process: cannot tell, assume it runs
        return _pid_alive(int(owner.get("pid", 0)))

    def runs(self) -> list[dict[str, Any]]:
        if not (self.root / "catalog.duckdb").exists() and not (self.root / "runs").is_dir():
            return []
        with self.catalog(read_only=True) as con:
            rel = con.execute("SELECT * FROM runs ORDER BY created, run_id")
            names = [c[0] for c in rel.description]
            rows = [dict(zip(names, r, strict=True)) for r in rel.fetchall()]
        for row in rows:
            row["blocks_done"] = len(self.done_blocks(row["run_id"]))
            if row["status"] == "running" and not self.is_alive(row["run_id"]):
                row["status"] = "interrupted"
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

    def _sum_path(self, run_id: str, block: int) -> Path:
        return self.run_dir(run_id) / "blocks" / f"b{block:06d}.sum"

    def write_block(self, run_id: str, block: int, columns: dict[str, np.ndarray],
                    aggregates: dict[str, np.ndarray]) -> None:
        """Write a block's files, then its checksum record (``b000123.sum``) last: the
        record names the run and the block and is the mark that the block is complete."""
        table_path, agg_path = self._block_paths(run_id, block)
        self._verified.pop((run_id, block), None)
        try:
            npz = _atomic_write(agg_path, lambda p: _savez(p, aggregates), self.root)
            table = pa.table({k: _arrow_column(v) for k, v in columns.items()})
            parquet = _atomic_write(table_path, lambda p: pq.write_table(table, p), self.root)
            record = {"run_id": run_id, "block": block, "rows": table.num_rows,
                      "parquet": parquet, "npz": npz}
            _atomic_write(self._sum_path(run_id, block),
                          lambda p: p.write_text(json.dumps(record)), self.root)
        except StoreError:
            self._interrupted(run_id)
            raise

    def _interrupted(self, run_id: str) -> None:
        """Mark a run whose block could not be written (best effort: the disk may be full)."""
        try:
            self.set_status(run_id, "interrupted")
        except Exception:  # noqa: BLE001 - the write error is the one to report
            (self.run_dir(run_id) / "running.json").unlink(missing_ok=True)

    def _legacy(self, run_id: str) -> bool:
        """A run written before checksums were recorded (blocks but no ``.sum``)."""
        d = self.run_dir(run_id) / "blocks"
        return not any(d.glob("b*.sum")) and any(d.glob("b*.parquet"))

    def done_blocks(self, run_id: str, verify: bool = False) -> set[int]:
        """Blocks recorded complete; with ``verify``, only those whose files match their
        checksums (what ``--resume`` keeps: damaged blocks are computed again)."""
        d = self.run_dir(run_id) / "blocks"
        if not d.exists():
            return set()
        legacy = self._legacy(run_id)
        done = set()
        for p in d.glob("b*.parquet" if legacy else "b*.sum"):
            m = re.fullmatch(r"b(\d+)\.(?:parquet|sum)", p.name)
            if m and p.with_suffix(".npz").exists() and p.with_suffix(".parquet").exists():
                done.add(int(m.group(1)))
        if verify:
            done = {b for b in done if self.check_block(run_id, b) is None}
        return done

    def check_block(self, run_id: str, block: int) -> str | None:
        """``None`` if the block's files match its checksum record, else what is wrong.

        Blocks of a run written before checksums existed are not checked here (see
        :meth:`verify`, which reports them)."""
        paths = self._block_paths(run_id, block)
        stats = []
        for p in paths:
            try:
                st = p.stat()
            except OSError:
                return f"{p.name} is missing"
            stats += [st.st_mtime_ns, st.st_size, st.st_ino]
        if self._verified.get((run_id, block)) == tuple(stats):
            return None
        sum_path = self._sum_path(run_id, block)
        if not sum_path.exists():
            return None if self._legacy(run_id) else "its checksum record is missing"
        try:
            record = json.loads(sum_path.read_text())
            expected = (record["run_id"], int(record["block"]), record["parquet"], record["npz"])
        except (OSError, ValueError, KeyError, TypeError):
            return "its checksum record is unreadable"
        if expected[:2] != (run_id, block):
            return (f"it belongs to block {expected[1]} of run {expected[0]} "
                    "(copied from elsewhere?)")
        for p, want in zip(paths, expected[2:], strict=True):
            if _sha256(p) != want:
                return f"{p.name} does not match its checksum (truncated or altered)"
        self._verified[(run_id, block)] = tuple(stats)
        return None

    def verify(self, run_id: str) -> dict[int, str]:
        """Every damaged or missing block of the run (block -> what is wrong)."""
        rec = self.config(run_id)["record"]
        n_blocks = -(-int(rec["draws"]) // int(rec["block_size"]))
        legacy = self._legacy(run_id)
        bad = {}
        for b in range(n_blocks):
            table, agg = self._block_paths(run_id, b)
            if not table.exists() and not agg.exists() and not self._sum_path(run_id, b).exists():
                bad[b] = "missing (never written, or deleted)"
            elif legacy:
                bad[b] = "no checksum recorded (written before checksums existed)"
            else:
                why = self.check_block(run_id, b)
                if why is not None:
                    bad[b] = why
        return bad

    def _require(self, run_id: str, block: int) -> None:
        why = self.check_block(run_id, block)
        if why is not None:
            raise BlockDamaged(run_id, block, why)

    def read_aggregates(self, run_id: str, block: int) -> dict[str, np.ndarray]:
        self._require(run_id, block)
        with np.load(self._block_paths(run_id, block)[1], allow_pickle=False) as z:
            return {k: z[k] for k in z.files}

    def read_columns(self, run_id: str, block: int, columns: list[str] | None = None) -> pa.Table:
        self._require(run_id, block)
        # ParquetFile, not read_table: the same table without importing pyarrow.dataset
        with pq.ParquetFile(self._block_paths(run_id, block)[0]) as f:
            return f.read(columns=columns)

    def read_draws(self, run_id: str, columns: list[str] | None = None):
        """Every stored draw of a run, ordered by draw index (a pandas DataFrame)."""
        self._require_all(run_id)
        glob = self.block_glob(run_id).replace("'", "''")
        cols = "*" if columns is None else ", ".join(f'"{c}"' for c in columns)
        con = duckdb.connect()
        try:
            return con.execute(
                f"SELECT {cols} FROM read_parquet('{glob}') ORDER BY draw"
            ).df()
        finally:
            con.close()

    def _require_all(self, run_id: str) -> None:
        d = self.run_dir(run_id) / "blocks"
        for p in sorted(d.glob("b*.parquet")):
            m = re.fullmatch(r"b(\d+)\.parquet", p.name)
            if m:
                self._require(run_id, int(m.group(1)))

    def block_glob(self, run_id: str) -> str:
        return str(self.run_dir(run_id) / "blocks" / "b*.parquet")

    # -- results --------------------------------------------------------------------
    def write_summary(self, run_id: str, summary: dict[str, Any], rows: list[tuple]) -> None:
        d = self.run_dir(run_id)
        _atomic_write(d / "results.json", lambda p: p.write_text(json.dumps(rows, default=str)),
                      self.root)
        _atomic_write(d / "summary.json", lambda p: p.write_text(json.dumps(summary, default=str)),
                      self.root)
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
        self._require_all(run_id)
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


class _CatalogCorrupt(Exception):
    """The catalog file is not a readable DuckDB database."""


def _connect(path: Path, read_only: bool, wait: float = 20.0
             ) -> tuple[duckdb.DuckDBPyConnection, int]:
    """Open the catalog, waiting while another process briefly holds its lock; return
    the connection and how many of :data:`TABLES` it has (reading that list is also the
    check that the file is a readable database)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            text = str(exc)
            if "not a valid DuckDB database" in text or "Corrupt" in text:
                raise _CatalogCorrupt(text) from None
            if "lock" not in text.lower():
                raise StoreError(f"cannot open the catalog {path}: {text}; choose another "
                                 "store with --store") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
            continue
        except duckdb.Error as exc:
            raise _CatalogCorrupt(str(exc)) from None
        try:
            names = {r[0] for r in con.execute(
                "SELECT table_name FROM information_schema.tables").fetchall()}
        except duckdb.Error as exc:
            con.close()
            raise _CatalogCorrupt(str(exc)) from None
        return con, len(names & set(TABLES))


def _arrow_column(values: np.ndarray) -> pa.Array:
    """The Arrow array ``pa.array(values)`` gives, built from the numbers' buffer when
    ``values`` is a 1-d array of native numbers: ``pa.array`` asks pandas whether the
    array is categorical and so imports it (half a second) on every run (issue 15)."""
    v = np.asarray(values)
    if v.ndim == 1 and v.dtype.kind in "iuf" and v.dtype.isnative:
        v = np.ascontiguousarray(v)
        return pa.Array.from_buffers(pa.from_numpy_dtype(v.dtype), len(v),
                                     [None, pa.py_buffer(v)])
    return pa.array(v)


_NUMPY = {pa.float64(): np.float64, pa.float32(): np.float32, pa.int64(): np.int64,
          pa.int32(): np.int32, pa.int16(): np.int16, pa.int8(): np.int8,
          pa.uint64(): np.uint64, pa.uint32(): np.uint32, pa.uint16(): np.uint16,
          pa.uint8(): np.uint8}


def column_values(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """``column.to_numpy()`` without importing pandas (which ``to_numpy`` does, half a
    second): numbers without nulls are read from their buffers, anything else is
    converted by Arrow."""
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    dtype = _NUMPY.get(column.type)
    if dtype is None or any(c.null_count for c in chunks):
        return column.to_numpy()
    parts = [np.frombuffer(c.buffers()[1], dtype=dtype, count=len(c), offset=c.offset *
                           np.dtype(dtype).itemsize) for c in chunks]
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)


def _savez(path: Path, arrays: dict[str, np.ndarray]) -> None:
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)  # type: ignore[arg-type]
