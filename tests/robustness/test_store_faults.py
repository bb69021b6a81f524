"""Damaged stores: checksums, verify/repair, resume, catalog rebuild, disk faults, seeds."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

from polemos.cli.app import main
from polemos.engine import RunOptions
from polemos.engine.repair import repair_run
from polemos.engine.runner import sweep
from polemos.engine.summary import summarize
from polemos.scenario import load_scenario
from polemos.store import Store
from polemos.store.errors import BlockDamaged, StoreError

FIXTURE = Path(__file__).parents[1] / "engine" / "fixtures" / "mini.yaml"


@pytest.fixture(scope="module")
def mini():
    return load_scenario(FIXTURE)


def _opts(**kw) -> RunOptions:
    return RunOptions(**{"draws": 500, "seed": 7, "block_size": 100, "progress": False, **kw})


def _run(store: Store, sc, **kw) -> str:
    rid = sweep(sc, _opts(**kw), store)
    summarize(store, rid)
    return rid


def _draws(store: Store, rid: str):
    return store.read_draws(rid)


def _block(store: Store, rid: str, b: int, ext: str) -> Path:
    return store.run_dir(rid) / "blocks" / f"b{b:06d}.{ext}"


def test_each_block_records_its_checksum(tmp_path: Path, mini) -> None:
    st = Store(tmp_path)
    rid = _run(st, mini)
    rec = json.loads(_block(st, rid, 3, "sum").read_text())
    assert rec["run_id"] == rid and rec["block"] == 3 and len(rec["parquet"]) == 64
    assert st.verify(rid) == {}
    assert main(["runs", "verify", rid, "--store", str(tmp_path)]) == 0


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, mini) -> tuple[Path, str, str]:
    """A store with two complete runs (seeds 7 and 8), copied by each test."""
    root = tmp_path_factory.mktemp("template")
    st = Store(root)
    return root, _run(st, mini), _run(st, mini, seed=8)


@pytest.mark.parametrize("damage", ["truncate_parquet", "truncate_npz", "garble_header",
                                    "delete", "foreign_block", "foreign_files"])
def test_verify_names_the_block_and_repair_restores_the_bits(tmp_path: Path, template,
                                                              damage: str) -> None:
    shutil.copytree(template[0], tmp_path, dirs_exist_ok=True)
    st = Store(tmp_path)
    rid, other = template[1], template[2]
    before = _draws(st, rid)
    sums = {b: json.loads(_block(st, rid, b, "sum").read_text()) for b in range(5)}
    if damage == "truncate_parquet":
        os.truncate(_block(st, rid, 2, "parquet"), 50)
    elif damage == "truncate_npz":
        os.truncate(_block(st, rid, 2, "npz"), 10)
    elif damage == "garble_header":
        with open(_block(st, rid, 2, "parquet"), "r+b") as fh:
            fh.write(b"JUNK")
    elif damage == "delete":
        for ext in ("parquet", "npz", "sum"):
            _block(st, rid, 2, ext).unlink()
    else:  # a block of another run (same block index, other seed) copied in
        exts = ("parquet",) if damage == "foreign_block" else ("parquet", "npz", "sum")
        for ext in exts:
            shutil.copy(_block(st, other, 2, ext), _block(st, rid, 2, ext))
    assert list(st.verify(rid)) == [2]
    assert main(["runs", "verify", rid, "--store", str(tmp_path)]) == 1
    if damage != "delete":
        with pytest.raises(BlockDamaged, match="block 2 of run"):
            _draws(st, rid)
    out = repair_run(st, rid)
    assert out["repaired"] == [2] and out["left"] == {}
    assert _draws(st, rid).equals(before)
    assert json.loads(_block(st, rid, 2, "sum").read_text()) == sums[2]  # the same bits
    assert main(["runs", "verify", rid, "--store", str(tmp_path)]) == 0


def test_resume_recomputes_damaged_blocks(tmp_path: Path, mini) -> None:
    st = Store(tmp_path)
    rid = sweep(mini, _opts(), st)
    before = _draws(st, rid)
    st.set_status(rid, "running")  # as if killed before the summary
    os.truncate(_block(st, rid, 1, "parquet"), 30)
    with open(_block(st, rid, 4, "npz"), "r+b") as fh:
        fh.write(b"\0\0\0\0")
    assert sweep(mini, _opts(resume=True), st) == rid
    assert st.verify(rid) == {}
    assert _draws(st, rid).equals(before)
    summarize(st, rid)
    assert st.get_run(rid)["status"] == "complete"


def test_catalog_is_rebuilt_when_missing_or_corrupt(tmp_path: Path, mini) -> None:
    st = Store(tmp_path)
    done = _run(st, mini)
    unfinished = sweep(mini, _opts(seed=9), st)  # simulated, not summarised
    (st.run_dir(unfinished) / "summary.json").unlink(missing_ok=True)
    cat = tmp_path / "catalog.duckdb"
    cat.unlink()
    rows = {r["run_id"]: r for r in Store(tmp_path).runs()}
    assert rows[done]["status"] == "complete" and rows[unfinished]["status"] == "simulated"
    cat.write_bytes(b"this is not a database" * 100)
    rows = {r["run_id"]: r for r in Store(tmp_path).runs()}
    assert set(rows) == {done, unfinished}
    assert any(p.name.startswith("catalog.duckdb.damaged-") for p in tmp_path.iterdir())
    assert main(["runs", "show", done, "--store", str(tmp_path), "--json"]) == 0


def test_a_run_whose_process_died_shows_as_interrupted(tmp_path: Path, mini) -> None:
    st = Store(tmp_path)
    rid = sweep(mini, _opts(), st)
    st.set_status(rid, "running")
    assert st.get_run(rid)["status"] == "running"  # this process is alive
    marker = st.run_dir(rid) / "running.json"
    owner = json.loads(marker.read_text())
    marker.write_text(json.dumps({**owner, "pid": 2**22 + 12345}))  # no such process
    assert st.get_run(rid)["status"] == "interrupted"
    marker.unlink()
    assert st.get_run(rid)["status"] == "interrupted"


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_write_faults_are_clear_and_leave_no_temp_files(tmp_path: Path, mini, code: int,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow.parquet as pq

    st = Store(tmp_path)
    calls = {"n": 0}
    real = pq.write_table

    def failing(table, where, *a, **kw):
        calls["n"] += 1
        if calls["n"] == 3:
            real(table, where, *a, **kw)  # a partial file is written, then the disk fails
            raise OSError(code, os.strerror(code))
        return real(table, where, *a, **kw)

    monkeypatch.setattr(pq, "write_table", failing)
    with pytest.raises(StoreError, match="no space left|not writable"):
        sweep(mini, _opts(), st)
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    rid = st.latest()
    assert st.get_run(rid)["status"] == "interrupted"
    monkeypatch.setattr(pq, "write_table", real)
    assert sweep(mini, _opts(resume=True), st) == rid and st.verify(rid) == {}


def test_cli_reports_store_faults_with_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self, *a, **kw):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Path, "mkdir", refuse)
    code = main(["run", str(FIXTURE), "--draws", "10", "--store", str(tmp_path / "ro")])
    assert code == 2


@pytest.mark.parametrize("seed", ["-1", str(2**64), "1e3", "x"])
def test_bad_seeds_exit_2_before_creating_anything(tmp_path: Path, seed: str) -> None:
    store = tmp_path / "st"
    assert main(["run", str(FIXTURE), "--draws", "10", "--seed", seed, "--store", str(store)]) == 2
    assert not store.exists()
