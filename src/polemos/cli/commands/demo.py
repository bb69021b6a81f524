"""``polemos demo``: run every scenario in ``scenarios/``, print the outcomes and the
claims with their verdicts, and write one report per scenario (``make demo``)."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.table import Table

from polemos.cli.output import console, emit_json, working

DEMO_DRAWS = 5000
DEMO_SENSITIVITY = 64


def _scenario_dir() -> Path:
    here = Path.cwd() / "scenarios"
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[4] / "scenarios"


def demo(
    draws: int = typer.Option(DEMO_DRAWS, "--draws", "-n", min=1, help="Draws per scenario."),
    seed: int = typer.Option(20251024, "--seed", min=0, max=2**63 - 1, help="Random seed."),
    scenarios: Path | None = typer.Option(None, "--scenarios", help="Directory of scenarios."),
    store: Path | None = typer.Option(None, "--store", help="Store directory (default .polemos)."),
    backend: str = typer.Option("inprocess", "--backend", help="inprocess | processes | dask"),
    sensitivity: int = typer.Option(DEMO_SENSITIVITY, "--sensitivity", min=0,
                                    help="SALib base sample N per scenario (0 = off)."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Run the seed scenarios end to end: outcomes, claims ledger and reports."""
    from polemos.cli.commands.run import json_view, print_summary
    from polemos.engine import RunOptions, run_scenario
    from polemos.report import write_report
    from polemos.scenario import load_scenario
    from polemos.store import Store

    folder = scenarios or _scenario_dir()
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise typer.BadParameter(f"no scenarios in {folder}", param_hint="--scenarios")
    if not json_out:
        _validate_and_show(files)
    st = Store(store)
    results, rows = [], []
    for file in files:
        t0 = time.perf_counter()
        scenario = load_scenario(file)
        opts = RunOptions(draws=draws, seed=seed, backend=backend, progress=not json_out)
        run_id, summary = run_scenario(scenario, opts, st, path=str(file),
                                       sensitivity=sensitivity,
                                       status=None if json_out else working)
        seconds = time.perf_counter() - t0
        path = write_report(st, run_id)
        results.append({**json_view(summary), "report": str(path), "seconds": seconds})
        if not json_out:
            print_summary(summary)
            console.print(f"report: [bold]{path}[/bold]  ({seconds:.1f} s simulated)\n")
        verdicts = [c["verdict"] for c in summary["claims"]]
        rows.append((scenario.meta.id, summary, verdicts, path))
    if json_out:
        emit_json(results)
        return
    t = Table(title="polemos demo: claims by scenario")
    for col in ("scenario", "likeliest outcome", "supported", "contradicted", "undecided"):
        t.add_column(col)
    for sid, summary, verdicts, _path in rows:
        top = max(summary["outcomes"] + [summary["none"]], key=lambda o: o["p"])
        t.add_row(sid, f"{top['label']} ({top['p']:.2f})", str(verdicts.count("supported")),
                  str(verdicts.count("contradicted")), str(verdicts.count("undecided")))
    console.print(t)
    console.print("reports (self-contained HTML, open offline):")
    for sid, _summary, _verdicts, path in rows:
        print(f"  {sid}: {path}")


def _validate_and_show(files: list[Path]) -> None:
    """Validate every scenario (stop on problems) and show what each one contains."""
    from polemos.scenario import ScenarioError, load_scenario

    t = Table(title="Seed scenarios (validated; `polemos show FILE` for every table)")
    for col in ("file", "title", "as of -> horizon", "actors", "issues", "events",
                "outcomes", "claims", "sources", "model sections"):
        t.add_column(col)
    problems = []
    for file in files:
        try:
            sc = load_scenario(file)
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        sections = [n for n in ("theatres", "economy", "escalation", "structure") if sc.section(n) is not None]
        t.add_row(file.name, sc.meta.title, f"{sc.meta.as_of} -> {sc.meta.horizon}",
                  str(len(sc.actors)), str(len(sc.issues)), str(len(sc.events)),
                  str(len(sc.outcomes)), str(len(sc.claims)), str(len(sc.meta.sources)),
                  ", ".join(sections) or "-")
    if problems:
        raise ScenarioError(problems)
    console.print(t)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
