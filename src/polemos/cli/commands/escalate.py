"""``polemos escalate FILE``: probability of reaching each rung of the ladder by each week.

    polemos escalate scenario.yaml --weeks 52 --draws 5000 --plot ladder.png
    polemos escalate scenario.yaml --json

Reads the scenario's ``escalation`` section, samples its quantities, runs the ladder kernel
(:mod:`polemos.models.escalation.ladder`) standalone (battlefield trend and talks held at
neutral) and reports, per rung, the probability of having reached it by each week.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from polemos.cli.output import console, emit_json, working
from polemos.scenario.errors import Problem, ScenarioError


def _weeks_of(sc: Any) -> int:
    meta = getattr(sc, "meta", None)
    if meta is None:
        return 52
    start, end = meta.as_of, meta.horizon
    if isinstance(start, date) and isinstance(end, date):
        return max(1, (end - start).days // 7)
    return 52


def compute(sc: Any, file: Path, weeks: int | None, draws: int, seed: int) -> dict[str, Any]:
    """Run the ladder of scenario ``sc``; every figure the command reports."""
    import numpy as np

    from polemos.models.escalation.build import ladder_inputs, state_values
    from polemos.models.escalation.ladder import reach_by_week, simulate
    from polemos.models.escalation.section import escalation_names
    from polemos.numerics.rng import child_generator

    sec = getattr(sc, "escalation", None)
    if sec is None:
        raise ScenarioError([Problem(str(file), None, None, "escalation",
                                     "the scenario has no escalation section",
                                     "add one (see polemos.models.escalation.section)")])
    n_weeks = weeks or _weeks_of(sc)
    params, layout = ladder_inputs(sec, draws, child_generator(seed, 0))
    with working(f"simulating the escalation ladder ({draws:,} draws)"):
        out = simulate(params, n_weeks, child_generator(seed, 1), start_rung=layout.start)
    reach = reach_by_week(out["max_rung"], len(layout.rung_ids))  # (weeks, R)
    current = np.stack([(out["rung"] == k).mean(0) for k in range(len(layout.rung_ids))], 1)
    final = reach[-1]
    se = np.sqrt(final * (1 - final) / draws)
    from polemos.models.escalation.ladder import LadderState

    end = LadderState(out["rung"][:, -1], out["max_rung"][:, -1], out["stocks"], out["uses"],
                      out["first_week"], out["occupancy"], out["first_actor"], n_weeks)
    values = state_values(end, layout)
    return {
        "scenario": str(file),
        "weeks": n_weeks,
        "draws": draws,
        "seed": seed,
        "rungs": [
            {"id": i, "name": nm, "level": int(lv), "nuclear": bool(nu), "reference_class": rc}
            for i, nm, lv, nu, rc in zip(layout.rung_ids, layout.rung_names, layout.levels,
                                         layout.nuclear, layout.reference_classes, strict=True)
        ],
        "next_given_reached": {
            rid: (float(final[k + 1] / final[k]) if final[k] > 0 else None)
            for k, rid in enumerate(layout.rung_ids[:-1])},
        "reach_by_week": reach,
        "current_by_week": current,
        "final": {rid: {"p": float(p), "se": float(s)}
                  for rid, p, s in zip(layout.rung_ids, final, se, strict=True)},
        "nuclear_use": float(values["nuclear_use"].mean()),
        "moves": {
            mid: {"actor": actor, "mean_uses": float(out["uses"][:, j].mean()),
                  "share_used": float((out["uses"][:, j] > 0).mean()),
                  "mean_stock_end": (float(out["stocks"][:, j].mean())
                                     if layout.finite_stock[j] else None)}
            for j, (mid, actor) in enumerate(zip(layout.move_ids, layout.move_actors, strict=True))
        },
        "state": {name: {"description": desc,
                         "mean_end": float(np.mean(values[name])) if name in values else None}
                  for name, desc in escalation_names(sc).items()},
    }


def plot_ladder(result: dict[str, Any], path: Path) -> None:
    """Two panels: P(rung reached by week) per rung; the distribution of the current rung."""
    import matplotlib
    import numpy as np

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    reach = np.asarray(result["reach_by_week"])
    current = np.asarray(result["current_by_week"])
    weeks = np.arange(1, reach.shape[0] + 1)
    names = [f"{r['level']} {r['id']}" for r in result["rungs"]]
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.5))
    for k in range(1, reach.shape[1]):
        a.plot(weeks, reach[:, k], label=names[k], lw=1.8)
    a.set_xlabel("week")
    a.set_ylabel("P(rung reached by week)")
    a.set_ylim(0, 1)
    a.set_title("Escalation ladder: rungs reached")
    a.legend(fontsize=7)
    b.stackplot(weeks, current.T, labels=names)
    b.set_xlabel("week")
    b.set_ylabel("share of draws at rung")
    b.set_ylim(0, 1)
    b.set_title("Current rung")
    b.legend(fontsize=7, loc="lower left")
    fig.suptitle(f"{Path(result['scenario']).name}: {result['draws']} draws", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def escalate(
    file: Path = typer.Argument(..., help="Scenario YAML file with an escalation section."),
    weeks: int | None = typer.Option(None, "--weeks", min=1,
                                     help="Weeks to simulate (default: as_of to horizon)."),
    draws: int = typer.Option(2000, "--draws", min=1, help="Monte Carlo draws."),
    seed: int = typer.Option(20251024, "--seed", min=0, max=2**63 - 1, help="Random seed."),
    json_out: bool = typer.Option(False, "--json", help="Print results as JSON."),
    plot: Path | None = typer.Option(None, "--plot", help="Write a ladder chart (PNG)."),
) -> None:
    """Probability of reaching each rung of the escalation ladder by each week."""
    import numpy as np

    from polemos.scenario.load import load_scenario

    result = compute(load_scenario(file), file, weeks, draws, seed)
    if plot is not None:
        plot_ladder(result, plot)
    if json_out:
        emit_json(result)
        return
    reach = np.asarray(result["reach_by_week"])
    marks = sorted({w for w in (4, 13, 26, 52, 104, 156) if w < result["weeks"]} | {result["weeks"]})
    table = Table(title=f"P(rung reached by week), {result['draws']} draws, seed {result['seed']}")
    table.add_column("rung")
    for w in marks:
        table.add_column(f"wk {w}", justify="right")
    for k, r in enumerate(result["rungs"]):
        label = f"{r['level']} {r['id']}" + (" (nuclear)" if r["nuclear"] else "")
        table.add_row(label, *[f"{reach[w - 1, k]:.3f}" for w in marks])
    console.print(table)
    console.print(f"P(nuclear use by week {result['weeks']}) = {result['nuclear_use']:.3f}")
    for mid, m in result["moves"].items():
        stock = "" if m["mean_stock_end"] is None else f", stock at end {m['mean_stock_end']:.1f}"
        console.print(f"  {m['actor']}.{mid}: used in {m['share_used']:.0%} of draws, "
                      f"{m['mean_uses']:.1f} weeks on average{stock}")
    if plot is not None:
        console.print(f"wrote {plot}")


def register(app: typer.Typer) -> None:
    app.command("escalate")(escalate)
