"""Loading speed of the scenario language: a generated 1,000-actor scenario.

Compares, in one run, the full load (YAML parse with locations + schema + cross-checks)
with its parts, as ratios. Target from issue 2: the full load under one second.
"""

from __future__ import annotations

import time

from polemos.scenario.load import loads_scenario
from polemos.scenario.yamlio import dump_yaml, parse_yaml


def generated(n_actors: int = 1000, n_issues: int = 3) -> str:
    actors = [
        {
            "id": f"A{i}",
            "name": f"Actor {i}",
            "influence": {"dist": "triangular", "low": 1, "mode": 10 + i % 50, "high": 100},
            "capabilities": {
                "personnel": {"value": {"dist": "normal", "mean": 1e5, "sd": 1e4, "low": 0},
                               "unit": "personnel", "sources": ["gen"]},
                "gdp": {"value": 100.0 + i, "unit": "USD bn"},
            },
            "attributes": {"resolve": {"value": {"dist": "beta", "a": 2, "b": 2}, "unit": "index 0-1"}},
        }
        for i in range(n_actors)
    ]
    issues = [
        {
            "id": f"issue{j}",
            "name": f"Issue {j}",
            "anchors": {0: "none", 100: "all"},
            "positions": {
                f"A{i}": {"position": {"dist": "uniform", "low": (i * 7) % 90, "high": (i * 7) % 90 + 10},
                          "salience": 50 + i % 50}
                for i in range(n_actors)
            },
        }
        for j in range(n_issues)
    ]
    data = {
        "meta": {"id": "generated", "title": "Generated", "as_of": "2025-01-01", "horizon": "2026-01-01",
                 "sources": [{"id": "gen", "title": "generator", "author": "bench", "kind": "estimate"}]},
        "actors": actors,
        "issues": issues,
        "relations": [{"kind": "rivalry", "source": f"A{i}", "target": f"A{i + 1}"} for i in range(0, n_actors - 1, 2)],
        "events": [{"id": f"e{i}", "date": "2025-06-01", "kind": "summit", "actors": [f"A{i}"]} for i in range(50)],
        "outcomes": [{"id": "settled", "label": "Settled", "when": "settlement"}],
        "claims": [{"id": "c1", "text": "no deal", "source": "gen", "expr": "P(settled) < 0.5"}],
    }
    return dump_yaml(data)


def _best(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> str:
    text = generated()
    import io

    from ruamel.yaml import YAML

    t_parse = _best(lambda: parse_yaml(text, "gen.yaml"))
    t_full = _best(lambda: loads_scenario(text, "gen.yaml"))
    t_ruamel = _best(lambda: YAML(typ="rt", pure=True).load(io.StringIO(text)), repeat=1)
    rows = [
        ("YAML parse with line/column map (libyaml composer, our resolver)", t_parse),
        ("full load (parse + schema + cross-references + expressions)", t_full),
        ("for comparison: ruamel.yaml round-trip load alone (pure Python, keeps lines)", t_ruamel),
    ]
    lines = [
        "## Scenario loading (issue 2)",
        "",
        f"Generated scenario: 1,000 actors, 3 issues with 1,000 positions each, {len(text) / 1e6:.1f} MB of YAML. "
        "Target: full load under 1 s. Best of 3.",
        "",
        "| step | seconds | share of full load |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {t:.3f} | {t / t_full:.2f} |" for name, t in rows]
    lines.append("")
    lines.append(f"Verdict: full load {'meets' if t_full < 1 else 'MISSES'} the 1 s target ({t_full:.2f} s).")
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())
