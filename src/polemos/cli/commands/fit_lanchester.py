"""``polemos fit lanchester``: fit the Lanchester exponent across battles or on one campaign.

    polemos fit lanchester                          # CDB90, all battles
    polemos fit lanchester --by-period --json       # CDB90 by period, JSON
    polemos fit lanchester --data campaign.csv      # daily series: a, b and exponents
    polemos fit lanchester --data campaign.csv --law square

Estimators: :mod:`polemos.models.attrition.fit`; data: :mod:`polemos.datasets.battles`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from polemos.cli.commands.fit import fit_app
from polemos.cli.output import console, console_err, emit_json


class LawWord(StrEnum):
    """The words of :class:`polemos.models.attrition.laws.Law`, repeated here so that the
    command registers without importing the models (and NumPy); a test keeps them equal."""

    square = "square"
    linear = "linear"
    logarithmic = "logarithmic"
    mixed = "mixed"
    osipov = "osipov"
    helmbold = "helmbold"
    general = "general"


class Strength(StrEnum):
    total = "total"
    initial = "initial"


def _cdb90(by_period: bool, strength: Strength, level: float, as_json: bool) -> None:
    from polemos.datasets.battles import load_cdb90
    from polemos.models.attrition import fit as est

    frame = load_cdb90()
    kind = "strength" if strength is Strength.total else "initial"
    cols = (frame[f"attacker_{kind}"], frame[f"defender_{kind}"],
            frame["attacker_casualties"], frame["defender_casualties"])
    if by_period:
        fits = est.fit_exchange_slope_by_period(*cols, frame["year"], level=level)
    else:
        fits = [est.fit_exchange_slope(*cols, level=level)]
    if as_json:
        emit_json({
            "data": "cdb90", "strength": strength.value,
            "model": "log((C_A/A)/(C_D/D)) = c + slope * log(A/D)",
            "law_slopes": {str(k): v for k, v in est.LAW_SLOPES.items()},
            "literature": {"all": -0.8, "1900-1945": -1.0},
            "fits": [f.as_dict() for f in fits],
        })
        return
    table = Table(title=f"CDB90: log exchange ratio on log force ratio ({strength.value} strength)")
    for col in ("period", "n", "slope", f"{level:.0%} interval", "R^2", "laws in interval"):
        table.add_column(col)
    for f in fits:
        table.add_row(f.label, str(f.n), f"{f.slope:.2f}",
                      f"[{f.slope_low:.2f}, {f.slope_high:.2f}]", f"{f.r2:.2f}",
                      ", ".join(f.laws_in_interval) or "-")
    console.print(table)
    console.print("Square law -2, linear -1, logarithmic 0; literature about -0.8 overall, "
                  "-1.0 for 1900-1945.")
    for f in fits:
        console.print(est.interpret_slope(f), markup=False, highlight=False)


def _campaign(path: Path, law: LawWord | None, level: float, as_json: bool) -> None:
    from polemos.datasets.battles import load_campaign
    from polemos.models.attrition import fit as est
    from polemos.models.attrition.laws import Law

    law = None if law is None else Law(law.value)
    frame = load_campaign(path)
    red, blue = est.fit_campaign(frame["red_strength"], frame["blue_strength"],
                                 frame["red_casualties"], frame["blue_casualties"],
                                 law=law, level=level)
    if as_json:
        emit_json({"data": str(path), "law": law.value if law else "general",
                   "model": {"red": "C_R = a R^p B^q", "blue": "C_B = b B^p R^q"},
                   "fits": [red.as_dict(), blue.as_dict()]})
        return
    table = Table(title=f"{path.name}: daily casualties by nonlinear least squares")
    for col in ("side", "parameter", "estimate", f"{level:.0%} interval", "R^2", "RMSE", "days"):
        table.add_column(col)
    for f in (red, blue):
        for i, name in enumerate(f.names):
            table.add_row(f.side if i == 0 else "", name, f"{f.estimate[i]:.4g}",
                          f"[{f.low[i]:.4g}, {f.high[i]:.4g}]",
                          f"{f.r2:.3f}" if i == 0 else "", f"{f.rmse:.4g}" if i == 0 else "",
                          str(f.n) if i == 0 else "")
    console.print(table)


@fit_app.command("lanchester")
def fit_lanchester(
    data: str = typer.Option("cdb90", "--data", help="'cdb90' or a campaign CSV with columns "
                             "day, red_strength, blue_strength, red_casualties, blue_casualties."),
    by_period: bool = typer.Option(False, "--by-period", help="CDB90: also fit pre-1900, "
                                   "1900-1945 and post-1945 separately."),
    strength: Strength = typer.Option(Strength.total, "--strength", help="CDB90: total "
                                      "personnel strength (str) or initial strength (intst)."),
    law: LawWord = typer.Option(None, "--law", help="Campaign: fix the exponents to a named law "
                                "(default: estimate them)."),
    level: float = typer.Option(0.95, "--level", min=0.5, max=0.999, help="Interval level."),
    as_json: bool = typer.Option(False, "--json", help="Print the estimates as JSON."),
) -> None:
    """Fit the Lanchester law: exchange-ratio slope across CDB90 battles, or a, b and the
    exponents on one campaign's daily series."""
    from polemos.datasets.paths import DataNotFound

    try:
        if data.lower() == "cdb90":
            _cdb90(by_period, strength, level, as_json)
        else:
            _campaign(Path(data), law, level, as_json)
    except (DataNotFound, ValueError) as exc:
        console_err.print(f"polemos fit lanchester: {exc}", markup=False, highlight=False,
                          soft_wrap=True)
        raise typer.Exit(2) from None
