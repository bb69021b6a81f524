"""``polemos runs list|show|export|verify|repair``: the run catalog and its blocks."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from polemos.cli.output import console, emit_json

runs_app = typer.Typer(help="List, show, export, verify and repair stored runs.",
                       no_args_is_help=True)
STORE_OPT = typer.Option(None, "--store", help="Store directory (default .polemos).")


def _store(path: Path | None):
    from polemos.store import Store

    return Store(path)


def resolve(st, run_id: str | None) -> str:
    """A run id from an id or unique prefix (default: latest); candidates listed if ambiguous."""
    from polemos.results import resolve_run

    try:
        return resolve_run(st, run_id)
    except KeyError as exc:
        raise typer.BadParameter(str(exc.args[0]), param_hint="RUN") from None


_resolve = resolve


@runs_app.command("list")
def list_runs(store: Path | None = STORE_OPT,
              json_out: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Every run in the store, oldest first."""
    rows = _store(store).runs()
    if json_out:
        emit_json(rows)
        return
    if not rows:
        console.print(f"no runs in {_store(store).root}; start one with `polemos run FILE`")
        return
    t = Table(caption="the run id begins with the scenario id and the UTC time it started")
    for col in ("run", "draws", "seed", "status"):
        t.add_column(col, justify="right" if col in ("draws", "seed") else "left")
    for r in rows:
        total = -(-r["draws"] // r["block_size"])
        status = r["status"] if r["blocks_done"] >= total else \
            f"{r['status']} ({r['blocks_done']}/{total} blocks)"
        design = "" if r["design"] == "plain" else f" {r['design']}"
        t.add_row(r["run_id"], f"{r['draws']:,}{design}", str(r["seed"]), status)
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
           out: str | None = typer.Option(None, "--out", "-o",
                                          help="Output file; '-' for standard output "
                                               "(default: RUN_ID.csv or RUN_ID.parquet here)."),
           fmt: str = typer.Option("", "--format", help="csv | parquet (default: from --out, "
                                                        "else csv)."),
           store: Path | None = STORE_OPT,
           json_out: bool = typer.Option(False, "--json", help="Print what was written as JSON."),
           raw: bool = typer.Option(False, "--raw", help="The store's own columns (p:, t:, o: "
                                                         "prefixes, outcome codes, -1 for never)."),
           ) -> None:
    """Every draw of a run as CSV or Parquet: one row per draw, the outcome by its label,
    weeks to each outcome (empty for never), the state variables claims read, the inputs."""
    import sys
    import tempfile

    st = _store(store)
    rid = _resolve(st, run_id)
    fmt = fmt or ("parquet" if out and out.endswith(".parquet") else "csv")
    if fmt not in ("csv", "parquet"):
        raise typer.BadParameter(f"{fmt!r}; use csv or parquet", param_hint="--format")
    if out == "-":
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"export.{fmt}"
            _export(st, rid, path, fmt, raw)
            sys.stdout.flush()
            with open(path, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
        return
    target = Path(out) if out else Path(f"{rid}.{fmt}")
    _export(st, rid, target, fmt, raw)
    info = {"run_id": rid, "out": str(target), "format": fmt}
    if json_out:
        emit_json(info)
    else:
        console.print(f"wrote {target} ({fmt}, every draw of run {rid})", highlight=False,
                      soft_wrap=True)


def _export(st, rid: str, path: Path, fmt: str, raw: bool) -> None:
    if raw:
        st.export(rid, path, fmt)
        return
    from polemos.results import Result

    df = Result(st, rid).draws()
    if fmt == "parquet":
        df.to_parquet(path, index=False)
    else:
        df.to_csv(path, index=False)


@runs_app.command("verify")
def verify(run_id: str | None = typer.Argument(None, help="Run id or prefix (default: latest)."),
           store: Path | None = STORE_OPT,
           json_out: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Check every block of a run against its checksum; exit 1 naming damaged blocks."""
    st = _store(store)
    rid = _resolve(st, run_id)
    bad = st.verify(rid)
    if json_out:
        emit_json({"run_id": rid, "ok": not bad,
                   "damaged": [{"block": b, "problem": why} for b, why in sorted(bad.items())]})
    elif bad:
        for b, why in sorted(bad.items()):
            console.print(f"block {b}: {why}", markup=False, highlight=False)
        console.print(f"run {rid}: {len(bad)} damaged or missing block(s); "
                      f"`polemos runs repair {rid}` recomputes them", markup=False, soft_wrap=True)
    else:
        console.print(f"run {rid}: every block matches its checksum", markup=False, soft_wrap=True)
    if bad:
        raise typer.Exit(1)


@runs_app.command("repair")
def repair(run_id: str | None = typer.Argument(None, help="Run id or prefix (default: latest)."),
           store: Path | None = STORE_OPT,
           json_out: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Recompute a run's damaged or missing blocks (the same bits) and check them again."""
    from polemos.engine.repair import repair_run

    st = _store(store)
    rid = _resolve(st, run_id)
    out = repair_run(st, rid)
    if json_out:
        emit_json({"run_id": rid, "repaired": out["repaired"], "summarised": out["summarised"],
                   "left": [{"block": b, "problem": w} for b, w in sorted(out["left"].items())]})
    else:
        for b in out["repaired"]:
            console.print(f"block {b}: recomputed ({out['problems'][b]})", markup=False, soft_wrap=True,
                          highlight=False)
        done = "nothing to repair" if not out["repaired"] else "repaired"
        console.print(f"run {rid}: {done}" + ("; summarised" if out["summarised"] else ""),
                      markup=False, soft_wrap=True)
    if out["left"]:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(runs_app, name="runs")
