"""Counterfactual comparison of two runs with paired draws.

Two runs with the same seed, design, draws and block size share every random stream:
draw ``i`` of A and draw ``i`` of B have the same weekly shocks and, for each uncertain
input the two scenarios share (same dotted path and, for the plain design, whatever other
inputs they have), the same value. Differences are therefore estimated draw by draw, and
their intervals come from a paired bootstrap (resampling draw indices jointly), which
is much tighter than comparing two independent runs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from polemos.numerics.rng import child_generator
from polemos.store import Store

COMPARE_KEY = 0xC0DE
MAX_DRAWS = 50_000
N_BOOT = 400


def _paired(a: np.ndarray, b: np.ndarray, rng: np.random.Generator) -> dict[str, float]:
    n = len(a)
    diff = b - a
    idx = rng.integers(0, n, size=(N_BOOT, n)) if n * N_BOOT <= 2e7 else None
    if idx is not None:
        boot = diff[idx].mean(axis=1)
    else:  # normal approximation for very large runs
        se = diff.std(ddof=1) / np.sqrt(n)
        boot = diff.mean() + se * rng.standard_normal(N_BOOT)
    lo, hi = np.quantile(boot, [0.025, 0.975])
    return {"a": float(a.mean()), "b": float(b.mean()), "diff": float(diff.mean()),
            "low": float(lo), "high": float(hi), "changed_draws": float((a != b).mean())}


def compare_runs(store: Store, run_a: str, run_b: str) -> dict[str, Any]:
    """Outcome probabilities and claims of B against A, with paired 95% intervals."""
    ra, rb = store.get_run(run_a), store.get_run(run_b)
    same = all(ra[k] == rb[k] for k in ("seed", "design", "draws", "block_size"))
    sa, sb = store.summary(run_a), store.summary(run_b)
    ids = [o["id"] for o in sa["outcomes"] if o["id"] in {x["id"] for x in sb["outcomes"]}]
    cols = [f"t:{i}" for i in ids]
    da = store.read_draws(run_a, ["draw", *cols]).head(MAX_DRAWS)
    db = store.read_draws(run_b, ["draw", *cols]).head(MAX_DRAWS)
    rng = child_generator(int(ra["seed"]), COMPARE_KEY)
    labels = {o["id"]: o["label"] for o in sa["outcomes"]}
    outcomes = []
    for i in ids:
        a = (da[f"t:{i}"].to_numpy() >= 0).astype(float)
        b = (db[f"t:{i}"].to_numpy() >= 0).astype(float)
        row = {"id": i, "label": labels[i]}
        if same:
            row.update(_paired(a, b, rng))
        else:
            row.update({"a": float(a.mean()), "b": float(b.mean()), "diff": float(b.mean() - a.mean()),
                        "low": None, "high": None, "changed_draws": None})
        outcomes.append(row)
    cb = {c["id"]: c for c in sb["claims"]}
    claims = [{"id": c["id"], "text": c["text"], "verdict_a": c["verdict"],
               "verdict_b": cb[c["id"]]["verdict"], "margin_a": c.get("margin"),
               "margin_b": cb[c["id"]].get("margin")}
              for c in sa["claims"] if c["id"] in cb]
    return {"a": {"run_id": run_a, "scenario": ra["scenario_id"], "overrides": ra["overrides"]},
            "b": {"run_id": run_b, "scenario": rb["scenario_id"], "overrides": rb["overrides"]},
            "paired": same, "draws": int(min(len(da), len(db))), "outcomes": outcomes,
            "claims": claims}
