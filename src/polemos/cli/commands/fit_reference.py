"""``polemos fit reference``: reference-class rates for the top of the escalation ladder.

COW (onsets of direct war between major powers per year, 1816-1945, since 1946, between
nuclear-armed major powers) with Gamma posteriors under Jeffreys' prior (and a flat and a
power prior for sensitivity); ICB v14 (shares of crises reaching direct serious clashes
and full-scale war, for all crises, rivals and nuclear-armed rivals) with Beta posteriors;
the horizon probabilities beside published forecasts (attributed). See
:mod:`polemos.models.escalation.reference` for the mathematics and
docs/validation/escalation.md section 8 for which rung uses which class, and why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from polemos.cli.commands.fit import fit_app
from polemos.cli.output import console, emit_json

LITERATURE = [
    {"source": "Clauset (2018), Science Advances 4(2): eaao3580",
     "finding": "War onsets 1823-2003 fit a stationary process; the post-1945 long peace "
     "would need to last another 100-140 years to be a significant trend.",
     "use": "supports pooling: the 1816-1945 rate is not ruled out for today"},
    {"source": "Braumoeller (2019), Only the Dead, Oxford UP, ch. 4",
     "finding": "No general downward trend in the rate of conflict initiation since 1816.",
     "use": "same: the low post-1945 count need not mean a lower underlying rate"},
    {"source": "Metaculus community, 'direct conflict between Russia and any NATO member "
     "state before 2027' (as mirrored on Manifold)",
     "finding": "14%; a single fatal engagement counts",
     "use": "check on the direct_clash rung over about two years"},
    {"source": "Metaculus Pro Forecasters, nuclear risk report, 24 Mar 2022",
     "finding": "full-scale nuclear war beginning in 2022: 0.35%; nuclear use by both sides "
     "judged likely after a perceived direct attack",
     "use": "nuclear rungs' conditional hazards (no historical case)"},
    {"source": "Samotsvety forecasting team, nuclear risk update, 3 Oct 2022",
     "finding": "16% that Russia uses a nuclear weapon in Ukraine within a year",
     "use": "upper check on nuclear use in a losing proxy war"},
    {"source": "Forecasting Research Institute (2024), 'Can humanity achieve a century of "
     "nuclear peace?'",
     "finding": "nuclear catastrophe (10 million dead) by 2045: experts 5%, "
     "superforecasters 1% (median)",
     "use": "order of magnitude of the strategic rung over two decades"},
]


SHORT = {"major_power_1816_1945": "major powers 1816-1945",
         "major_power_since_1946": "major powers 1946-",
         "nuclear_major_powers": "nuclear major powers"}


def _rate_row(name: str, c: dict, horizon: float) -> dict[str, Any]:
    from polemos.models.escalation import reference as ref

    post = ref.rate_posterior(c["k"], c["years"])
    flat = ref.rate_posterior(c["k"], c["years"], ref.FLAT_POISSON)
    lo, hi = post.interval(0.90)
    plo, phi = post.p_within_interval(horizon, 0.90)
    return {"class": name, "k": c["k"], "years": c["years"], "first": c["first"],
            "last": c["last"], "assumed_years": c.get("assumed"), "onsets": c["onsets"],
            "rate_mean": post.mean, "rate_90": [lo, hi], "rate_flat_prior": flat.mean,
            "p_horizon": post.p_within(horizon), "p_horizon_90": [plo, phi],
            "p_horizon_flat_prior": flat.p_within(horizon)}


def compute(data: Path | None, horizon: float = 2.0) -> dict[str, Any]:
    """Every figure the command reports (``horizon`` in years)."""
    from polemos.datasets import reference_classes as rc
    from polemos.datasets.paths import data_file
    from polemos.models.escalation import reference as ref

    counts = rc.major_power_war_counts(data)
    rows = [_rate_row(name, c, horizon) for name, c in counts.items()]
    pre = counts["major_power_1816_1945"]
    nuc = counts["nuclear_major_powers"]
    power = {}
    for w in (0.1, 0.25):
        post = ref.rate_posterior(nuc["k"], nuc["years"],
                                  ref.power_prior(pre["k"], pre["years"], w))
        power[str(w)] = {"rate_mean": post.mean, "p_horizon": post.p_within(horizon)}
    icb = rc.crisis_classes(data_file("crises/icb1v14.csv", data),
                            data_file("crises/icb2v14.csv", data))
    crises = {}
    for name, c in icb.items():
        n, counts4 = c["n"], c["counts"]
        serious, war = counts4[2] + counts4[3], counts4[3]
        b_s, b_w = ref.share_posterior(serious, n), ref.share_posterior(war, n)
        b_ws = ref.share_posterior(war, serious) if serious else None
        crises[name] = {
            **c, "p_serious": b_s.mean(), "p_serious_90": [b_s.ppf(0.05), b_s.ppf(0.95)],
            "p_war": b_w.mean(), "p_war_90": [b_w.ppf(0.05), b_w.ppf(0.95)],
            "p_war_given_serious": None if b_ws is None else b_ws.mean(),
            "p_war_given_serious_90": None if b_ws is None else [b_ws.ppf(0.05), b_ws.ppf(0.95)],
        }
    return {"horizon_years": horizon, "prior": "Jeffreys: Gamma(1/2, 0) for rates, "
            "Beta(1/2, 1/2) for shares", "wars": rows, "power_prior_nuclear": power,
            "crises": crises, "literature": LITERATURE}


def fit_reference(
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document."),
    horizon: float = typer.Option(2.0, "--horizon", min=0.01, help="Horizon in years."),
    data: Path | None = typer.Option(None, "--data", help="Reference data directory "
                                     "(default ../shared/data)."),
) -> None:
    """Reference-class rates of direct major-power war and of crisis violence (COW, ICB)."""
    result = compute(data, horizon)
    if json_out:
        emit_json(result)
        return
    h = result["horizon_years"]
    console.print("[bold]Direct war between major powers (COW)[/]")
    console.print(f"prior: {result['prior']}", markup=False)
    console.print(f"{'class':<21}{'wars':>5}{'years':>6}  {'per year [90%]':<24}"
                  f"{'P(' + format(h, 'g') + ' yr) [90%]':<21}", markup=False)
    for r in result["wars"]:
        lo, hi = r["rate_90"]
        plo, phi = r["p_horizon_90"]
        console.print(f"{SHORT.get(r['class'], r['class']):<21}{r['k']:>5}{r['years']:>6.0f}  "
                      f"{r['rate_mean']:.4f} [{lo:.4f}, {hi:.3f}]  "
                      f"{r['p_horizon']:.3f} [{plo:.4f}, {phi:.3f}]", markup=False)
    console.print("\n[bold]Crises (ICB v14, since 1946; rivals: both states' own violence)[/]")
    console.print(f"{'class':<16}{'n':>4}  {'P(serious+)':<12}{'P(war)':<10}{'P(war|serious)':<15}")
    for name, c in result["crises"].items():
        ws = "-" if c["p_war_given_serious"] is None else f"{c['p_war_given_serious']:.3f}"
        console.print(f"{name:<16}{c['n']:>4}  {c['p_serious']:<12.3f}{c['p_war']:<10.3f}{ws:<15}",
                      markup=False)
    console.print("\n[bold]Beside the literature[/]")
    for lit in result["literature"]:
        console.print(f"  {lit['source']}: {lit['finding']}", markup=False)


def register(app: typer.Typer) -> None:
    """Attach ``reference`` to the ``polemos fit`` group."""
    if not any(c.name == "reference" for c in fit_app.registered_commands):
        fit_app.command("reference")(fit_reference)
