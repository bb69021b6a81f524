"""``polemos war FILE``: simulate the theatres of a scenario.

    polemos war scenario.yaml --weeks 104 --draws 2000
    polemos war scenario.yaml --theatre ukraine --json
    polemos war scenario.yaml --plot war.png

Prints, per theatre: forces on the line (a fan: 5/25/50/75/95th percentiles),
cumulative losses, ground taken by the attacker, and the probability that each named
town has fallen by each date. The model: :mod:`polemos.models.attrition`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from polemos.cli.output import console, emit_json, working
from polemos.scenario.errors import Problem, ScenarioError, did_you_mean

if TYPE_CHECKING:
    import numpy as np

PCTS = (5, 25, 50, 75, 95)


def _fan(x: np.ndarray) -> dict[str, list[float]]:
    import numpy as np

    q = np.percentile(x, PCTS, axis=0)
    return {f"p{p:02d}": row.tolist() for p, row in zip(PCTS, q, strict=True)}


def _theatres(sc, file: Path, wanted: str | None):
    theatres = sc.section("theatres") or []
    if not theatres:
        raise ScenarioError([Problem(str(file), None, None, "theatres",
                                     "the scenario has no theatres section",
                                     "add 'theatres:' (see `polemos schema` or "
                                     "docs/validation/attrition.md for an example)")])
    if wanted is None:
        return list(enumerate(theatres))
    ids = [t.id for t in theatres]
    if wanted not in ids:
        raise ScenarioError([Problem(str(file), None, None, "--theatre",
                                     f"no theatre {wanted!r}",
                                     did_you_mean(wanted, ids) or f"theatres: {', '.join(ids)}")])
    return [(ids.index(wanted), theatres[ids.index(wanted)])]


def summarise(th, out: dict[str, np.ndarray], start: dt.date) -> dict:
    """Fan charts, territory and town-fall probabilities of one theatre's run."""
    import numpy as np

    weeks = next(iter(out.values())).shape[1] - 1
    dates = [start + dt.timedelta(weeks=t) for t in range(weeks + 1)]
    towns = []
    for town in th.towns:
        fallen = out[f"town.{th.id}.{town.key}"]
        p = fallen.mean(axis=0)
        median_week = int(np.argmax(p >= 0.5)) if (p >= 0.5).any() else None
        towns.append({
            "name": town.name, "id": town.key, "p_fallen": p.tolist(),
            "p_fallen_by_end": float(p[-1]),
            "median_fall_date": None if median_week is None else dates[median_week],
        })
    actors = [s.actor for s in th.sides]
    return {
        "id": th.id, "name": th.name, "attacker": th.attacker, "law": str(th.law),
        "dates": dates,
        "forces": {a: _fan(out[f"forces.{th.id}.{a}"]) for a in actors},
        "losses": {a: _fan(out[f"losses.{th.id}.{a}"]) for a in actors},
        "advance_km": _fan(out[f"advance.{th.id}"]),
        "territory_km2": _fan(out[f"territory.{th.id}"]),
        "towns": towns,
    }


