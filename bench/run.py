"""Run the benchmarks and write bench/RESULTS.md.

Each ``bench/bench_*.py`` defines ``main() -> str`` returning a Markdown section (its
own tables: times and ratios measured side by side in one run). Running one writes
``bench/results/<name>.md``; RESULTS.md is assembled from every section present, so
running one benchmark keeps the others' last figures.

    python bench/run.py              # all
    python bench/run.py bargaining   # bench_bargaining.py only
"""

from __future__ import annotations

import importlib.util
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    wanted = set(argv)
    (HERE / "results").mkdir(exist_ok=True)
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        print(f"running {path.name} ...", flush=True)
        section = _load(path).main()
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        (HERE / "results" / f"{name}.md").write_text(f"{section.rstrip()}\n\n_measured {stamp}_\n")
    header = (
        "# Benchmark results\n\n"
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"NumPy {np.__version__}. Regenerate with `make bench` (or `python bench/run.py NAME`).\n"
        "Each section compares implementations side by side in one run, as ratios.\n"
    )
    parts = [header] + [p.read_text() for p in sorted((HERE / "results").glob("*.md"))]
    (HERE / "RESULTS.md").write_text("\n".join(parts))
    print(f"wrote {HERE / 'RESULTS.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
