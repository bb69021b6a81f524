"""Summary, claims ledger, store and imports of a run, before and after issue 15's work.

The Budapest seed at 10,000 draws (500 worlds x 20 paths, seed 1) is run twice, each in
its own process: once with the sources of commit 19ddd24 (before; ``git archive`` into a
temporary folder) and once with this tree's ``src`` (after). Each process times, in CPU
seconds (``time.process_time``: other load on the machine does not count), by wrapping
the functions that do the work: the summary (``summarize``), the ledger without the
targeted worlds' re-simulation (which is the engine's, not the ledger's), the store's
``create_run`` and its catalog connections. The import of ``polemos.engine`` is timed in
fresh processes (the best of three). Each process also prints a digest of the run's
claims ledger and outcomes, so the table says whether both gave the same numbers.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "19ddd24"
DRAWS, SEED = 10_000, 1
SCENARIO = ROOT / "scenarios" / "ukraine-2025-10-budapest.yaml"

_IMPORT = """
import json, sys, time
t = time.process_time()
import {module}
print(json.dumps([time.process_time() - t, "scipy.stats" in sys.modules]))
"""
MINE = ["src/polemos/scenario/quantities.py", "src/polemos/engine/ledger.py",
        "src/polemos/engine/summary.py", "src/polemos/engine/expressions.py",
        "src/polemos/scenario/expr/evaluate.py", "src/polemos/store/store.py"]
"""The files this work changed: the middle column is this tree with these as at BEFORE."""

_RUN = r"""
import contextlib, hashlib, json, resource, sys, tempfile, time
from pathlib import Path

import polemos.engine.ledger as L
import polemos.engine.loop as loop
import polemos.engine.summary as S
from polemos.engine import RunOptions, run_scenario
from polemos.scenario import load_scenario
from polemos.store import Store

sys.path.insert(0, sys.argv[4])
from bench_ledger import _timed

b = {"catalog calls": 0}

def timed(owner, name, key):
    _timed(owner, name, b, key)

original_catalog = Store.catalog
@contextlib.contextmanager
def catalog(self, *args, **kwargs):
    t = time.process_time()
    with original_catalog(self, *args, **kwargs) as con:
        yield con
    b["catalog"] = b.get("catalog", 0.0) + time.process_time() - t
    b["catalog calls"] += 1
Store.catalog = catalog

timed(S, "summarize", "summary")  # run_scenario imports it from the module at call time
timed(S, "world_ledger", "ledger")
timed(Store, "create_run", "create_run")
original_simulate, depth = loop.simulate_block, [0]

def simulate(*args, **kwargs):  # the ledger's re-simulation (its outermost call only;
    ledger_call = kwargs.get("block") == S.TARGET_BLOCK and depth[0] == 0  # arms recurse)
    depth[0] += 1
    t = time.process_time()
    try:
        return original_simulate(*args, **kwargs)
    finally:
        depth[0] -= 1
        if ledger_call:
            b["simulate"] = b.get("simulate", 0.0) + time.process_time() - t
loop.simulate_block = simulate
sc = load_scenario(sys.argv[1])
t0 = time.process_time()
with tempfile.TemporaryDirectory() as tmp:
    _, summary = run_scenario(sc, RunOptions(draws=int(sys.argv[2]), seed=int(sys.argv[3]),
                                             progress=False), Store(Path(tmp)))
