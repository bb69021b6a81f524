"""Re-examine the seed scenarios' claims: the one-level ledger (a bootstrap over draws,
the verdicts of the first wave) beside the ledger by worlds (credence, decidability).

    python tools/seed_ledgers.py [WORLDS] [PATHS] > docs/validation/claims_seeds.md

Each seed is run once with WORLDS x PATHS draws (seed 1); the one-level verdicts are
recomputed from the same draws, so the two columns differ only by how a claim is judged.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from polemos.engine import RunOptions, run_scenario
from polemos.engine import claims as C
from polemos.engine.summary import _obs_columns
from polemos.numerics.rng import child_generator
from polemos.scenario import load_scenario
from polemos.store import Store

ROOT = Path(__file__).resolve().parents[1]


def one_level(store: Store, run_id: str, scenario) -> dict[str, dict]:
    done = sorted(store.done_blocks(run_id))
    cols = _obs_columns(store, run_id, done)
    table = store.read_draws(run_id)
    data = {c: table[c].to_numpy() for c in cols}
    rows = C.ledger(list(scenario.claims), data, {}, child_generator(1, C.N_BOOT))
    return {r["id"]: r for r in rows}


def main(worlds: int = 300, paths: int = 20) -> str:
    out = ["| scenario | claim | before: verdict (share of resamples) | after: verdict | "
           "credence [95%] | why fixed, or the conditions |", "|---|---|---|---|---|---|"]
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        sc = load_scenario(path)
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp))
            run_id, summary = run_scenario(sc, RunOptions(worlds=worlds, paths=paths, seed=1,
                                                          progress=False), store)
            before = one_level(store, run_id, sc)
        for c in summary["claims"]:
            b = before.get(c["id"], {})
            share = b.get("holds_share")
            bv = f"{b.get('verdict', '')} ({share:.0%})" if share is not None else b.get("verdict", "")
            after = c["verdict"] + (f" ({c['fixed_as']})" if c.get("fixed_as") else "")
            cred = ("" if c.get("credence") is None else
                    f"{c['credence']:.2f} [{c['credence_low']:.2f}, {c['credence_high']:.2f}]")
            why = c.get("fixed_reason") or c.get("conditions_text") or ""
            out.append(f"| {path.stem} | {c['id']} | {bv} | {after} | {cred} | "
                       f"{why.replace('|', '/')} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    sys.stdout.write(main(*args))
