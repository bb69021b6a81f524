"""``polemos economy FILE``: an actor's war economy, and the effect of measures on it.

    polemos economy scenario.yaml --actor RUS --weeks 52 --draws 2000
    polemos economy scenario.yaml --without us_rosneft_lukoil --json

``--without`` reruns the same draws (same parameters, same random numbers) with the named
measures switched off and reports the difference in defence spending, recruits and
production with and without them, with intervals.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.table import Table

from polemos.cli.output import console, emit_json, print_table, working

LEVEL = 0.9
SHOWN = ("oil_gas_revenue", "export_revenue", "reserve_fund", "defence_spending", "recruits")
EFFECT_ROWS = ("output", "output_loss", "exports", "imports", "rerouted", "reserves_frozen",
               "oil_gas_revenue", "export_revenue", "urals_price", "reserve_fund", "debt",
               "defence_spending", "recruits")
TRADE_SHOWN = ("output", "output_loss", "exports", "imports", "rerouted")


def _steps(sc, weeks: int | None, months: int | None) -> tuple[int, float, str]:
    import numpy as np

    from polemos.models.economy.counterfactual import STEP_WEEKS

    if weeks is not None and months is not None:
        raise typer.BadParameter("give --weeks or --months, not both")
    if weeks is not None:
        return weeks, 1.0, "week"
    if months is not None:
        return months, STEP_WEEKS["month"], "month"
    step = str(sc.meta.step)
    dtw = STEP_WEEKS[step]
    n = int(np.ceil((sc.meta.horizon - sc.meta.as_of).days / 7.0 / dtw))
    return max(n, 1), dtw, step


def _default_actor(sec) -> str:
    targeted = [m.target for m in sec.measures if m.target in sec.actors]
    if targeted:
        return targeted[0]
    if not sec.actors:
        raise typer.BadParameter("the economy section declares no actors")
    return next(iter(sec.actors))


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.3g}"


def _cell(q: dict, i) -> str:
    return f"{_fmt(q['median'][i])} [{_fmt(q['low'][i])}, {_fmt(q['high'][i])}]"


def economy(
    file: Path = typer.Argument(..., help="Scenario YAML file with an economy section."),
    actor: str | None = typer.Option(None, "--actor", help="Actor id (default: a target)."),
    weeks: int | None = typer.Option(None, "--weeks", min=1, help="Weekly steps to run."),
    months: int | None = typer.Option(None, "--months", min=1, help="Monthly steps to run."),
    draws: int = typer.Option(2000, "--draws", min=1, help="Monte Carlo draws."),
    seed: int = typer.Option(20251022, "--seed", min=0, max=2**63 - 1, help="Random seed."),
    without: list[str] = typer.Option([], "--without", help="Counterfactual without measure."),
    json_out: bool = typer.Option(False, "--json", help="Print results as JSON."),
    plot: Path | None = typer.Option(None, "--plot", help="Write a PNG of the trajectories."),
) -> None:
    """Trajectories of oil revenue, budget, reserve fund, defence spending and output."""
    from polemos.models.economy import counterfactual as cf
    from polemos.models.economy.build import section_of
    from polemos.scenario.load import load_scenario

    sc = load_scenario(file)
    sec = section_of(sc, str(file))
    actor = actor or _default_actor(sec)
    if actor not in sec.actors:
        raise typer.BadParameter(f"no economy for {actor!r}; actors: {', '.join(sec.actors)}",
                                 param_hint="--actor")
    n_steps, dtw, step = _steps(sc, weeks, months)
    try:
        with working(f"simulating the war economy of {actor} ({draws:,} draws, paired)"):
            run = cf.run_actor(sc, actor, n_draws=draws, n_steps=n_steps, dt_weeks=dtw,
                               seed=seed, without=tuple(without))
    except cf.UnknownMeasure as exc:
        raise typer.BadParameter(str(exc), param_hint="--without") from None
    dates = [sc.meta.as_of + dt.timedelta(days=7.0 * dtw * t) for t in range(n_steps)]
    traj = {k: cf.interval(v, LEVEL) for k, v in run.with_.items()}
    totals = {k: cf.interval(v[:, -1] if k in cf.STOCKS else v.sum(axis=1), LEVEL)
              for k, v in run.with_.items()}
    effects = cf.effects(run, LEVEL)
    currency = sec.actors[actor].currency
    if plot is not None:
        _plot(plot, dates, run, traj, actor, currency)
    if json_out:
        doc = {"scenario": sc.meta.id, "actor": actor, "currency": currency, "step": step,
               "dt_weeks": dtw, "draws": draws, "seed": seed, "level": LEVEL,
               "measures": list(run.measures), "dates": dates, "trajectories": traj,
               "totals": {k: {q: float(x) for q, x in v.items()} for k, v in totals.items()}}
        if run.without is not None:
            doc["without"] = list(run.removed)
            doc["counterfactual"] = {k: cf.interval(v, LEVEL) for k, v in run.without.items()}
            doc["effects"] = effects
        emit_json(doc)
        return
    _print(sc, actor, currency, step, dates, traj, totals, run, effects)


def _print(sc, actor, currency, step, dates, traj, totals, run, effects) -> None:
    import numpy as np

    console.rule(f"[bold]{sc.meta.title}[/bold]: economy of {actor}")
    console.print(f"amounts in {currency} bn per {step} (export revenue USD bn); median "
                  f"[{int(LEVEL * 100)} % interval]; measures on {actor}: "
                  f"{', '.join(run.measures) or 'none'}")
    n = len(dates)
    rows = sorted(set(np.linspace(0, n - 1, min(n, 10)).round().astype(int)))
    output = [k for k in traj if k.startswith("production.")]
    if sc.economy.actors[actor].recruitment is not None:
        output = ["recruits", *output]
    tables = [("Trade and output (USD bn)", [k for k in TRADE_SHOWN if k in traj]),
              ("Budget", [k for k in SHOWN if k != "recruits" and k in traj]),
              ("Defence output", output)]
    for title, shown in tables:
        if not shown:
            continue
        t = Table(title=title)
        t.add_column("date")
        for k in shown:
            t.add_column(k)
        for i in rows:
            t.add_row(str(dates[i]), *[_cell(traj[k], i) for k in shown])
        t.add_row("total", *[_cell({q: [v] for q, v in totals[k].items()}, 0) for k in shown],
                  style="bold")
        t.caption = "total: flows summed over the horizon, reserve fund at the horizon"
        print_table(t)
    if run.without is None:
        return
    t = Table(title=f"Effect of {', '.join(run.removed)} (with minus without, paired draws)")
    for col in ("variable", "with", "without", "difference [90%]", "%", "changed"):
        t.add_column(col)
    rows = [k for k in EFFECT_ROWS if k in effects
            and (k != "recruits" or sc.economy.actors[actor].recruitment is not None)]
    rows += [k for k in effects if k.startswith("production.")]
    for k in rows:
        e = effects[k]
        t.add_row(k, _fmt(e["with"]), _fmt(e["without"]),
                  f"{_fmt(e['diff_median'])} [{_fmt(e['diff_low'])}, {_fmt(e['diff_high'])}]",
                  f"{e['pct_median']:+.2f}", f"{100 * e['share_changed']:.0f}%")
    t.caption = "flows summed over the horizon; reserve fund, debt and price at the horizon"
    print_table(t)


def _plot(path: Path, dates, run, traj, actor, currency) -> None:
    import matplotlib
    import numpy as np

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = [k for k in ("output", "imports", "oil_gas_revenue", "reserve_fund",
                        "defence_spending", "recruits") if k in traj]
    keys += [k for k in traj if k.startswith("production.")]
    fig, axes = plt.subplots((len(keys) + 1) // 2, 2, figsize=(11, 2.6 * ((len(keys) + 1) // 2)),
                             squeeze=False)
    for ax, k in zip(axes.flat, keys, strict=False):
        q = traj[k]
        ax.fill_between(dates, q["low"], q["high"], alpha=0.25, label=f"{int(LEVEL * 100)} %")
        ax.plot(dates, q["median"], label="with measures")
        if run.without is not None:
            ax.plot(dates, np.median(run.without[k], axis=0), "--",
                    label=f"without {', '.join(run.removed)}")
        ax.set_title(k, fontsize=9)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(keys):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7)
    fig.suptitle(f"Economy of {actor} ({currency} bn per step)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def register(app: typer.Typer) -> None:
    app.command("economy")(economy)
