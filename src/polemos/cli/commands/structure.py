"""``polemos structure FILE``: capability shares, overtaking and transition war risk.

    polemos structure scenario.yaml --years 30 --draws 5000 --plot shares.png
    polemos structure scenario.yaml --json

Reads the scenario's ``structure`` section, fills ``from_cow`` levels from the COW NMC
file (``../shared/data`` or ``--data``), projects CINC shares, and reports overtaking
probabilities by year and the probability of a dominant-challenger war onset.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from polemos.cli.output import console, emit_json, working
from polemos.scenario.errors import Problem, ScenarioError


def _section(sc: Any, file: Path):
    section = getattr(sc, "structure", None)
    if section is None:
        raise ScenarioError([Problem(str(file), None, None, "structure", "the scenario has no structure section",
                                     "add one (see docs/validation/structure_seed_section.yaml)")])
    return section


def _fill(section, file: Path, data: Path | None):
    blocs = [*section.powers, *([section.rest_of_world] if section.rest_of_world else [])]
    if all(b.components is not None for b in blocs):
        return section
    from polemos.datasets import capabilities as cap
    from polemos.datasets.paths import DataNotFound
    from polemos.models.structure.simulate import fill_components

    try:
        nmc = cap.load_nmc(data)
        return fill_components(section, lambda c, y: cap.components_for(nmc, c, y),
                               lambda y: cap.system_totals(nmc, y))
    except (DataNotFound, KeyError, ValueError) as exc:
        raise ScenarioError([Problem(str(file), None, None, "structure", f"from_cow: {exc}",
                                     "give components explicitly, or point --data at the COW files")]) from None


def structure(
    file: Path = typer.Argument(..., help="Scenario YAML file with a structure section."),
    years: int | None = typer.Option(None, "--years", min=1, help="Years to project (default: the section's horizon)."),
    draws: int = typer.Option(2000, "--draws", min=1, help="Monte Carlo draws."),
    seed: int = typer.Option(20251024, "--seed", min=0, max=2**63 - 1, help="Random seed."),
    json_out: bool = typer.Option(False, "--json", help="Print results as JSON."),
    plot: Path | None = typer.Option(None, "--plot", help="Write a PNG: share fan chart and overtaking."),
    data: Path | None = typer.Option(None, "--data", help="Reference data directory for from_cow."),
) -> None:
    """Project capability (CINC) shares; overtaking probabilities; transition war risk."""
    import numpy as np

    from polemos.models.structure import simulate
    from polemos.numerics.rng import child_generator
    from polemos.scenario.load import load_scenario

    sc = load_scenario(file)
    section = _fill(_section(sc, file), file, data)
    if years is not None:
        section = section.model_copy(update={"horizon": years})
    with working(f"projecting structural power ({draws:,} draws)"):
        run = simulate.simulate(section, draws, child_generator(seed, 0))
    summ = simulate.summary(run)
    state = {}
    for k, v in simulate.state(run).items():
        v = np.asarray(v, dtype=float)
        state[k] = {"mean": float(v.mean()), "q05": float(np.quantile(v, 0.05)), "q95": float(np.quantile(v, 0.95))}
    if plot is not None:
        _plot(plot, run, summ)
    if json_out:
        emit_json({"scenario": sc.meta.id, "draws": draws, "seed": seed, "base_year": section.base_year,
                   "horizon": section.horizon, "dominant": section.dominant, **summ, "state": state})
        return
    _print(sc, section, summ)


def _print(sc, section, summ: dict) -> None:
    years = summ["years"]
    cols = sorted({0, len(years) // 3, 2 * len(years) // 3, len(years) - 1})
    console.rule(f"[bold]{sc.meta.title}[/bold]: structural power (CINC)")
    t = Table(title="CINC share: median (5-95 %)")
    t.add_column("power")
    for c in cols:
        t.add_column(str(years[c]), justify="right")
    for actor, q in summ["share"].items():
        t.add_row(actor, *(f"{q[2][c]:.3f} ({q[0][c]:.3f}-{q[4][c]:.3f})" for c in cols))
    console.print(t)
    o = Table(title=f"Overtaking {section.dominant} (capability ratio >= 1)")
    for name in ("challenger", "ahead at base", "P by horizon", "mean year if overtakes", "median ratio at end"):
        o.add_column(name, justify="right")
    for target, v in summ["overtaking"].items():
        year = v["expected_year_if_overtaking"]
        o.add_row(target, f"{v['ahead_at_base']:.2f}", f"{v['p_within_horizon']:.2f}",
                  "-" if year is None else f"{year:.1f}", f"{v['median_ratio_at_horizon']:.2f}")
    console.print(o)
    w = summ["war_probability_by_year"]
    console.print(f"P(war onset between {section.dominant} and a challenger by {years[-1]}): "
                  f"{w['mean'][-1]:.3f} (5-95 % over coefficient and path draws: {w['q05'][-1]:.3f}-{w['q95'][-1]:.3f}); "
                  "transition-hazard logit fitted on COW major-power dyad-years (polemos fit transition).")


def _plot(path: Path, run, summ: dict) -> None:
    import matplotlib
    import numpy as np

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    years = np.asarray(summ["years"])
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
    for actor, q in summ["share"].items():
        if actor == "rest_of_world":
            continue
        q = np.asarray(q)
        (line,) = ax1.plot(years, q[2], label=actor)
        ax1.fill_between(years, q[0], q[4], color=line.get_color(), alpha=0.2)
    ax1.set(title="CINC share (median, 5-95 %)", xlabel="year", ylabel="share of system capability")
    ax1.legend(fontsize=7)
    for target, v in summ["overtaking"].items():
        ax2.plot(years, v["p_by_year"], label=target)
    ax2.plot(years, summ["war_probability_by_year"]["mean"], "k--", label="war onset (any dyad)")
    ax2.set(title=f"P(ahead of {run.dominant} by year)", xlabel="year", ylabel="probability", ylim=(0, 1.02))
    ax2.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def register(app: typer.Typer) -> None:
    app.command("structure")(structure)
