"""A seeded mutator over the seed scenarios: hostile values in, a located error or a run out.

Each case takes one seed scenario's parsed data, applies 1-3 mutations at random places
(hostile numbers: NaN, infinities, negatives, huge and tiny values, huge integers; wrong
types; deleted keys and list items; duplicated items; far dates; renamed ids) and then

1. validates it: a :class:`ScenarioError` (located, every problem with a line) is a
   pass; any other exception is a **crash**;
2. if it validates and ``run`` is asked, simulates it with a few draws and summarises
   it: any exception is a **crash**; a case that exceeds ``hang_s`` is a **hang**.

``python tests/robustness/fuzz.py --cases 2000 --runs 150`` prints the figures recorded in
docs/validation/robustness.md; the test suite runs a smaller, fixed-seed sample.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import random
import signal
import tempfile
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "scenarios").glob("*.yaml"))

HOSTILE: list[Any] = [
    math.nan, math.inf, -math.inf, -1, -1e-9, 0, 0.0, 1, 1.5, 2, 42, 1e308, -1e308, 1e-308,
    10**30, 2**63, -(2**63), "", "x", None, True, [], {}, [1, 2], {"dist": "normal"},
    {"dist": "uniform", "low": 5, "high": 1}, {"dist": "lognormal", "median": 1e300, "sigma": 50},
    {"dist": "beta", "a": 1e-300, "b": 1e300}, {"dist": "choice", "values": [1], "weights": [0]},
    {"dist": "normal", "mean": 0, "sd": 1e300}, dt.date(1, 1, 1), dt.date(9999, 12, 31),
    dt.date(1799, 12, 31), "2025-02-30", "week > 3 and", "P(x) > ", "nope_id",
]


@dataclass
class Figures:
    cases: int = 0
    rejected: int = 0
    validated: int = 0
    runs: int = 0
    crashes: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)


def _paths(node: Any, prefix: tuple = ()) -> Iterator[tuple]:
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


def _get(node: Any, path: tuple) -> Any:
    for p in path:
        node = node[p]
    return node


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def mutate_gently(data: Any, rng: random.Random) -> list[str]:
    """Set 1-3 numbers to edge values that may validate: 0, 1, or scaled by 1e-3..1e3."""
    done = []
    paths = [p for p in _paths(data) if p and _number(_get(data, p))]
    for path in rng.sample(paths, rng.randint(1, 3)):
        parent, key = _get(data, path[:-1]), path[-1]
        old = parent[key]
        new = rng.choice([0, 1, old * rng.choice([1e-3, 0.1, 0.5, 2, 10, 1e3])])
        parent[key] = type(old)(new) if isinstance(old, int) and float(new).is_integer() else new
        done.append(f"{path}: {old!r} -> {parent[key]!r}")
    return done


def mutate(data: Any, rng: random.Random) -> list[str]:
    """Apply 1-3 mutations to ``data`` in place; return what was done."""
    done = []
    for _ in range(rng.randint(1, 3)):
        paths = [p for p in _paths(data) if p]
        path = rng.choice(paths)
        parent, key = _get(data, path[:-1]), path[-1]
        kind = rng.random()
        if kind < 0.6:
            value = copy.deepcopy(rng.choice(HOSTILE))
            parent[key] = value
            done.append(f"{path} = {value!r}")
        elif kind < 0.75:
            del parent[key]
            done.append(f"del {path}")
        elif kind < 0.85 and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
            done.append(f"dup {path}")
        elif kind < 0.95:
            old = parent[key]
            if isinstance(old, (int, float)) and not isinstance(old, bool) and math.isfinite(old):
                parent[key] = old * rng.choice([-1, 10, 1000, 1e6, 0.5, 1e-6])
                done.append(f"{path} *= ...")
            else:
                parent[key] = copy.deepcopy(rng.choice(HOSTILE))
                done.append(f"{path} = hostile")
        else:
            parent[key] = copy.deepcopy(_get(data, rng.choice(paths)))
            done.append(f"{path} = other node")
    return done


class _Hang(Exception):
    pass


def _alarm(signum, frame):  # noqa: ANN001 - signal handler
    raise _Hang()


def run_fuzz(cases: int, runs: int, seed: int = 0, draws: int = 20,
             hang_s: int = 120, gentle: bool = False) -> Figures:
    """``cases`` mutants validated; the first ``runs`` that validate are simulated.
    ``gentle``: edge values of numbers only (most mutants validate and run)."""
    from polemos.engine import RunOptions, run_scenario
    from polemos.scenario import ScenarioError
    from polemos.scenario.load import loads_scenario
    from polemos.scenario.yamlio import parse_yaml
    from polemos.store import Store

    rng = random.Random(seed)
    originals = {p.name: parse_yaml(p.read_text(), p.name)[0] for p in SEEDS}
    fig = Figures()
    old = signal.signal(signal.SIGALRM, _alarm)
    tmp = tempfile.TemporaryDirectory()
    store = Store(tmp.name)
    try:
        for i in range(cases):
            name = rng.choice(sorted(originals))
            data = copy.deepcopy(originals[name])
            what = (mutate_gently if gentle else mutate)(data, rng)
            label = f"case {i} ({name}): {'; '.join(what)}"
            fig.cases += 1
            signal.alarm(hang_s)
            try:
                try:
                    text = yaml.dump(data, Dumper=_DUMPER, sort_keys=False)
                    sc = loads_scenario(text, name)
                except ScenarioError as exc:
                    fig.rejected += 1
                    if not exc.problems or any(not p.message for p in exc.problems):
                        fig.crashes.append(f"{label}: an error without a message")
                    continue
                fig.validated += 1
                if fig.runs < runs:
                    fig.runs += 1
                    opts = RunOptions(draws=draws, seed=i, block_size=draws, progress=False)
                    run_scenario(sc, opts, store)
            except _Hang:
                fig.hangs.append(label)
            except Exception as exc:  # noqa: BLE001 - a crash is what is counted
                tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
                fig.crashes.append(f"{label}: {tb[:300]}")
            finally:
                signal.alarm(0)
    finally:
        signal.signal(signal.SIGALRM, old)
        tmp.cleanup()
    return fig


if __name__ == "__main__":  # pragma: no cover - the figures of the docs
    import argparse
    import time

    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=150)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--gentle", action="store_true", help="edge values of numbers only")
    args = ap.parse_args()
    t0 = time.monotonic()
    f = run_fuzz(args.cases, args.runs, args.seed, gentle=args.gentle)
    print(f"cases {f.cases}, rejected {f.rejected}, validated {f.validated}, runs {f.runs}, "
          f"crashes {len(f.crashes)}, hangs {len(f.hangs)}, {time.monotonic() - t0:.0f} s")
    for line in f.crashes + f.hangs:
        print(line)
