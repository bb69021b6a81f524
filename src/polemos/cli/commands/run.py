"""``polemos run FILE``: the coupled Monte Carlo simulation of a scenario."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from polemos.cli.output import console, console_err, emit_json, working

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


_HEAVY = {"holds", "curve", "draws"}


def json_view(summary: dict[str, Any]) -> dict[str, Any]:
    """What ``--json`` prints: outcome probabilities with intervals and the claims ledger.

    Every claim field of the summary is kept (the per-draw ``holds`` vector excepted), so
    new ledger fields (credence, conditions, reading, ...) reach ``--json`` as they appear.
    """
    rec = summary["record"]
    out = {
        "run_id": summary["run_id"], "scenario": rec["scenario_id"], "draws": summary["draws"],
        "worlds": summary.get("worlds"), "paths": summary.get("paths"),
        "seed": rec["seed"], "design": rec["design"],
        "outcomes": [{k: v for k, v in o.items() if k not in _HEAVY}
                     for o in summary["outcomes"]] + [
            {k: summary["none"][k] for k in ("id", "label", "p", "low", "high")}],
        "claims": [{k: v for k, v in c.items() if k not in _HEAVY} for c in summary["claims"]],
    }
    for key in ("worlds", "paths", "sensitivity", "sensitivity_method"):
        if summary.get(key) is not None:
            out[key] = summary[key]
    return out


def _num(x: float | None, fmt: str = "+.3g") -> str:
    return "" if x is None else format(x, fmt)


def claim_support(row: dict[str, Any]) -> str:
    """The credence with its interval when the ledger has it, else the share of resamples."""
    if row.get("credence") is not None:
        lo, hi = row.get("credence_low"), row.get("credence_high")
        ci = f" [{lo:.0%}-{hi:.0%}]" if lo is not None and hi is not None else ""
        return f"{row['credence']:.0%}{ci}"
    return "" if row.get("holds_share") is None else f"{row['holds_share']:.0%}"


def print_summary(summary: dict[str, Any], labeller: Any = None) -> None:
    """Outcomes, the claims ledger (with readings) and any sensitivity ranking."""
    from polemos.scenario.labels import Labeller

    lab = labeller or Labeller(None)
    rec = summary["record"]
    n = f"{summary['draws']:,} draws"
    if summary.get("worlds"):
        n = f"{summary['worlds']:,} worlds x {summary.get('paths', 1):,} paths"
    t = Table(title=f"{rec['title']} - {n}, seed {rec['seed']}",
              caption="95% interval: Monte Carlo uncertainty of P from the number of draws")
    t.add_column("outcome")
    t.add_column("P", justify="right")
    t.add_column("95% interval", justify="right")
    spread = any(o.get("spread") for o in summary["outcomes"])
    if spread:
        t.add_column("across worlds (5%-95%)", justify="right")
    for o in summary["outcomes"] + [summary["none"]]:
        row = [o["label"], f"{o['p']:.3f}", f"{o['low']:.3f} - {o['high']:.3f}"]
        if spread:
            sp = o.get("spread") or {}
            row.append(f"{sp['p05']:.3f} - {sp['p95']:.3f}" if sp else "")
        t.add_row(*row)
    console.print(t)
    if summary["claims"]:
        credence = any(c.get("credence") is not None for c in summary["claims"])
        c = Table(title="Claims ledger", caption="margin: how far the claim's proposition is "
                  "from flipping, with its 90% interval; full text and drivers in the report")
        for col in ("claim", "verdict", "credence" if credence else "holds in",
                    "margin [90%]", "moved most by"):
            c.add_column(col)
        for row in summary["claims"]:
            mi = row.get("margin_interval")
            margin = "" if mi is None or row.get("margin") is None else \
                f"{row['margin']:+.3g} [{_num(mi[0])}, {_num(mi[1])}]"
            drivers = "; ".join(d.get("label") or lab(d["parameter"])
                                for d in row.get("drivers") or []
                                if d.get("stability", 1.0) >= 0.5)
            verdict = row["verdict"] + (f" ({row['error']})" if row.get("error") else "")
            if row["verdict"] == "fixed":
                verdict = f"fixed ({row.get('fixed_as', '')})"
            c.add_row(row["id"], verdict, claim_support(row), margin, drivers)
        console.print(c)
        for row in summary["claims"]:
            if row.get("reading"):
                console.print(f"{row['id']}: {row['reading']}", highlight=False, soft_wrap=False)
    sens = summary.get("sensitivity") or {}
    if sens:
        s = Table(title=f"Global sensitivity ({summary.get('sensitivity_method', 'SALib')})",
                  caption="the three inputs that move each outcome or claim most")
        for col in ("outcome or claim", "input", "index"):
            s.add_column(col)
        for target, block in sens.items():
            for r in (block or {}).get("indices", [])[:3]:
                key = next((k for k in ("ST", "mu_star", "S1") if k in r), None)
                s.add_row(target, lab(r["parameter"]), "" if key is None else
                          f"{key} {r[key]:.3f}")
        console.print(s)


def run(
    file: Path = typer.Argument(..., help="Scenario YAML file."),
    draws: int = typer.Option(2000, "--draws", "-n", min=1,
                              help="Monte Carlo draws (worlds of --paths paths each)."),
    worlds: int | None = typer.Option(None, "--worlds", "-w", min=1,
                                      help="Worlds: input vectors sampled by the design."),
    paths: int | None = typer.Option(None, "--paths", "-k", min=1,
                                     help="Paths per world: random streams (default 20)."),
    seed: int = typer.Option(0, "--seed", "-s", min=0, max=2**63 - 1, help="Random seed."),
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
    opts = RunOptions(draws=draws, worlds=worlds, paths=paths, seed=seed, design=design, backend=backend, workers=workers,
                      chunk=chunk, scheduler=scheduler, resume=resume, overrides=overrides,
                      progress=not json_out, store_params=not no_params)
    from polemos.scenario.advice import date_warnings
    from polemos.scenario.labels import Labeller

    for w in date_warnings(scenario, str(file)):
        console_err.print(f"warning: {w.format()}", markup=False, highlight=False)
    st = Store(store)
    run_id, summary = run_scenario(scenario, opts, st, path=str(file), sensitivity=sensitivity,
                                   status=None if json_out else working)
    html = None
    if report:
        from polemos.report import write_report

        html = write_report(st, run_id)
    if json_out:
        emit_json({**json_view(summary), "store": str(st.root),
                   "report": None if html is None else str(html)})
        return
    print_summary(summary, Labeller(scenario))
    console.print(f"run {run_id}", highlight=False, soft_wrap=True)
    console.print(f"stored in {st.root}", highlight=False, soft_wrap=True)
    if html is not None:
        console.print(f"report: {html}", highlight=False, soft_wrap=True)
    else:
        console.print(f"report: polemos report {run_id}  (or run again with --report)",
                      highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("run")(run)
