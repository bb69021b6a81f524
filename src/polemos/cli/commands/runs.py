"""``polemos runs list|show|export``: the run catalog."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from polemos.cli.output import console, emit_json

runs_app = typer.Typer(help="List, show and export stored runs.", no_args_is_help=True)
STORE_OPT = typer.Option(None, "--store", help="Store directory (default .polemos).")


def _store(path: Path | None):
    from polemos.store import Store

    return Store(path)


def _resolve(st, run_id: str | None) -> str:
    run_id = run_id or st.latest()
    if run_id is None:
        raise typer.BadParameter(f"no runs in {st.root}; start one with `polemos run FILE`")
    try:
        return st.get_run(run_id)["run_id"]
    except KeyError as exc:
        raise typer.BadParameter(str(exc.args[0])) from None


@runs_app.command("list")
def list_runs(store: Path | None = STORE_OPT,
              json_out: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Every run in the store, oldest first."""
    rows = _store(store).runs()
    if json_out:
        emit_json(rows)
        return
    t = Table()
    for col in ("run", "scenario", "draws", "seed", "design", "blocks", "status", "created"):
        t.add_column(col)
    for r in rows:
        total = -(-r["draws"] // r["block_size"])
        t.add_row(r["run_id"], r["scenario_id"], f"{r['draws']:,}", str(r["seed"]), r["design"],
                  f"{r['blocks_done']}/{total}", r["status"], r["created"][:19])
    console.print(t)


@runs_app.command("show")
def show(run_id: str | None = typer.Argument(None, help="Run id or prefix (default: latest)."),
         store: Path | None = STORE_OPT,
         json_out: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """A run's configuration, outcomes and claims."""
    from polemos.cli.commands.run import json_view, print_summary

    st = _store(store)
    rid = _resolve(st, run_id)
    rec = st.get_run(rid)
    try:
        summary = st.summary(rid)
    except KeyError:
        summary = None
    if json_out:
        emit_json({"run": rec, **(json_view(summary) if summary else {})})
        return
    for key in ("run_id", "scenario_id", "path", "content_hash", "seed", "design", "draws",
                "status", "created", "finished", "overrides", "versions"):
        console.print(f"[bold]{key}[/bold]: {rec.get(key)}", highlight=False)
    if summary:
        print_summary(summary)
    else:
        console.print("not summarised yet: rerun the same command with --resume")


@runs_app.command("export")
def export(run_id: str | None = typer.Argument(None, help="Run id or prefix (default: latest)."),
           out: Path = typer.Option(..., "--out", "-o", help="Output file."),
           fmt: str = typer.Option("", "--format", help="csv | parquet (default: from --out)."),
           store: Path | None = STORE_OPT) -> None:
    """Every draw of a run (parameters, outcomes, observables) as CSV or Parquet."""
    st = _store(store)
    rid = _resolve(st, run_id)
    fmt = fmt or ("parquet" if out.suffix == ".parquet" else "csv")
    if fmt not in ("csv", "parquet"):
        raise typer.BadParameter(f"{fmt!r}; use csv or parquet", param_hint="--format")
    st.export(rid, out, fmt)
    console.print(json.dumps({"run_id": rid, "out": str(out), "format": fmt}))


def register(app: typer.Typer) -> None:
    app.add_typer(runs_app, name="runs")
