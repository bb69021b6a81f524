"""``polemos forecast freeze|resolve|verify|score``: the forecast register.

Defaults read and write the repository's ``forecasts/`` (run at its root): the register
``forecasts/register.jsonl`` (in git: the published record) with a copy in the store
(``.polemos/forecasts/register.jsonl``). See docs/forecasting.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from polemos.cli.output import console, console_err, emit_json

forecast_app = typer.Typer(help="Freeze forecasts, resolve them, verify and score the register.",
                           no_args_is_help=True)

DIR_HELP = "Forecast directory holding register.jsonl (default: ./forecasts)."


def _register_path(where: Path | None) -> Path:
    from polemos.forecast import DEFAULT_DIR, REGISTER_NAME

    where = where if where is not None else Path(DEFAULT_DIR)
    return where if where.suffix == ".jsonl" else where / REGISTER_NAME


def _store_register(store: Path | None) -> Path:
    from polemos.forecast import REGISTER_NAME
    from polemos.store import Store

    return Store(store).root / "forecasts" / REGISTER_NAME


def _entries(path: Path) -> list[dict]:
    from polemos.forecast import register as R

    try:
        return R.entries(path)
    except R.RegisterError as exc:
        console_err.print(str(exc), markup=False)
        raise typer.Exit(1) from None


def _append_both(path: Path, store: Path | None, body: dict, files: dict | None = None) -> dict:
    """Append ``body`` to the repository's register and the store's copy; ``files``
    (name relative to the register's folder -> text) are written beside each first."""
    from polemos.forecast import register as R

    for reg in (path, _store_register(store)):
        for name, text in (files or {}).items():
            target = reg.parent / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                target.write_text(text, encoding="utf-8")
    entry = R.append(path, body)
    R.append(_store_register(store), body)
    return entry


@forecast_app.command("freeze")
def freeze(
    file: Path = typer.Argument(..., help="Scenario YAML file with a 'questions:' section."),
    draws: int = typer.Option(2000, "--draws", "-n", min=10, help="Monte Carlo draws."),
    seed: int = typer.Option(0, "--seed", "-s", min=0, max=2**63 - 1, help="Random seed."),
    worlds: int | None = typer.Option(None, "--worlds", min=2,
                                      help="Worlds (input vectors); with --paths."),
    paths: int | None = typer.Option(None, "--paths", min=1, help="Paths per world."),
    where: Path | None = typer.Option(None, "--dir", help=DIR_HELP),
    store: Path | None = typer.Option(None, "--store", help="Store directory (default .polemos)."),
    contaminated: bool = typer.Option(False, "--contaminated",
                                      help="Record a scenario that cites sources published "
                                           "after its as_of, marked as contaminated."),
    json_out: bool = typer.Option(False, "--json", help="Print the entry as JSON."),
) -> None:
    """Run a scenario and seal its questions' forecasts in the register."""
    from polemos.forecast.freeze import FreezeRefused, freeze_entry, run_questions, snapshot
    from polemos.scenario import load_scenario
    from polemos.scenario.exante import late_sources
    from polemos.store import Store

    scenario = load_scenario(file)
    late = late_sources(scenario)
    if late and not contaminated:
        for s in late:
            console_err.print(f"{file}: {s.message()}", markup=False, highlight=False)
        console_err.print(f"{file}: refused: {len(late)} source(s) published after as_of "
                          f"{scenario.meta.as_of}; replace them with what was known then, or "
                          "pass --contaminated to record the forecast marked as such",
                          markup=False)
        raise typer.Exit(2)
    path = _register_path(where)
    _entries(path)  # an unreadable register is reported before a long run
    try:
        run_id, rows = run_questions(scenario, draws=draws, seed=seed, store=Store(store),
                                     path=str(file), worlds=worlds, paths=paths)
    except FreezeRefused as exc:
        console_err.print(str(exc), markup=False)
        raise typer.Exit(2) from None
    body = freeze_entry(scenario, rows, path=str(file), run_id=run_id, seed=seed, late=late)
    entry = _append_both(path, store, body, {body["snapshot"]: snapshot(scenario)[0]})
    if json_out:
        emit_json(entry)
        return
    _print_frozen(entry, path)


def _print_frozen(entry: dict, path: Path) -> None:
    from rich.table import Table

    t = Table(title=f"Frozen: {entry['scenario_id']} (as of {entry['as_of']})")
    for col, just in (("question", "left"), ("resolves", "left"), ("forecast", "right"),
                      ("95% MC interval", "right")):
        t.add_column(col, justify=just, overflow="fold")
    for q in entry["questions"]:
        if q["kind"] == "binary":
            t.add_row(q["id"], q["resolves"], f"{q['p']:.3f}",
                      f"{q['p_low']:.3f} - {q['p_high']:.3f}")
        else:
            qs = q["quantiles"] or []
            mid = f"{qs[49]:,.4g}" if qs else "n/a"
            span = f"{qs[4]:,.4g} - {qs[94]:,.4g}" if qs else ""
            t.add_row(q["id"], q["resolves"], mid, span + (" (5-95%)" if qs else ""))
    console.print(t)
    flags = [f for f, on in (("BACKTEST", entry["backtest"]),
                             ("CONTAMINATED", entry["contaminated"])) if on]
    console.print(f"entry {entry['seq']} ({entry['hash'][:12]}) appended to {path}"
                  + (f" [{', '.join(flags)}]" if flags else ""), markup=False)


@forecast_app.command("resolve")
def resolve(
    file: Path = typer.Argument(..., help="Resolution YAML file (resolutions:, references:)."),
    where: Path | None = typer.Option(None, "--dir", help=DIR_HELP),
    store: Path | None = typer.Option(None, "--store", help="Store directory (default .polemos)."),
) -> None:
    """Record what happened (and others' forecasts) in the register."""
    from polemos.forecast.resolutions import (
        check_against,
        load_resolutions,
        reference_body,
        resolution_body,
    )
    from polemos.forecast.scoring import forecasts
    from polemos.scenario.errors import Problem, ScenarioError, dotted
    from polemos.scenario.pydantic_errors import locate

    path = _register_path(where)
    rf, locs = load_resolutions(file)
    now = dt.datetime.now(dt.UTC)
    findings = check_against(rf, forecasts(_entries(path)), now.date())
    if findings:
        raise ScenarioError([Problem(str(file), *locate(locs, loc), dotted(loc), msg, hint)
                             for loc, msg, hint in findings])
    for r in rf.resolutions:
        _append_both(path, store, resolution_body(r, now))
    for ref in rf.references:
        _append_both(path, store, reference_body(ref, now))
    console.print(f"{len(rf.resolutions)} resolution(s) and {len(rf.references)} reference "
                  f"forecast(s) appended to {path}", markup=False)


@forecast_app.command("verify")
def verify(
    register: Path | None = typer.Argument(None, help="Register file or forecast directory "
                                                      "(default: ./forecasts)."),
    store: Path | None = typer.Option(None, "--store",
                                      help="Also verify the store's copy in this store."),
) -> None:
    """Check the register's hash chain; exit 1 naming any changed entry."""
    from polemos.forecast import register as R

    paths = [_register_path(register)] + ([_store_register(store)] if store else [])
    bad = 0
    for path in paths:
        if not path.exists():
            console_err.print(f"{path}: no register here; freeze a scenario first "
                              "(polemos forecast freeze FILE)", markup=False)
            bad += 1
            continue
        try:
            breaks = R.verify(path)
        except R.RegisterError as exc:
            console_err.print(str(exc), markup=False)
            bad += 1
            continue
        breaks += R.verify_snapshots(path)
        for b in breaks:
            console_err.print(b.message(path), markup=False, highlight=False)
        if breaks:
            bad += 1
        else:
            console.print(f"ok {path}: {len(R.read(path))} entries, chain intact", markup=False)
    raise typer.Exit(1 if bad else 0)


@forecast_app.command("score")
def score(
    register: Path | None = typer.Argument(None, help="Register file or forecast directory "
                                                      "(default: ./forecasts)."),
    json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    plot: Path | None = typer.Option(None, "--plot", help="Write the reliability diagram (PNG)."),
    scenario: str | None = typer.Option(None, "--scenario", help="Score one scenario id only."),
) -> None:
    """Brier and log scores, calibration, skill against baselines, CRPS."""
    from polemos.forecast import register as R
    from polemos.forecast.scoring import reliability_plot
    from polemos.forecast.scoring import score as compute

    path = _register_path(register)
    if not path.exists():
        console_err.print(f"{path}: no register here; run at the repository root or give "
                          "the register's path", markup=False)
        raise typer.Exit(1)
    entries = _entries(path)
    breaks = R.verify(path)
    if breaks:
        for b in breaks:
            console_err.print(b.message(path), markup=False, highlight=False)
        console_err.print("refusing to score a register whose chain is broken", markup=False)
        raise typer.Exit(1)
    try:
        result = compute(entries, scenario)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        console_err.print(f"{path}: an entry lacks what scoring needs ({type(exc).__name__}: "
                          f"{exc}); it was written by hand or by another tool: restore the "
                          "register from git", markup=False)
        raise typer.Exit(1) from None
    if scenario is not None and not result["n_frozen"]:
        known = sorted({e.get("scenario_id") for e in entries if e.get("kind") == "freeze"})
        console_err.print(f"no frozen question of scenario {scenario!r} in {path}; scenarios: "
                          f"{', '.join(known) or 'none'}", markup=False)
        raise typer.Exit(1)
    if plot is not None:
        reliability_plot(result, str(plot))
    if json_out:
        emit_json(result)
        return
    _print_scores(result)
    if plot is not None:
        console_err.print(f"reliability diagram: {plot}", markup=False)


def _fmt(x: float | None, spec: str = ".3f") -> str:
    return "n/a" if x is None else format(x, spec)


def _print_scores(res: dict) -> None:
    from rich.table import Table

    t = Table(title=f"Resolved questions: {res['n_resolved']} of {res['n_frozen']} frozen")
    for col, just in (("question", "left"), ("forecast", "right"), ("happened", "left"),
                      ("Brier", "right"), ("log", "right")):
        t.add_column(col, justify=just, overflow="fold")
    scenario = None
    for r in res["by_question"]:
        scen, qid = r["question"].split("/", 1)
        if scen != scenario:
            t.add_row(f"[bold]{scen}[/bold]", "", "", "", "")
            scenario = scen
        if r["kind"] == "binary":
            t.add_row("  " + qid, f"{r['p']:.3f}", r["outcome"], f"{r['brier']:.3f}",
                      f"{r['log_score']:.2f}")
        else:
            t.add_row("  " + qid, f"{r['median']:,.4g}", f"{r['value']:,.4g}",
                      f"CRPS {r['crps']:,.4g}", "")
    console.print(t)
    if len(res["by_scenario"]) > 1:
        for sid, part in res["by_scenario"].items():
            flag = " (CONTAMINATED)" if part["contaminated"] else ""
            console.print(f"{sid}{flag}: {part['n_resolved']} resolved, Brier "
                          f"{_fmt(part['brier'])}, log score {_fmt(part['log_score'])}",
                          markup=False)
    console.print(f"Brier {_fmt(res['brier'])} (coin 0.250), log score "
                  f"{_fmt(res['log_score'])} nats (coin 0.693); lower is better"
                  + ("; BACKTEST" if res["backtest"] else "")
                  + ("; CONTAMINATED entries included" if res["contaminated"] else ""),
                  markup=False)
    b = Table(title="Skill against baselines (1 - ours / baseline; > 0 is better)")
    for col in ("baseline", "n", "their Brier", "our Brier", "skill"):
        b.add_column(col, justify="left" if col == "baseline" else "right", overflow="fold")
    for v in res["baselines"].values():
        b.add_row(v["name"], str(v["n"]), _fmt(v["brier"]), _fmt(v["ours_brier"]),
                  _fmt(v["brier_skill"], "+.2f"))
    console.print(b)
    c = Table(title="Calibration (forecasts binned by tenths)")
    for col in ("forecast bin", "n", "mean forecast", "observed"):
        c.add_column(col, justify="right")
    for row in res["calibration"]:
        if row["n"]:
            c.add_row(row["bin"], str(row["n"]), _fmt(row["mean_forecast"]), _fmt(row["observed"]))
    console.print(c)


def register(app: typer.Typer) -> None:
    app.add_typer(forecast_app, name="forecast")
