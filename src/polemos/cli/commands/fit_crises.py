"""``polemos fit crises``: how violent does a crisis get? Calibrated on ICB v14.

Fits an ordered logit of the highest violence level (ICB ``viol``) on attributes known at
a crisis's outbreak, scores it out of sample against climatology (Brier, log, ranked
probability score, with bootstrap intervals), prints a reliability table, the base rates
by era, the weekly escalation hazards the fit implies for the ladder, and the check that
the ladder kernel run on ICB-like crises reproduces ICB's violence distribution.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from polemos.cli.commands.fit import fit_app
from polemos.cli.output import console, emit_json, working

if TYPE_CHECKING:
    import numpy as np

PROFILES: dict[str, dict[str, float]] = {
    # two nuclear rivals, superpower military involvement, grave threat, non-violent
    # trigger, protracted conflict, cold war
    "nuclear rivals' crisis": {
        "gravity": 5, "grave_threat": 1, "log_actors": float(math.log(2)),
        "superpower_military": 1, "nuclear": 1, "log_power_discrepancy": float(math.log1p(5)),
        "protracted": 1,
    },
    # cold war, 3 actors, territorial threat, non-violent trigger, protracted conflict
    "median ICB crisis": {
        "gravity": 3, "log_actors": float(math.log(3)), "log_power_discrepancy": float(math.log1p(5)),
        "protracted": 1,
    },
    # post-cold war, nuclear actor, superpower military involvement, grave threat,
    # violent trigger, 6 actors, protracted conflict
    "great-power proxy crisis": {
        "gravity": 5, "grave_threat": 1, "log_actors": float(math.log(6)), "violent_trigger": 1,
        "superpower_military": 1, "nuclear": 1, "log_power_discrepancy": float(math.log1p(10)),
        "protracted": 1, "era_post_cold_war": 1,
    },
}


def _profile_x(features: tuple[str, ...], values: dict[str, float]) -> np.ndarray:
    import numpy as np

    return np.array([[float(values.get(f, 0.0)) for f in features]])


def compute(data: Path | None, folds: int, repeats: int, seed: int, n_boot: int) -> dict[str, Any]:
    """Everything ``polemos fit crises`` reports, as plain data."""
    import numpy as np
    from scipy import stats

    from polemos.datasets import crises as icb
    from polemos.models.escalation import calibration as cal
    from polemos.models.escalation.generic import CRISIS_WEEKS, generic_crisis_inputs
    from polemos.models.escalation.ladder import run_ladder
    from polemos.numerics.rng import child_generator

    d = Path(data) if data else None
    table = icb.load_crises(d / "crises/icb1v14.csv" if d else None,
                            d / "crises/icb2v14.csv" if d else None)
    X, y = table.X, table.y
    fit = cal.fit_ordered_logit(X, y)
    p_ord, clim = cal.cross_validate(X, y, child_generator(seed, 0), folds, repeats, "ordered")
    p_mn, _ = cal.cross_validate(X, y, child_generator(seed, 0), folds, repeats, "multinomial")
    scores: dict[str, Any] = {}
    for name, p in (("ordered_logit", p_ord), ("multinomial_logit", p_mn)):
        scores[name] = {
            s: cal.skill_with_interval(p, clim, y, child_generator(seed, 1), s, n_boot)
            for s in cal.SCORES
        }
    keep = [i for i, f in enumerate(table.features) if f not in icb.STRICT_EX_ANTE_DROP]
    p_strict, _ = cal.cross_validate(X[:, keep], y, child_generator(seed, 0), folds, repeats)
    scores["ordered_logit_strict_ex_ante"] = {
        s: cal.skill_with_interval(p_strict, clim, y, child_generator(seed, 1), s, n_boot)
        for s in cal.SCORES
    }
    sp = icb.superpower_crises(d / "crises/icb1v14.csv" if d else None,
                               d / "crises/icb2v14.csv" if d else None)
    sp["direct_clashes"] = 0
    sp["note"] = ("no acknowledged direct US-Soviet combat in these crises; covert Soviet air "
                  "combat over Korea (1950-53) is the known exception (counting it: one event)")
    sp["rule_of_three_per_crisis_week"] = 3.0 / sp["crisis_weeks"]
    sp["rule_of_three_per_calendar_week"] = 3.0 / sp["calendar_weeks"]
    p_mean = p_ord.mean(0)
    reach = cal.reach_probabilities(p_mean)
    events = {"at least minor clashes": 1, "at least serious clashes": 2, "full-scale war": 3}
    reliability = {e: cal.reliability_table(reach[:, k - 1], y >= k) for e, k in events.items()}

    hazards = {}
    for label, values in PROFILES.items():
        p = fit.predict_proba(_profile_x(table.features, values))
        h = cal.weekly_hazards(cal.reach_probabilities(p), np.array([CRISIS_WEEKS]))[0]
        hazards[label] = {"p_levels": p[0], "weekly_hazard": h}

    # ICB-like generic crises through the ladder kernel
    rng = child_generator(seed, 2)
    reps = 20
    idx = rng.integers(0, len(y), reps * len(y))
    hz = cal.weekly_hazards(reach[idx], np.full(len(idx), CRISIS_WEEKS))
    out = run_ladder(**generic_crisis_inputs(hz), weeks=CRISIS_WEEKS, rng=rng)
    top = out["max_rung"][:, -1]
    sim = np.bincount(top, minlength=4) / len(top)
    obs_counts = np.bincount(y, minlength=4)
    chi2 = float(((obs_counts - len(y) * sim) ** 2 / (len(y) * sim)).sum())
    by_era = {}
    for e, name in enumerate(icb.ERAS):
        m_sim, m_obs = table.era[idx] == e, table.era == e
        by_era[name] = {
            "simulated": np.bincount(top[m_sim], minlength=4) / max(m_sim.sum(), 1),
            "observed": np.bincount(y[m_obs], minlength=4) / max(m_obs.sum(), 1),
            "n": int(m_obs.sum()),
        }
    ci = 1.959964
    return {
        "data": "ICB v14 (Brecher, Wilkenfeld et al.): icb1v14.csv, icb2v14.csv",
        "n_crises": int(len(y)),
        "levels": list(icb.VIOLENCE_LEVELS),
        "features": icb.FEATURES,
        "caveat": "log_actors and superpower_military are recorded over the whole crisis, "
        "so they leak some of its course; violent_trigger, intra_war and long_war are near-"
        "definitional of violence. ordered_logit_strict_ex_ante drops all five.",
        "base_rates": icb.base_rates_by_era(table).reset_index().to_dict(orient="records"),
        "ordered_logit": {
            "coefficients": {
                f: {"coef": float(b), "se": float(s), "ci95": [float(b - ci * s), float(b + ci * s)]}
                for f, b, s in zip(table.features, fit.beta, fit.se[: len(fit.beta)], strict=True)
            },
            "cuts": fit.cuts,
            "loglik": fit.loglik,
        },
        "cross_validation": {"folds": folds, "repeats": repeats, "interval": "90% paired "
                             f"bootstrap over crises ({n_boot} resamples)", "scores": scores},
        "reliability": reliability,
        "hazards": {"window_weeks": CRISIS_WEEKS, "profiles": hazards,
                    "mapping": "constant weekly hazards h_k of a one-step-per-week chain "
                    "none->minor->serious->war reproducing P(viol >= k) within the window"},
        "superpower_record": sp,
        "reproduction": {
            "simulated": sim, "observed": obs_counts / len(y), "draws": int(len(idx)),
            "chi2": chi2, "p_value": float(stats.chi2.sf(chi2, df=3)), "by_era": by_era,
        },
    }


def plot_reliability(result: dict[str, Any], path: Path) -> None:
    """Reliability diagram of the cross-validated forecasts (one line per event)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.plot([0, 1], [0, 1], color="grey", lw=1, ls="--", label="perfect calibration")
    for event, rows in result["reliability"].items():
        f = [r["forecast"] for r in rows]
        o = [r["observed"] for r in rows]
        se = [1.96 * r["se"] for r in rows]
        ax.errorbar(f, o, yerr=se, marker="o", capsize=3, label=event)
    ax.set_xlabel("forecast probability (10-fold CV, ordered logit)")
    ax.set_ylabel("observed frequency (ICB v14)")
    ax.set_title("ICB crisis violence: reliability")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _print(result: dict[str, Any]) -> None:
    console.print(f"[bold]ICB crisis violence[/] ({result['n_crises']} crises; {result['data']})")
    console.print("\nBase rates by era: none / minor / serious / war")
    for row in result["base_rates"]:
        shares = " ".join(f"{row[k]:.3f}" for k in result["levels"])
        console.print(f"  {row['era']:<14} n={row['n']:>3}  {shares}")
    console.print("\n[bold]Ordered logit[/] (full sample): coef [95% CI]")
    for f, v in result["ordered_logit"]["coefficients"].items():
        console.print(f"  {f:<27} {v['coef']:+6.2f}  [{v['ci95'][0]:+6.2f}, {v['ci95'][1]:+6.2f}]")
    cv = result["cross_validation"]
    console.print(f"\n[bold]Skill vs climatology[/] ({cv['folds']}-fold CV x {cv['repeats']}; "
                  f"{cv['interval']})")
    for model, sc in cv["scores"].items():
        for name, s in sc.items():
            console.print(f"  {model:<18} {name:<6} {s['model']:.3f} vs {s['reference']:.3f}"
                          f"  skill {s['skill']:+.3f} [{s['low']:+.3f}, {s['high']:+.3f}]")
    console.print("\n[bold]Reliability[/] (quintiles of the forecast): forecast -> observed ± se")
    for event, rows in result["reliability"].items():
        cells = "  ".join(f"{r['forecast']:.2f}->{r['observed']:.2f}±{r['se']:.2f}" for r in rows)
        console.print(f"  {event:<25} {cells}")
    hz = result["hazards"]
    console.print(f"\n[bold]Weekly hazards[/] over a {hz['window_weeks']}-week window")
    for label, v in hz["profiles"].items():
        h = ", ".join(f"{x:.4f}" for x in v["weekly_hazard"])
        p = " ".join(f"{x:.2f}" for x in v["p_levels"])
        console.print(f"  {label:<25} P(levels) {p}; hazards {h}")
    sp = result["superpower_record"]
    console.print(f"\nUS-USSR crises {sp['period'][0]}-{sp['period'][1]}: {sp['n']} "
                  f"({sp['crisis_weeks']:.0f} crisis-weeks), direct clashes 0: weekly hazard "
                  f"< {sp['rule_of_three_per_crisis_week']:.4f} per crisis-week, "
                  f"< {sp['rule_of_three_per_calendar_week']:.4f} per calendar week (95%)")
    rep = result["reproduction"]
    console.print("\n[bold]Ladder on ICB-like crises[/] (simulated vs observed)")
    console.print("  " + " ".join(f"{s:.3f}/{o:.3f}" for s, o in
                                  zip(rep["simulated"], rep["observed"], strict=True))
                  + f"  chi2 {rep['chi2']:.2f}, p {rep['p_value']:.2f}")


@fit_app.command("crises")
def fit_crises(
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document."),
    plot: Path | None = typer.Option(None, "--plot", help="Write a reliability diagram (PNG)."),
    folds: int = typer.Option(10, "--folds", min=2, help="Cross-validation folds."),
    repeats: int = typer.Option(3, "--repeats", min=1, help="Repeated CV splits."),
    seed: int = typer.Option(20251024, "--seed", min=0, max=2**63 - 1, help="Seed of folds, bootstrap and runs."),
    boot: int = typer.Option(2000, "--boot", min=100, help="Bootstrap resamples."),
    data: Path | None = typer.Option(None, "--data", help="Reference data directory."),
) -> None:
    """Fit crisis violence on ICB v14; score it out of sample; set the ladder's hazards."""
    with working("fitting the ICB violence model (cross-validation, bootstrap; about 30 s)"):
        result = compute(data, folds, repeats, seed, boot)
    if plot is not None:
        plot_reliability(result, plot)
    if json_out:
        emit_json(result)
    else:
        _print(result)
        if plot is not None:
            console.print(f"\nwrote {plot}")


def register(app: typer.Typer) -> None:  # the command attaches to fit_app on import
    return None
