"""The catalog tolerates concurrent writers and torn temporary files."""

from __future__ import annotations

import threading

import numpy as np

from polemos.store import Store


def _record(run_id: str) -> dict:
    return {"run_id": run_id, "scenario_id": "s", "title": "t", "path": "", "content_hash": "h",
            "seed": 1, "design": "plain", "draws": 10, "block_size": 5, "overrides": "{}",
            "versions": "{}", "status": "created", "created": run_id, "finished": None,
            "n_params": 0}


def test_concurrent_runs_share_the_catalog(tmp_path):
    st = Store(tmp_path)
    threads = [threading.Thread(target=st.create_run, args=(_record(f"r{i}"), [], {}))
               for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r["run_id"] for r in st.runs()) == ["r0", "r1", "r2", "r3"]


def test_only_complete_blocks_count(tmp_path):
    st = Store(tmp_path)
    st.create_run(_record("r"), [], {})
    st.write_block("r", 0, {"draw": np.arange(5)}, {"n": np.array([5])})
    blocks = tmp_path / "runs" / "r" / "blocks"
    (blocks / ".b000001.parquet.123.tmp").write_bytes(b"torn")
    (blocks / "b000002.npz").write_bytes(b"aggregates without their table")
    assert st.done_blocks("r") == {0}
    assert st.find_resumable({"content_hash": "h", "seed": 1}) == "r"


def _catalog_rows(st: Store, table: str) -> list[tuple]:
    with st.catalog(read_only=True) as con:
        return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


def test_catalog_parameters_are_those_a_rebuild_finds(tmp_path):
    """create_run's parameter rows (one Arrow insert) are exactly those the rebuild reads
    back from parameters.json, so the catalog holds nothing the run directory does not."""
    st = Store(tmp_path)
    params = [{"path": "a.b", "central": 0.1 + 0.2, "dist": "uniform", "low": 0, "high": 1},
              {"path": "c[0].d", "central": -3.5e14, "dist": "normal", "mean": 1, "sd": 2},
              {"path": "e", "central": 2.0}]
    st.create_run({**_record("r"), "n_params": 3}, params, {"record": _record("r")})
    before = _catalog_rows(st, "parameters")
    assert [r[:5] for r in before] == [("r", 0, "a.b", "uniform", 0.1 + 0.2),
                                       ("r", 1, "c[0].d", "normal", -3.5e14),
                                       ("r", 2, "e", "", 2.0)]
    (tmp_path / "catalog.duckdb").unlink()
    assert st.rebuild_catalog() == 1
    assert _catalog_rows(st, "parameters") == before


def test_a_catalog_missing_a_table_gets_it_back(tmp_path):
    st = Store(tmp_path)
    st.create_run(_record("r"), [], {})
    with st.catalog() as con:
        con.execute("DROP TABLE results")
    st.write_summary("r", {}, [("outcome", "x", 0.5, 0.4, 0.6, None)])
    assert _catalog_rows(st, "results") == [("r", "outcome", "x", 0.5, 0.4, 0.6, None)]


def test_read_columns_is_the_whole_parquet_table(tmp_path):
    import pyarrow.parquet as pq

    st = Store(tmp_path)
    st.create_run(_record("r"), [], {})
    st.write_block("r", 0, {"draw": np.arange(5), "o:x": np.linspace(0, 1, 5)},
                   {"n": np.array([5])})
    path = tmp_path / "runs" / "r" / "blocks" / "b000000.parquet"
    for cols in (None, ["o:x"], ["o:x", "draw"]):
        got = st.read_columns("r", 0, cols)
        want = pq.read_table(path, columns=cols)
        assert got.equals(want) and got.schema.equals(want.schema, check_metadata=True)


def test_column_values_are_to_numpy():
    import pyarrow as pa

    from polemos.store.store import column_values

    rng = np.random.default_rng(3)
    cases = [pa.chunked_array([rng.random(7), rng.random(5)]),
             pa.chunked_array([pa.array(np.arange(10, dtype=np.int32)).slice(3, 4)]),
             pa.array(np.arange(6, dtype=np.int16)).slice(2),
             pa.chunked_array([], type=pa.float64()),
             pa.chunked_array([pa.array([1.0, None, 3.0])]),  # nulls: Arrow converts
             pa.chunked_array([pa.array([True, False])])]
    for col in cases:
        got, want = column_values(col), col.to_numpy()
        assert got.dtype == want.dtype and got.tobytes() == want.tobytes()


def test_first_run_of_a_new_store_is_catalogued_as_before(tmp_path):
    """The first run of a new store creates the empty catalog first, not one rebuilt from
    the run's own files; the rows are the same as when the catalog is rebuilt first."""
    params = [{"path": "a", "central": 1.5, "dist": "uniform", "low": 1, "high": 2}]
    new, rebuilt = Store(tmp_path / "new"), Store(tmp_path / "rebuilt")
    (tmp_path / "rebuilt" / "runs").mkdir(parents=True)  # no catalog: rebuilt on first use
    for st in (new, rebuilt):
        st.create_run({**_record("r"), "n_params": 1}, params, {"record": _record("r")})
    tables = ("runs", "parameters", "results")
    rows = {t: _catalog_rows(new, t) for t in tables}
    assert rows == {t: _catalog_rows(rebuilt, t) for t in tables}
    assert [r[0] for r in rows["runs"]] == ["r"] and len(rows["parameters"]) == 1
