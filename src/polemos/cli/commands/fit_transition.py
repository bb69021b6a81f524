"""``polemos fit transition``: parity, overtaking and war onset among major powers (COW data).

Builds the major-power dyad-year sample of :mod:`polemos.models.structure.fit` from the
Correlates of War files, fits logits with dyad-clustered intervals and prints them beside
the power-transition literature, saying where our estimate disagrees.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import typer

from polemos.cli.commands.fit import fit_app
from polemos.cli.output import console, emit_json, working

LITERATURE = [
    {
        "source": "Organski & Kugler (1980), The War Ledger, ch. 1",
        "finding": "Among contenders (GNP, 1860-1975) wars came only where the challenger had "
        "reached parity and was overtaking (not every such case ended in war).",
        "term": "parity/overtaking",
    },
    {
        "source": "Houweling & Siccama (1988), J. Conflict Resolution 32(1)",
        "finding": "Power transitions (CINC) predict war among all major powers, not only contenders.",
        "term": "overtaking",
    },
    {
        "source": "de Soysa, Oneal & Park (1997), J. Conflict Resolution 41(4):509-528",
        "finding": "Support for the theory, but its strength depends on the power measure "
        "(CINC vs GDP) and on which states count as major powers.",
        "term": "parity/overtaking",
    },
    {
        "source": "Lemke (2002), Regions of War and Peace, Cambridge UP",
        "finding": "Parity (with dissatisfaction) raises the chance of war within local and "
        "global hierarchies.",
        "term": "parity",
    },
]


def _compute(window: int, data: Path | None) -> dict[str, Any]:
    from polemos.datasets import capabilities as cap
    from polemos.models.structure import fit

    nmc = cap.load_nmc(data)
    major = cap.major_power_years(cap.load_major_powers(data))
    wars = cap.load_war_dyad_years(data)
    df = fit.dyad_years(nmc, major, wars, window=window)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fits = fit.fit_all(df)
    hazard = fits["hazard"]
    at = {
        "preponderance (ratio 2, no overtaking)": {"parity": 0, "overtaking": 0, "abs_log_ratio": 0.693},
        "parity, no overtaking (ratio 1.1)": {"parity": 1, "overtaking": 0, "abs_log_ratio": 0.095},
        "parity and overtaking (ratio 1.05)": {"parity": 1, "overtaking": 1, "abs_log_ratio": 0.049},
    }
    return {
        "sample": {
            "unit": "undirected major-power dyad-year (cow_major_powers), 1817-2007",
            "outcome": "inter-state war onset between the two (cowinteronset); ongoing war years dropped",
            "covariates": "CINC at t-1; parity = stronger/weaker <= 1.25; overtaking = lead "
            f"changed within {window} years; peace years cubic",
            "dyad_years": int(len(df)),
            "onsets": int(df.onset.sum()),
            "dyads": int(df.groupby(["ccode_a", "ccode_b"]).ngroups),
            "window": window,
        },
        "cross_table": fit.cross_table(df).to_dict(orient="records"),
        "fits": {
            name: {
                "terms": {
                    t: {
                        "coef": f.coef[t],
                        "se_clustered": f.se[t],
                        "ci95": list(f.ci[t]),
                        "odds_ratio": f.odds_ratio(t)[0],
                        "p": f.pvalue[t],
                    }
                    for t in f.terms
                },
                "n": f.n,
                "events": f.events,
                "clusters": f.clusters,
            }
            for name, f in fits.items()
        },
        "predicted_annual_onset": {k: fit.predicted(hazard, v) for k, v in at.items()},
        "hazard_coefficients": {"mean": hazard.coef, "cov": hazard.cov},
        "literature": LITERATURE,
        "verdict": _verdict(fits),
    }


def _verdict(fits: dict[str, Any]) -> list[str]:
    out = []
    f = fits["parity_overtaking"]
    for term, claim in (("parity", "parity raises the onset of war"), ("overtaking", "overtaking raises it")):
        lo, hi = f.ci[term]
        if lo > 0:
            out.append(f"agrees: {claim} (log-odds {f.coef[term]:+.2f}, 95% CI {lo:+.2f} to {hi:+.2f})")
        elif hi < 0:
            out.append(f"disagrees: {claim}; ours is negative ({f.coef[term]:+.2f}, CI {lo:+.2f} to {hi:+.2f})")
        else:
            out.append(
                f"not confirmed: {claim}; our interval spans zero ({f.coef[term]:+.2f}, CI {lo:+.2f} to {hi:+.2f})"
            )
    lead = fits.get("leader_parity")
    if lead is not None:
        lo, hi = lead.ci["parity"]
        sign = "positive" if lead.coef["parity"] > 0 else "negative"
        spans = "spans zero" if lo <= 0 <= hi else "excludes zero"
        out.append(
            f"dyads with the strongest power only ({lead.events} onsets): parity {lead.coef['parity']:+.2f} "
            f"(CI {lo:+.2f} to {hi:+.2f}): {sign}, the interval {spans}"
        )
    return out


def fit_transition(
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document."),
    window: int = typer.Option(10, "--window", min=1, help="Years within which a change of lead counts as overtaking."),
    data: Path | None = typer.Option(None, "--data", help="Reference data directory (default ../shared/data)."),
) -> None:
    """Estimate the effect of parity and overtaking on war onset between major powers."""
    with working("fitting power-transition hazards on COW"):
        result = _compute(window, data)
    if json_out:
        emit_json(result)
        return
    s = result["sample"]
    console.print(f"[bold]Power transition and major-power war onset[/] ({s['unit']})")
    console.print(f"{s['dyad_years']} dyad-years, {s['dyads']} dyads, {s['onsets']} onsets; {s['covariates']}")
    console.print("\nparity overtaking  dyad-years  onsets  rate")
    for row in result["cross_table"]:
        console.print(
            f"{row['parity']:>6} {row['overtaking']:>10} {row['dyad_years']:>11} {row['onsets']:>7}  {row['rate']:.4f}"
        )
    for name, f in result["fits"].items():
        console.print(f"\n[bold]{name}[/] (n={f['n']}, onsets={f['events']}, clusters={f['clusters']})")
        for term, v in f["terms"].items():
            lo, hi = v["ci95"]
            console.print(f"  {term:<15} {v['coef']:+7.3f}  [{lo:+7.3f}, {hi:+7.3f}]  OR {v['odds_ratio']:7.3f}  p={v['p']:.3f}")
    console.print("\n[bold]Predicted annual onset probability (hazard specification)[/]")
    for k, v in result["predicted_annual_onset"].items():
        console.print(f"  {k:<40} {v['p']:.4f}  [{v['low']:.4f}, {v['high']:.4f}]")
    console.print("\n[bold]Beside the literature[/]")
    for lit in result["literature"]:
        console.print(f"  {lit['source']}: {lit['finding']}", markup=False)
    for line in result["verdict"]:
        console.print(f"  ours: {line}", markup=False)


def register(app: typer.Typer) -> None:
    """Attach ``transition`` to the ``polemos fit`` group (the group is added by ``fit``)."""
    if not any(c.name == "transition" for c in fit_app.registered_commands):
        fit_app.command("transition")(fit_transition)