def _checkpoints(weeks: int) -> list[int]:
    step = max(1, weeks // 8)
    pts = list(range(0, weeks + 1, step))
    return pts if pts[-1] == weeks else pts + [weeks]


def _k(x: float) -> str:
    return f"{x / 1000:,.0f}k" if abs(x) >= 10_000 else f"{x:,.0f}"


def _print(summary: dict) -> None:
    dates = summary["dates"]
    pts = _checkpoints(len(dates) - 1)
    table = Table(title=f"{summary['name']} ({summary['law']} law): median (5%-95%)")
    table.add_column("date")
    series = [(f"{a} forces", f) for a, f in summary["forces"].items()]
    series += [(f"{a} losses", f) for a, f in summary["losses"].items()]
    series += [("ground taken km2", summary["territory_km2"])]
    for name, _ in series:
        table.add_column(name, justify="right")
    for t in pts:
        cells = [f"{_k(f['p50'][t])} ({_k(f['p05'][t])}-{_k(f['p95'][t])})" for _, f in series]
        table.add_row(str(dates[t]), *cells)
    console.print(table)
    if summary["towns"]:
        towns = Table(title=f"P(town has fallen to {summary['attacker']}) by date")
        towns.add_column("date")
        for town in summary["towns"]:
            towns.add_column(town["name"], justify="right")
        for t in pts[1:]:
            towns.add_row(str(dates[t]), *[f"{town['p_fallen'][t]:.0%}"
                                           for town in summary["towns"]])
        towns.add_row("median fall", *[str(town["median_fall_date"] or "after horizon")
                                       for town in summary["towns"]])
        console.print(towns)


def _plot(path: Path, summaries: list[dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(summaries), 3, figsize=(15, 4 * len(summaries)), squeeze=False)
    for row, s in zip(axes, summaries, strict=True):
        dates = s["dates"]
        for actor, f in s["forces"].items():
            (line,) = row[0].plot(dates, f["p50"], label=actor)
            row[0].fill_between(dates, f["p05"], f["p95"], alpha=0.15, color=line.get_color())
            row[0].fill_between(dates, f["p25"], f["p75"], alpha=0.3, color=line.get_color())
        row[0].set_title(f"{s['name']}: forces on the line")
        row[0].legend()
        f = s["territory_km2"]
        row[1].plot(dates, f["p50"], color="k")
        row[1].fill_between(dates, f["p05"], f["p95"], alpha=0.2, color="k")
        row[1].set_title(f"ground taken by {s['attacker']} (km2)")
        for town in s["towns"]:
            row[2].plot(dates, town["p_fallen"], label=town["name"])
        row[2].set_ylim(0, 1)
        row[2].set_title("P(town has fallen)")
        if s["towns"]:
            row[2].legend()
        for ax in row:
            ax.tick_params(axis="x", labelrotation=30)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def war(
    file: Path = typer.Argument(..., help="Scenario YAML file with a theatres section."),
    theatre: str | None = typer.Option(None, "--theatre", help="Theatre id (default: all)."),
    weeks: int | None = typer.Option(None, "--weeks", min=1,
                                     help="Weeks to simulate (default: as_of to horizon)."),
    draws: int = typer.Option(2000, "--draws", min=1, help="Monte Carlo draws."),
    seed: int = typer.Option(20250810, "--seed", min=0, max=2**63 - 1, help="Random seed."),
    json_out: bool = typer.Option(False, "--json", help="Print results as JSON."),
    plot: Path | None = typer.Option(None, "--plot", help="Write a PNG fan chart."),
) -> None:
    """Simulate the war: forces, losses, ground and the fall of towns, with intervals."""
    from polemos.models.attrition.build import simulate_theatre
    from polemos.numerics.rng import child_generator
    from polemos.scenario import load_scenario

    sc = load_scenario(file)
    chosen = _theatres(sc, file, theatre)
    n_weeks = weeks or max(1, (sc.meta.horizon - sc.meta.as_of).days // 7)
    summaries = []
    for index, th in chosen:
        with working(f"simulating theatre {th.id} ({draws:,} draws, {n_weeks} weeks)"):
            out = simulate_theatre(th, n_draws=draws, weeks=n_weeks,
                                   rng=child_generator(seed, index))
        summaries.append(summarise(th, out, sc.meta.as_of))
    if plot is not None:
        _plot(plot, summaries)
    if json_out:
        emit_json({"scenario": sc.meta.id, "draws": draws, "seed": seed, "weeks": n_weeks,
                   "percentiles": list(PCTS), "theatres": summaries,
                   "plot": str(plot) if plot else None})
        return
    for s in summaries:
        _print(s)
    if plot is not None:
        console.print(f"wrote {plot}")


def register(app: typer.Typer) -> None:
    app.command("war")(war)
