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