b["run"] = time.process_time() - t0
b["ledger without re-simulation"] = b["ledger"] - b.pop("simulate", 0.0)
ru = resource.getrusage(resource.RUSAGE_SELF)
b["whole process"] = ru.ru_utime + ru.ru_stime
keep = {k: summary[k] for k in ("outcomes", "claims", "none")}
b["digest"] = hashlib.sha256(json.dumps(keep, sort_keys=True, default=str).encode()).hexdigest()
print(json.dumps(b))
"""


def _python(src: Path, code: str, *args: str) -> str:
    env = {"PYTHONPATH": str(src), "MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin",
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                         text=True, check=True, cwd=src)
    return out.stdout.strip().splitlines()[-1]


def measure(src: Path) -> dict[str, float | str]:
    row = json.loads(_python(src, _RUN, str(SCENARIO), str(DRAWS), str(SEED),
                             str(Path(__file__).resolve().parent)))
    for module in ("polemos.scenario.quantities", "polemos.engine"):
        runs = [json.loads(_python(src, _IMPORT.format(module=module))) for _ in range(3)]
        row[f"import {module}"] = min(t for t, _ in runs)
        row[f"scipy.stats after import {module}"] = "yes" if runs[0][1] else "no"
    return row


def _tree(tmp: Path, rev: str, mine_from: str | None = None) -> Path:
    """``src`` of ``rev`` in ``tmp``; with ``mine_from``, :data:`MINE` taken from there."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
    for path in MINE if mine_from else []:
        old = subprocess.run(["git", "-C", str(ROOT), "show", f"{mine_from}:{path}"],
                             capture_output=True, check=True).stdout
        (tmp / path).write_bytes(old)
    return tmp / "src"


def main() -> str:
    with tempfile.TemporaryDirectory() as t1, tempfile.TemporaryDirectory() as t2:
        before = measure(_tree(Path(t1), BEFORE))
        others = measure(_tree(Path(t2), "HEAD", mine_from=BEFORE))
    after = measure(ROOT / "src")
    keys = ["import polemos.scenario.quantities", "import polemos.engine", "create_run",
            "catalog", "summary", "ledger without re-simulation", "run", "whole process"]
    names = {"create_run": "store: create_run", "catalog": "store: catalog connections",
             "summary": "summary (merge, ledger, write)", "run": "run_scenario (sweep + summary)"}
    lines = ["## Summary, ledger, store and imports (issue 15)", "",
             f"Budapest seed, {DRAWS:,} draws (500 worlds x 20 paths), seed {SEED}; CPU "
             "seconds, each column in its own processes: **before** = commit "
             f"{BEFORE}; **others** = this tree with the files of this work "
             "(quantities, ledger, summary, expressions, evaluation, store) as at "
             f"{BEFORE}, so that the last ratio is this work's alone; **after** = this tree. "
             "The ledger is timed without the targeted worlds' re-simulation (engine work); "
             "the catalog row counts every connection, create_run's included; imports are "
             "the best of three fresh processes.", "",
             "| stage | before | others | after | before / after | others / after |",
             "|---|---:|---:|---:|---:|---:|"]

    def ratio(a: float, b: float) -> str:
        return f"{a / b:.1f}x" if b > 0 else "-"

    for k in keys:
        v0, v1, v2 = (float(r[k]) for r in (before, others, after))
        lines.append(f"| {names.get(k, k)} | {v0:.3f} | {v1:.3f} | {v2:.3f} | "
                     f"{ratio(v0, v2)} | {ratio(v1, v2)} |")
    lines.append("| catalog connections (count) | " + " | ".join(
        str(r["catalog calls"]) for r in (before, others, after)) + " | | |")
    for module in ("polemos.scenario.quantities", "polemos.engine"):
        key = f"scipy.stats after import {module}"
        lines.append(f"| scipy.stats loaded by `import {module}` | "
                     + " | ".join(str(r[key]) for r in (before, others, after)) + " | | |")
    same = ("identical" if before["digest"] == others["digest"] == after["digest"]
            else "**different**: " + ", ".join(f"{n} {r['digest'][:12]}" for n, r in
                                                (("before", before), ("others", others),
                                                 ("after", after))))
    lines += ["", f"Outcomes and claims ledger of the three runs: {same} (SHA-256 of their "
              "JSON). `import polemos.engine` still loads scipy.stats through "
              "`polemos.numerics.sampling` (`from scipy.stats import qmc` at module level), "
              "and the ledger's conditions load scikit-learn, which imports scipy.stats and "
              "pandas."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(main())
