"""``polemos bargain FILE``: forecast the outcome of contested issues.

    polemos bargain emissions.csv --model eum --rounds 8
    polemos bargain scenario.yaml --issue donbas --model all --draws 2000 --json
    polemos bargain SOE-Pol-Comp.csv --model smp --plot trajectories.png

FILE is a plain CSV (``actor,capability,position,salience[,issue]``), a KTAB scenario
CSV or XML scenario, a decide-exchange-model file (``#A``/``#P``/``#D`` rows,
tab-separated), or a polemos scenario YAML (its ``issues`` and actors' ``influence``). With
``--json`` one object per model and issue is printed (a list when there are several):
``{"model", "issue", "rounds": [{"round", "median", "mean", "positions"}], "forecast",
"forecast_interval", "zopa_probability", ...}``. ``median`` and ``mean`` are the
capability x salience weighted median and mean of the actors' positions after each
round (central values over Monte Carlo draws); static models report one round.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from polemos.cli.output import console, console_err, emit_json

if TYPE_CHECKING:
    import numpy as np

LEVELS = (0.05, 0.95)


class ModelChoice(StrEnum):
    eum = "eum"
    smp = "smp"
    compromise = "compromise"
    median = "median"
    nash = "nash"
    all = "all"


ORDER = ["compromise", "median", "nash", "eum", "smp"]


@dataclass
class Problem:
    """One issue as per-actor quantities (numbers or distributions), possibly k-dimensional."""

    id: str
    name: str
    actors: list[str]
    capability: list[Any]
    position: list[list[Any]]  # n x k
    salience: list[list[Any]]  # n x k, 0-100
    dims: list[str] = field(default_factory=lambda: ["position"])
    status_quo: list[Any] | None = None  # per dimension
    notes: list[str] = field(default_factory=list)
    scale: tuple[float, float] = (0.0, 100.0)


def _from_csv(path: Path) -> list[Problem]:
    from polemos.datasets.bargaining import BargainingFormatError, read_bargaining_file

    try:
        inputs = read_bargaining_file(path)
    except BargainingFormatError as exc:
        raise typer.BadParameter(str(exc), param_hint="FILE") from None
    out = []
    for key, inp in inputs.items():
        if key == "issue" and len(inputs) == 1:
            key = path.stem
        if inp.dims != ["position"] and len(inp.dims) == 1:
            key = inp.dims[0]  # a one-dimension KTAB file: the issue is its dimension
        out.append(
            Problem(
                id=key,
                name=inp.name,
                actors=inp.actors,
                capability=[float(v) for v in inp.capability],
                position=inp.position.tolist(),
                salience=(100.0 * inp.salience).tolist(),
                dims=inp.dims if inp.position.shape[1] > 1 else [key],
                scale=inp.scale,
                notes=list(inp.notes),
            )
        )
    return out


def _from_scenario(path: Path) -> list[Problem]:
    from polemos.scenario.load import load_scenario

    sc = load_scenario(path)
    actors = {a.id: a for a in sc.actors}
    out = []
    for issue in sc.issues:
        ids = [a for a in issue.positions if a in actors]
        if not ids:
            continue
        notes = []
        caps = []
        for a in ids:
            infl = actors[a].influence
            if infl is None:
                notes.append(f"{a} has no influence; weight 1 used")
                infl = 1.0
            caps.append(infl)
        out.append(
            Problem(
                id=issue.id,
                name=issue.name,
                actors=ids,
                capability=caps,
                position=[[issue.positions[a].position] for a in ids],
                salience=[[issue.positions[a].salience] for a in ids],
                dims=[issue.id],
                status_quo=None if issue.status_quo is None else [issue.status_quo],
                notes=notes,
            )
        )
    return out


def load_problems(path: Path) -> list[Problem]:
    """Issues of FILE: a decide-format file (``#A``/``#P``/``#D`` rows, any extension), a
    CSV or TSV (KTAB or plain, by extension ``.csv``/``.tsv``/``.txt``), else a scenario YAML."""
    from polemos.datasets.bargaining import is_decide

    if not path.is_file():
        raise typer.BadParameter(f"no such file: {path}", param_hint="FILE")
    if path.suffix.lower() in (".csv", ".tsv", ".txt", ".dat", ".xml"):
        return _from_csv(path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        with path.open(encoding="utf-8-sig", errors="replace") as fh:
            if is_decide(fh.read(4096)):
                return _from_csv(path)
    return _from_scenario(path)


def sample(problem: Problem, n_draws: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """``capability (D, n)``, ``position (D, n, k)``, ``salience (D, n, k)`` in [0, 1]."""
    from polemos.models.bargaining.forecast import draw_inputs

    out = draw_inputs(problem.capability, problem.position, problem.salience, n_draws, rng,
                      status_quo=problem.status_quo)
    out["salience"] = out["salience"] / 100.0
    return out


def _round_entry(r: int, pos: np.ndarray, w: np.ndarray, actors: list[str]) -> dict:
    """Central (over draws) weighted median, mean and positions of one round, one dimension."""
    import numpy as np

    from polemos.models.bargaining._common import weighted_mean, weighted_median

    return {
        "round": r,
        "median": float(np.median(weighted_median(pos, w))),
        "mean": float(np.mean(weighted_mean(pos, w))),
        "positions": {a: float(v) for a, v in zip(actors, np.median(pos, axis=0), strict=True)},
    }


def _result(model, problem, dim, forecast, traj, w, zopa, extra=None) -> dict:
    """One JSON object: rounds from ``traj`` (D, T+1, n), index 0 being the input."""
    import numpy as np

    f = np.asarray(forecast, dtype=float)
    rounds = traj.shape[1] - 1
    if rounds == 0:
        entries = [_round_entry(1, traj[:, 0], w, problem.actors)]
    else:
        entries = [_round_entry(t, traj[:, t], w, problem.actors) for t in range(1, rounds + 1)]
    issue = problem.id if len(problem.dims) == 1 else problem.dims[dim]
    out = {
        "model": model,
        "issue": issue,
        "rounds": entries,
        "forecast": float(np.median(f)),
        "forecast_mean": float(f.mean()),
        "forecast_interval": [float(v) for v in np.quantile(f, LEVELS)],
        "zopa_probability": zopa,
        "initial": _round_entry(0, traj[:, 0], w, problem.actors),
        "draws": int(f.shape[0]),
    }
    out.update(extra or {})
    return out


def run_problem(
    problem: Problem, models: list[str], rounds: int | None, draws: int, seed: int
) -> list[dict]:
    """Run ``models`` on ``problem``; one result per model and dimension."""
    from polemos.models.bargaining import compromise, eum, median, nash
    from polemos.numerics.rng import child_generator

    data = sample(problem, draws, child_generator(seed, 0))
    c, x, s = data["capability"], data["position"], data["salience"]
    sq = data.get("status_quo")
    results = []
    k = x.shape[-1]
    for dim in range(k):
        xd, sd = x[..., dim], s[..., dim]
        w = c * sd
        sqd = None if sq is None else sq[:, dim]
        zopa = float(nash.zone(c, xd, sd, sqd)[2].mean())
        static = xd[:, None, :]
        for model in models:
            if model == "compromise":
                f = compromise.run(c, xd, sd)["forecast"]
                results.append(_result(model, problem, dim, f, static, w, zopa))
            elif model == "median":
                f = median.run(c, xd, sd)["forecast"]
                results.append(_result(model, problem, dim, f, static, w, zopa))
            elif model == "nash":
                out = nash.run(c, xd, sd, status_quo=sqd)
                extra = {"agreement_probability": float(out["agreement"].mean())}
                results.append(_result(model, problem, dim, out["forecast"], static, w, zopa, extra))
            elif model == "eum":
                out = eum.run(c, xd, sd, rounds=10 if rounds is None else rounds,
                              workers=min(2, os.cpu_count() or 1))
                results.append(_result(model, problem, dim, out["forecast"], out["positions"], w, zopa,
                                       _eum_cycle(problem.actors, out)))
    if "smp" in models:
        zopas = [float(nash.zone(c, x[..., k], s[..., k], None if sq is None else sq[:, k])[2].mean())
                 for k in range(x.shape[-1])]
        results.extend(_run_smp(problem, c, x, s, rounds, zopas))
    return results


def _eum_cycle(actors: list[str], out: dict) -> dict:
    """Convergence and cycles of an EUM run (shares over draws; the cycle of the draws
    with the commonest period). ``forecast`` is the long-run median (eum.run)."""
    import numpy as np

    period = out["period"]
    cyc = period > 1
    common = int(np.bincount(period[cyc]).argmax()) if cyc.any() else 0
    info = {
        "forecast_rule": "long-run median: limit, mean over the cycle, or mean over rounds "
                         "61-120 when neither (eum.run)",
        "forecast_last_round": float(np.median(out["forecast_last"])),
        "converged": bool(out["converged"].mean() > 0.5),
        "cycle": bool(cyc.mean() > 0.5),
        "settled_share": float(out["settled"].mean()),
        "converged_share": float(out["converged"].mean()),
        "cycle_share": float(cyc.mean()),
        "period": common,
        "cycle_median_range": [float(np.median(out["cycle_low"])),
                               float(np.median(out["cycle_high"]))],
    }
    if common:
        d = int(np.flatnonzero(period == common)[0])
        states = out["cycle_positions"][d, :common]
        info["cycle_start"] = int(out["cycle_start"][d])
        info["cycle_positions"] = {a: [float(v) for v in states[:, i]] for i, a in enumerate(actors)}
    return info


def _run_smp(problem, c, x, s, rounds, zopas) -> list[dict]:
    import numpy as np

    from polemos.models.bargaining import smp

    total = s.sum(axis=-1, keepdims=True)
    if (total > 1).any():  # KTAB needs total salience <= 1 per actor: rescale, keep ratios
        s = s / np.maximum(total, 1.0)
    lo, hi = problem.scale
    if not hi > lo:
        lo, hi = float(x.min()), float(x.max()) if x.max() > x.min() else float(x.min()) + 1.0
    c = np.maximum(c, 1e-9)  # KTAB needs a positive voting weight
    out = smp.run(c, x, s, max_turns=100 if rounds is None else max(rounds, 1), scale=(lo, hi))
    turns = int(out["turns"].max())
    held = _smp_actor_probabilities(problem.actors, out, turns)  # joint over dimensions
    res = []
    for dim in range(x.shape[-1]):
        traj = out["positions"][:, : turns + 1, :, dim]
        w = c * s[..., dim]
        zopa = zopas[dim]
        extra = {
            "turns": turns,
            "probabilities": {
                a: float(v)
                for a, v in zip(problem.actors, out["probabilities"][:, turns].mean(axis=0), strict=True)
            },
            "position_probabilities": held,
        }
        res.append(_result("smp", problem, dim, out["forecast"][:, dim], traj, w, zopa, extra))
    return res


def _smp_actor_probabilities(actors: list[str], out: dict, turn: int) -> list[dict]:
    """Per actor, at ``turn``: ``position_probability`` (KTAB's convention: the probability
    of the position the actor holds), ``share`` (that probability split equally among the
    actors holding the position; shares sum to 1) and ``coincident_with`` (the other
    actors holding the same position in most draws). Means over draws."""
    import numpy as np

    held = out["position_probability"][:, turn].mean(axis=0)
    share = out["probabilities"][:, turn].mean(axis=0)
    group = out["position_group"][:, turn]
    same = (group[:, :, None] == group[:, None, :]).mean(axis=0) > 0.5
    return [
        {
            "actor": a,
            "position_probability": float(held[i]),
            "share": float(share[i]),
            "coincident_with": [actors[j] for j in np.flatnonzero(same[i]) if j != i],
        }
        for i, a in enumerate(actors)
    ]


def _eum_note(r: dict) -> str:
    """One plain sentence on how an EUM run ended (convergence, cycle or oscillation)."""
    lo, hi = r["cycle_median_range"]
    head = f"eum on {r['issue']}: "
    if r["converged"]:
        return head + f"converges; forecast {r['forecast']:.3g} (its limit)."
    if r["cycle"]:
        return head + (f"cycles with period {r['period']} (median {lo:.3g} to {hi:.3g}); "
                       f"forecast {r['forecast']:.3g} = mean over the cycle.")
    return head + (f"oscillates without settling (median {lo:.3g} to {hi:.3g}); forecast "
                   f"{r['forecast']:.3g} = mean over rounds 61-120; last round shown "
                   f"{r['forecast_last_round']:.3g}.")


def _print_smp_probabilities(r: dict) -> None:
    t = Table(title=f"smp on {r['issue']}: who holds the likely outcome (final turn)")
    t.add_column("actor")
    t.add_column("P(its position)", justify="right")
    t.add_column("share", justify="right")
    t.add_column("same position as")
    for e in r["position_probabilities"]:
        t.add_row(e["actor"], f"{e['position_probability']:.3f}", f"{e['share']:.3f}",
                  ", ".join(e["coincident_with"]) or "-")
    console.print(t)


def _print(results: list[dict], problems: list[Problem]) -> None:
    for p in problems:
        for note in p.notes:
            console_err.print(f"note: {note}")
    t = Table(title="Bargaining forecasts")
    for col in ("issue", "model", "rounds", "forecast", f"{int(LEVELS[0]*100)}-{int(LEVELS[1]*100)} %",
                "P(zone of agreement)"):
        t.add_column(col)
    for r in results:
        lo, hi = r["forecast_interval"]
        t.add_row(r["issue"], r["model"], str(len(r["rounds"])), f"{r['forecast']:.3g}",
                  f"[{lo:.3g}, {hi:.3g}]", f"{r['zopa_probability']:.2f}")
    console.print(t)
    for r in results:
        if r["model"] == "eum":
            console.print(_eum_note(r), markup=False, highlight=False)
    shown_probs: set[int] = set()
    for r in results:
        if len(r["rounds"]) <= 1:
            continue
        t = Table(title=f"{r['model']} on {r['issue']}: positions by round")
        t.add_column("actor")
        shown = r["rounds"][:: max(1, len(r["rounds"]) // 8)]
        for e in [r["initial"], *shown]:
            t.add_column(str(e["round"]))
        for a in r["initial"]["positions"]:
            t.add_row(a, *[f"{e['positions'][a]:.3g}" for e in [r["initial"], *shown]])
        t.add_row("median", *[f"{e['median']:.3g}" for e in [r["initial"], *shown]], style="bold")
        t.add_row("mean", *[f"{e['mean']:.3g}" for e in [r["initial"], *shown]], style="bold")
        console.print(t)
        if "position_probabilities" in r and id(r["position_probabilities"]) not in shown_probs:
            shown_probs.add(id(r["position_probabilities"]))
            _print_smp_probabilities(r)


def _plot(path: Path, results: list[dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(results)
    cols = min(n, 3)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), squeeze=False)
    for ax, r in zip(axes.flat, results, strict=False):
        entries = [r["initial"], *r["rounds"]] if len(r["rounds"]) > 1 else [r["initial"]]
        t = [e["round"] for e in entries]
        for a in r["initial"]["positions"]:
            ax.plot(t, [e["positions"][a] for e in entries], lw=1, marker=".", label=a)
        ax.axhline(r["forecast"], color="k", ls="--", lw=1, label="forecast")
        ax.set_title(f"{r['model']}: {r['issue']}", fontsize=9)
        ax.set_xlabel("round", fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=6, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def bargain(
    file: Path = typer.Argument(..., help="CSV (plain or KTAB), KTAB XML, decide-format file "
                                "(#A/#P/#D rows) or scenario YAML."),
    issue: str | None = typer.Option(None, "--issue", help="Issue id (default: every issue)."),
    model: ModelChoice = typer.Option(ModelChoice.all, "--model", help="Model to run."),
    rounds: int | None = typer.Option(
        None, "--rounds", min=0, help="EUM rounds (default 10); SMP turn cap (default 100)."
    ),
    draws: int = typer.Option(1000, "--draws", min=1, help="Monte Carlo draws."),
    seed: int = typer.Option(20251024, "--seed", min=0, max=2**63 - 1, help="Random seed."),
    json_out: bool = typer.Option(False, "--json", help="Print results as JSON."),
    plot: Path | None = typer.Option(None, "--plot", help="Write a PNG of the trajectories."),
) -> None:
    """Forecast contested issues with the bargaining models (EUM, SMP, compromise, median, Nash)."""
    _import_numpy_one_blas_thread()
    problems = load_problems(file)
    if issue is not None:
        chosen = [p for p in problems if p.id == issue or issue in p.dims]
        if not chosen:
            raise typer.BadParameter(
                f"no issue {issue!r}; issues: {', '.join(p.id for p in problems)}", param_hint="--issue"
            )
        if len(chosen[0].dims) > 1 and issue in chosen[0].dims:
            p = chosen[0]
            k = p.dims.index(issue)
            chosen = [Problem(id=issue, name=p.name, actors=p.actors, capability=p.capability,
                              position=[row[k : k + 1] for row in p.position],
                              salience=[row[k : k + 1] for row in p.salience], dims=[issue],
                              status_quo=None if p.status_quo is None else p.status_quo[k : k + 1])]
        problems = chosen
    if not problems:
        raise typer.BadParameter("no issue with actor positions in FILE", param_hint="FILE")
    models = ORDER if model is ModelChoice.all else [model.value]
    # point-valued inputs need one draw only
    results = []
    for p in problems:
        results.extend(run_problem(p, models, rounds, draws if _random(p) else 1, seed))
    if plot is not None:
        _plot(plot, results)
    if json_out:
        emit_json(results[0] if len(results) == 1 else results)
        return
    _print(results, problems)


def _import_numpy_one_blas_thread() -> None:
    """Import NumPy with one OpenBLAS thread: starting OpenBLAS's pool of threads costs
    about 0.05 s of CPU and 0.04 s of wall time, a tenth of this command on a KTAB case,
    and the bargaining kernels are element-wise (the EUM runs its own threads). The
    variable is set for the import only; a user's own setting wins."""
    if "numpy" in sys.modules or "OPENBLAS_NUM_THREADS" in os.environ:
        return
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    try:
        import numpy  # noqa: F401
    finally:
        del os.environ["OPENBLAS_NUM_THREADS"]


def _random(p: Problem) -> bool:
    qs = [*p.capability, *[q for row in p.position for q in row], *[q for row in p.salience for q in row]]
    qs += list(p.status_quo or [])
    if all(isinstance(q, (int, float)) for q in qs):  # plain numbers: no need to load SciPy
        return False
    from polemos.scenario.quantities import is_random

    return any(is_random(q) for q in qs)


def register(app: typer.Typer) -> None:
    app.command("bargain")(bargain)
