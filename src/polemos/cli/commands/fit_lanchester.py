"""``polemos fit lanchester``: fit the Lanchester exponent across battles or on one campaign.

    polemos fit lanchester                          # CDB90, all battles
    polemos fit lanchester --by-period --json       # CDB90 by period, JSON
    polemos fit lanchester --data campaign.csv      # daily series: a, b and exponents
    polemos fit lanchester --data campaign.csv --law square
    polemos fit lanchester --data kursk.txt --map red_strength=Sov,blue_strength=Ger,...
    polemos fit lanchester --data campaign.csv --law helmbold [--weiss 0.6]
    polemos fit lanchester --battles list.csv --map attacker_strength=A0,...,year=Year

Tables may be CSV, TSV, semicolon (decimal commas allowed) or whitespace separated; the
delimiter is sniffed. ``--map field=COLUMN,...`` names the columns holding our fields
(campaign: day, red_strength, blue_strength, red_casualties, blue_casualties; battles:
attacker_strength, defender_strength, attacker_casualties, defender_casualties, and
optionally year, name). A battle list with a year is also fitted by period.

Estimators: :mod:`polemos.models.attrition.fit`; data: :mod:`polemos.datasets.battles`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from polemos.cli.commands.fit import fit_app
from polemos.cli.output import console, console_err, emit_json

CAMPAIGN_FIELDS = ("day", "red_strength", "blue_strength", "red_casualties", "blue_casualties")
BATTLE_FIELDS = ("attacker_strength", "defender_strength", "attacker_casualties",
                 "defender_casualties", "year", "name")
"""The --map fields (the same as in :mod:`polemos.datasets.battles`, repeated so the
command registers without importing pandas; a test keeps them equal)."""


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
    _slope_table(f"CDB90: log exchange ratio on log force ratio ({strength.value} strength)",
                 fits, level)
    console.print("Square law -2, linear -1, logarithmic 0; literature about -0.8 overall, "
                  "-1.0 for 1900-1945.")


def _slope_fits(cols, year, level: float) -> tuple[list, list[str]]:
    """Overall fit, and by period when ``year`` is given (periods with < 3 usable battles
    are skipped and named in the notes)."""
    import numpy as np

    from polemos.models.attrition import fit as est

    fits = [est.fit_exchange_slope(*cols, level=level)]
    notes = []
    if year is not None:
        year = np.asarray(year, dtype=float)
        for label, lo, hi in est.PERIODS:
            m = (year >= lo) & (year < hi)
            try:
                fits.append(est.fit_exchange_slope(*(np.asarray(c, float)[m] for c in cols),
                                                   label=label, level=level))
            except ValueError as exc:
                notes.append(str(exc))
    return fits, notes


def _battles(path: Path, mapping: str | None, level: float, as_json: bool) -> None:
    from polemos.datasets.battles import load_battles, parse_map
    from polemos.models.attrition import fit as est

    frame = load_battles(path, parse_map(mapping, BATTLE_FIELDS))
    cols = [frame[f] for f in BATTLE_FIELDS[:4]]
    fits, notes = _slope_fits(cols, frame["year"] if "year" in frame else None, level)
    if as_json:
        emit_json({
            "data": str(path), "battles": int(len(frame)),
            "delimiter": frame.attrs.get("delimiter"),
            "model": "log((C_A/A)/(C_D/D)) = c + slope * log(A/D)",
            "law_slopes": {str(k): v for k, v in est.LAW_SLOPES.items()},
            "fits": [f.as_dict() for f in fits], "notes": notes,
        })
        return
    _slope_table(f"{path.name}: log exchange ratio on log force ratio", fits, level)
    for note in notes:
        console_err.print(f"note: {note}", markup=False, highlight=False)


def _slope_table(title: str, fits, level: float) -> None:
    from polemos.models.attrition import fit as est

    table = Table(title=title)
    for col in ("period", "n", "slope", f"{level:.0%} interval", "R^2", "laws in interval"):
        table.add_column(col)
    for f in fits:
        table.add_row(f.label, str(f.n), f"{f.slope:.2f}",
                      f"[{f.slope_low:.2f}, {f.slope_high:.2f}]", f"{f.r2:.2f}",
                      ", ".join(f.laws_in_interval) or "-")
    console.print(table)
    for f in fits:
        console.print(est.interpret_slope(f), markup=False, highlight=False)


def _campaign(path: Path, law: LawWord | None, level: float, as_json: bool,
              mapping: str | None = None, weiss: float | None = None) -> None:
    from polemos.datasets.battles import load_campaign, parse_map
    from polemos.models.attrition import fit as est
    from polemos.models.attrition.laws import Law

    law = None if law is None else Law(law.value)
    frame = load_campaign(path, parse_map(mapping, CAMPAIGN_FIELDS))
    red, blue = est.fit_campaign(frame["red_strength"], frame["blue_strength"],
                                 frame["red_casualties"], frame["blue_casualties"],
                                 law=law, level=level, weiss=weiss)
    if as_json:
        emit_json({"data": str(path), "law": law.value if law else "general",
                   "weiss": weiss,
                   "model": {"red": "C_R = a R^p B^q", "blue": "C_B = b B^p R^q"},
                   "fits": [red.as_dict(), blue.as_dict()]})
        return
    table = Table(title=f"{path.name}: daily casualties by nonlinear least squares")
    for col in ("side", "param", "estimate", f"{level:.0%} Wald", f"{level:.0%} profile", "R^2"):
        table.add_column(col)
    for f in (red, blue):
        for i, name in enumerate(f.names):
            lo, hi = f.profile_low[i], f.profile_high[i]
            table.add_row(f.side if i == 0 else "", name, f"{f.estimate[i]:.3g}",
                          f"[{f.low[i]:.3g}, {f.high[i]:.3g}]",
                          "-" if lo is None else f"[{lo:.3g}, {hi:.3g}]",
                          f"{f.r2:.3f}" if i == 0 else "")
    console.print(table)
    for f in (red, blue):
        c = f.collinearity
        console.print(f"{f.side}: {f.n} days; log strengths correlate at r = {c['r']:.3f} "
                      f"(VIF {c['vif']:.3g}); condition index {c['condition_index']:.3g}",
                      markup=False, highlight=False)
        for w in f.warnings:
            console_err.print(f"warning: {w}", markup=False, highlight=False, soft_wrap=True)


@fit_app.command("lanchester")
def fit_lanchester(
    data: str = typer.Option("cdb90", "--data", help="'cdb90' or a campaign table (CSV, TSV, "
                             "semicolon or whitespace) with day, red_strength, blue_strength, "
                             "red_casualties, blue_casualties (see --map)."),
    battles: Path = typer.Option(None, "--battles", help="A battle list (any layout): fit the "
                                 "exchange-ratio slope; by period when a year is mapped."),
    mapping: str = typer.Option(None, "--map", help="field=COLUMN,... naming the table's "
                                "columns (e.g. red_strength=Soviet,day=Date)."),
    by_period: bool = typer.Option(False, "--by-period", help="CDB90: also fit pre-1900, "
                                   "1900-1945 and post-1945 separately."),
    strength: Strength = typer.Option(Strength.total, "--strength", help="CDB90: total "
                                      "personnel strength (str) or initial strength (intst)."),
    law: LawWord = typer.Option(None, "--law", help="Campaign: fix the exponents to a named "
                                "law (default: estimate them); helmbold estimates W unless "
                                "--weiss."),
    weiss: float = typer.Option(None, "--weiss", min=0.0, max=1.0, help="Campaign, --law "
                                "helmbold: the Weiss parameter W (p = 1 - W, q = W)."),
    level: float = typer.Option(0.95, "--level", min=0.5, max=0.999, help="Interval level."),
    as_json: bool = typer.Option(False, "--json", help="Print the estimates as JSON."),
) -> None:
    """Fit the Lanchester law: exchange-ratio slope across battles (CDB90 or your list), or
    a, b and the exponents on one campaign's daily series."""
    from polemos.datasets.paths import DataNotFound

    try:
        if weiss is not None and law is not LawWord.helmbold:
            raise ValueError("--weiss goes with --law helmbold")
        if battles is not None:
            _battles(battles, mapping, level, as_json)
        elif data.lower() == "cdb90":
            if mapping:
                raise ValueError("--map applies to --data FILE or --battles FILE, not CDB90")
            _cdb90(by_period, strength, level, as_json)
        else:
            _campaign(Path(data), law, level, as_json, mapping, weiss)
    except (DataNotFound, ValueError) as exc:
        console_err.print(f"polemos fit lanchester: {exc}", markup=False, highlight=False,
                          soft_wrap=True)
        raise typer.Exit(2) from None
