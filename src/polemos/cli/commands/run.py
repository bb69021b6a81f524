"""``polemos run FILE``: the coupled Monte Carlo simulation of a scenario."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from polemos.cli.output import console, console_err, emit_json

DESIGNS = ("plain", "lhs", "sobol")
BACKENDS = ("inprocess", "processes", "dask")


def parse_sets(items: list[str] | None) -> dict[str, str]:
    """``["a.b=1", ...]`` -> ``{"a.b": "1"}`` (values are parsed as YAML by the loader)."""
    out: dict[str, str] = {}
    for item in items or []:
        path, sep, value = item.partition("=")
        if not sep or not path.strip():
            raise typer.BadParameter(f"{item!r}: write --set PATH=VALUE, e.g. "
                                     "--set actors.RUS.influence=60", param_hint="--set")
        out[path.strip()] = value.strip()
    return out


def json_view(summary: dict[str, Any]) -> dict[str, Any]:
    """What ``--json`` prints: outcome probabilities with intervals and the claims ledger."""
    rec = summary["record"]
    keep = ("id", "text", "source", "expr", "confidence", "level", "value", "margin",
            "margin_interval", "holds_share", "verdict", "drivers", "drivers_global", "error")
    return {
        "run_id": summary["run_id"], "scenario": rec["scenario_id"], "draws": summary["draws"],
        "seed": rec["seed"], "design": rec["design"],
        "outcomes": [{k: o[k] for k in ("id", "label", "absorbing", "p", "low", "high")}
                     for o in summary["outcomes"]] + [
            {k: summary["none"][k] for k in ("id", "label", "p", "low", "high")}],
        "claims": [{k: c.get(k) for k in keep if k in c} for c in summary["claims"]],
    }


def _short(path: str) -> str:
    """``actors.RUS.attributes.resolve.value`` -> ``RUS.resolve``."""
    parts = [p for p in path.split(".") if p not in {"value", "attributes", "capabilities",
                                                     "actors", "positions", "issues"}]
    return ".".join(parts[-2:]) if len(parts) > 1 else path


def print_summary(summary: dict[str, Any]) -> None:
    rec = summary["record"]
    t = Table(title=f"{rec['title']} - {summary['draws']:,} draws, seed {rec['seed']}")
    t.add_column("outcome")
    t.add_column("P", justify="right")
    t.add_column("95% interval", justify="right")
    for o in summary["outcomes"] + [summary["none"]]:
        t.add_row(o["label"], f"{o['p']:.3f}", f"{o['low']:.3f} - {o['high']:.3f}")
    console.print(t)
    if summary["claims"]:
        c = Table(title="Claims ledger (full text and drivers in the report)")
        for col in ("claim", "verdict", "holds in", "margin [90%]", "moved most by"):
            c.add_column(col)
        for row in summary["claims"]:
            share = "" if row.get("holds_share") is None else f"{row['holds_share']:.0%}"
            mi = row.get("margin_interval")
            margin = "" if mi is None else f"{row['margin']:+.3g} [{mi[0]:+.3g}, {mi[1]:+.3g}]"
            drivers = ", ".join(_short(d["parameter"]) for d in row.get("drivers", []))
            verdict = row["verdict"] + (f" ({row['error']})" if row.get("error") else "")
            c.add_row(row["id"], verdict, share, margin, drivers)
        console.print(c)


def run(
    file: Path = typer.Argument(..., help="Scenario YAML file."),
    draws: int = typer.Option(2000, "--draws", "-n", min=1, help="Monte Carlo draws."),
    seed: int = typer.Option(0, "--seed", "-s", help="Random seed."),
    design: str = typer.Option("plain", "--design", help="plain | lhs | sobol"),
    backend: str = typer.Option("inprocess", "--backend", help="inprocess | processes | dask"),
    workers: int = typer.Option(2, "--workers", min=1, help="Workers (processes, dask)."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler tcp://HOST:PORT."),
    chunk: int | None = typer.Option(None, "--chunk", min=1, help="Draws per task."),
    store: Path | None = typer.Option(None, "--store", help="Store directory (default .polemos)."),
    resume: bool = typer.Option(False, "--resume", help="Resume an unfinished identical run."),
    sets: list[str] | None = typer.Option(None, "--set", help="Override PATH=VALUE (repeatable)."),
    json_out: bool = typer.Option(False, "--json", help="Print outcomes and claims as JSON."),
    report: bool = typer.Option(False, "--report", help="Also write the HTML report."),
    no_params: bool = typer.Option(False, "--no-params",
                                   help="Do not store per-draw parameter values (large sweeps; "
                                        "they are recomputed from the seed when needed)."),
    sensitivity: int = typer.Option(0, "--sensitivity", min=0,
                                    help="SALib base sample N (Sobol, or Morris trajectories "
                                         "with many inputs); 0 = off."),
) -> None:
    """Simulate a scenario: outcome probabilities, time to outcome, claims ledger."""
    from polemos.engine import RunOptions, run_scenario
    from polemos.scenario import load_scenario
    from polemos.store import Store

    if design not in DESIGNS:
        raise typer.BadParameter(f"{design!r}; use one of {', '.join(DESIGNS)}", param_hint="--design")
    if scheduler:
        backend = "dask"
    if backend not in BACKENDS:
        raise typer.BadParameter(f"{backend!r}; use one of {', '.join(BACKENDS)}", param_hint="--backend")
    overrides = parse_sets(sets)
    scenario = load_scenario(file, overrides or None)
    opts = RunOptions(draws=draws, seed=seed, design=design, backend=backend, workers=workers,
                      chunk=chunk, scheduler=scheduler, resume=resume, overrides=overrides,
                      progress=not json_out, store_params=not no_params)
    st = Store(store)
    run_id, summary = run_scenario(scenario, opts, st, path=str(file), sensitivity=sensitivity)
    if report:
        from polemos.report import write_report

        path = write_report(st, run_id)
        if not json_out:
            console_err.print(f"report: {path}")
    if json_out:
        emit_json(json_view(summary))
    else:
        print_summary(summary)
        console.print(f"run [bold]{run_id}[/bold] stored in {st.root}")


def register(app: typer.Typer) -> None:
    app.command("run")(run)
