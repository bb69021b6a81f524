"""Whether two source trees give the same results: every seed scenario run in each.

    python tools/compare_runs.py SNAPSHOT_DIR [--src SRC] [--draws 2000] [--seed 1]
    python tools/compare_runs.py --diff DIR_A DIR_B

The first form runs ``polemos run SCENARIO --json`` for every file of ``scenarios/``
with ``SRC`` (default: this tree's ``src``) first on the Python path, each in its own
process and its own temporary store, and writes into ``SNAPSHOT_DIR`` per scenario:
``<name>.json`` (the ``--json`` output without the run id, the store path and the
report path, which differ between any two runs) and ``<name>.stored.json`` (the
SHA-256 of every stored block file, by name, and of the run's summary without its
run id and catalog record, which holds the creation time). The second form compares
two snapshot folders byte for byte and says which files differ; exit status 1 if any
does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_VOLATILE = ("run_id", "store", "report")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stored(store: Path, run_id: str) -> dict[str, str]:
    """SHA-256 of each block file, the summary (no run id, no record) and results."""
    d = store / "runs" / run_id
    out = {p.name: _digest(p.read_bytes()) for p in sorted((d / "blocks").glob("b*.*"))
           if p.suffix in (".parquet", ".npz")}
    summary = json.loads((d / "summary.json").read_text())
    for key in ("run_id", "record"):  # the run id and the creation time
        summary.pop(key, None)
    out["summary.json"] = _digest(json.dumps(summary, sort_keys=True).encode())
    out["results.json"] = _digest((d / "results.json").read_bytes())
    return out


def snapshot(out: Path, src: Path, draws: int, seed: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(src), "MPLBACKEND": "Agg"}
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, "-c", "from polemos.cli.app import main; main()", "run",
                   str(path), "--draws", str(draws), "--seed", str(seed), "--json",
                   "--store", tmp]
            res = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
            if res.returncode != 0:
                raise SystemExit(f"{path.name}: exit {res.returncode}\n{res.stderr[-2000:]}")
            data = json.loads(res.stdout)
            stored = _stored(Path(tmp), data["run_id"])
        for key in _VOLATILE:
            data.pop(key, None)
        (out / f"{path.stem}.json").write_text(json.dumps(data, indent=1, sort_keys=True))
        (out / f"{path.stem}.stored.json").write_text(json.dumps(stored, indent=1))
        print(f"{path.stem}: written", file=sys.stderr)


def diff(a: Path, b: Path) -> int:
    names = sorted({p.name for p in a.glob("*.json")} | {p.name for p in b.glob("*.json")})
    bad = [n for n in names if not (a / n).exists() or not (b / n).exists()
           or (a / n).read_bytes() != (b / n).read_bytes()]
    for n in bad:
        print(f"differs: {n}")
    print(f"{len(names) - len(bad)} of {len(names)} files identical")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", type=Path)
    ap.add_argument("--src", type=Path, default=ROOT / "src")
    ap.add_argument("--draws", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--diff", nargs=2, type=Path, metavar=("A", "B"))
    args = ap.parse_args(argv)
    if args.diff:
        return diff(*args.diff)
    if args.out is None:
        ap.error("give SNAPSHOT_DIR or --diff A B")
    snapshot(args.out, args.src.resolve(), args.draws, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
