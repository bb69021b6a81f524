"""Bit fingerprints of the engine's output, to check that a speed-up keeps the same bits.

    python tools/bit_fingerprints.py OUT.json [EXTRA.yaml ...]

For every scenario in ``scenarios/*.yaml`` (and any extra scenario files given), one block
of 300 draws with seed 3 is simulated through the engine (the active stages, the plan,
the parameter space, :func:`polemos.engine.loop.simulate_block`) and the sha256 of the
bytes of every column and every aggregate is written to ``OUT.json`` (per scenario, per
name; plus one digest over them all). Run it before and after a change and compare the
two files (``diff``, or ``--compare BEFORE.json AFTER.json`` to list what differs).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np

from polemos.engine.loop import make_plan, simulate_block
from polemos.engine.params import ParamSpace
from polemos.engine.stages import active_stages
from polemos.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SEED, BLOCK, N = 3, 0, 300


def _digest(arr) -> str:
    a = np.ascontiguousarray(np.asarray(arr))
    h = hashlib.sha256(f"{a.dtype.str}{a.shape}".encode())
    h.update(a.tobytes())
    return h.hexdigest()


def fingerprint(path: Path) -> dict[str, str]:
    scen = load_scenario(path)
    stages = active_stages(scen)
    plan = make_plan(scen, stages)
    res = simulate_block(scen, stages, plan, ParamSpace.from_scenario(scen), seed=SEED,
                         block=BLOCK, n=N)
    out = {f"column:{k}": _digest(v) for k, v in sorted(res.columns.items())}
    out.update({f"aggregate:{k}": _digest(v) for k, v in sorted(res.aggregates.items())})
    total = hashlib.sha256("".join(f"{k}={v};" for k, v in out.items()).encode())
    return {"_all": total.hexdigest(), **out}


def compare(before: dict, after: dict) -> list[str]:
    lines = []
    for scen in sorted(set(before) | set(after)):
        a, b = before.get(scen, {}), after.get(scen, {})
        diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k) and k != "_all")
        lines.append(f"{scen}: {'identical' if not diff else f'{len(diff)} differ'}")
        lines += [f"  {k}" for k in diff[:20]]
    return lines


def main(argv: list[str]) -> int:
    if argv[:1] == ["--compare"]:
        before, after = (json.loads(Path(p).read_text()) for p in argv[1:3])
        lines = compare(before, after)
        print("\n".join(lines))
        return 0 if all(line.endswith("identical") for line in lines
                        if not line.startswith(" ")) else 1
    if not argv:
        print(__doc__)
        return 2
    out = Path(argv[0])
    paths = sorted((ROOT / "scenarios").glob("*.yaml")) + [Path(p) for p in argv[1:]]
    result = {}
    for path in paths:
        result[path.name] = fingerprint(path)
        print(f"{path.name}: {result[path.name]['_all'][:16]}", flush=True)
    out.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
