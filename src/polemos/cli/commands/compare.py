"""``polemos compare A.yaml [B.yaml]``: a counterfactual, B against A, with paired draws."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from polemos.cli.output import console, emit_json, working


def compare(
    a: Path = typer.Argument(..., help="Baseline scenario."),
    b: Path | None = typer.Argument(None, help="Counterfactual scenario (default: A again)."),
    sets: list[str] | None = typer.Option(None, "--set", help="Override PATH=VALUE for B."),
    sets_a: list[str] | None = typer.Option(None, "--set-a", help="Override PATH=VALUE for A."),
    draws: int = typer.Option(2000, "--draws", "-n", min=1, help="Draws per scenario."),
    seed: int = typer.Option(0, "--seed", "-s", min=0, max=2**63 - 1, help="Random seed (shared: paired draws)."),
    backend: str = typer.Option("inprocess", "--backend", help="inprocess | processes | dask"),
    workers: int = typer.Option(2, "--workers", min=1),
    store: Path | None = typer.Option(None, "--store", help="Store directory (default .polemos)."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Run A and B with the same seed; differences in outcomes with paired 95% intervals."""
    from polemos.cli.commands.run import parse_sets
    from polemos.engine import RunOptions, run_scenario
    from polemos.engine.compare import compare_runs
    from polemos.scenario import load_scenario
    from polemos.store import Store

    b = b or a
    over_a, over_b = parse_sets(sets_a), parse_sets(sets)
    if b == a and not over_b and not over_a:
        raise typer.BadParameter("B is A unchanged: give B.yaml or --set PATH=VALUE for B")
    st = Store(store)
    ids = []
    for path, over in ((a, over_a), (b, over_b)):
        sc = load_scenario(path, over or None)
        opts = RunOptions(draws=draws, seed=seed, backend=backend, workers=workers,
                          overrides=over, progress=not json_out)
        ids.append(run_scenario(sc, opts, st, path=str(path),
                                status=None if json_out else working)[0])
    result = compare_runs(st, ids[0], ids[1])
    if json_out:
        emit_json(result)
        return
    t = Table(title=f"B against A ({result['draws']:,} paired draws, seed {seed})")
    for col in ("outcome", "P(A)", "P(B)", "B - A", "95% interval"):
        t.add_column(col)
    for o in result["outcomes"]:
        ci = "" if o["low"] is None else f"{o['low']:+.3f} to {o['high']:+.3f}"
        t.add_row(o["label"], f"{o['a']:.3f}", f"{o['b']:.3f}", f"{o['diff']:+.3f}", ci)
    console.print(t)
    c = Table(title="Claims")
    for col in ("claim", "verdict A", "verdict B"):
        c.add_column(col)
    for row in result["claims"]:
        mark = "" if row["verdict_a"] == row["verdict_b"] else " (changed)"
        c.add_row(row["text"], row["verdict_a"], row["verdict_b"] + mark)
    console.print(c)
    console.print(f"A: {result['a']['run_id']}  B: {result['b']['run_id']}")


def register(app: typer.Typer) -> None:
    app.command("compare")(compare)
