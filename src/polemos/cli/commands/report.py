"""``polemos report RUN``: one self-contained HTML report (and PNG figures) of a run."""

from __future__ import annotations

from pathlib import Path

import typer

from polemos.cli.output import console, emit_json


def report(
    run_id: str | None = typer.Argument(None, help="Run id or prefix (default: the latest run)."),
    store: Path | None = typer.Option(None, "--store", help="Store directory (default .polemos)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Directory for report.html and PNGs."),
    json_out: bool = typer.Option(False, "--json", help="Print the paths as JSON."),
) -> None:
    """Write the report: outcomes, fan charts, rungs, bargaining, claims, sensitivity, sources."""
    from polemos.cli.commands.runs import resolve
    from polemos.report import write_report
    from polemos.store import Store

    st = Store(store)
    rid = resolve(st, run_id)
    path = write_report(st, rid, out)
    pngs = sorted(str(p) for p in path.parent.glob("*.png"))
    if json_out:
        emit_json({"run_id": rid, "html": str(path), "figures": pngs})
    else:
        console.print(f"report: {path} ({len(pngs)} figures)")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
