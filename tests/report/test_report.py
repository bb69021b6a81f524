"""The report is one offline HTML file with every figure embedded."""

from __future__ import annotations

import re
from pathlib import Path

from polemos.cli.app import main
from polemos.store import Store

FULL = Path(__file__).parents[1] / "engine" / "fixtures" / "full.yaml"


def test_report_is_self_contained_with_every_figure(tmp_path, capsys):
    store = tmp_path / "st"
    assert main(["run", str(FULL), "--draws", "400", "--store", str(store), "--json", "--sensitivity", "8"]) == 0
    capsys.readouterr()
    assert main(["report", "--store", str(store), "--out", str(tmp_path / "rep")]) == 0
    html = (tmp_path / "rep" / "report.html").read_text()
    pngs = sorted(p.stem for p in (tmp_path / "rep").glob("*.png"))
    for key in ("outcomes", "time_to_outcome", "forces", "territory", "revenue", "rungs",
                "bargaining", "claims", "tornado"):
        assert key in pngs
    assert html.count("data:image/png;base64,") == len(pngs)
    assert "<script" not in html and not re.search(r'(src|href)="https?:', html)
    run_id = Store(store).latest()
    assert run_id in html
    for claim in ("no_deal", "towns", "sanctions_bite"):
        assert claim in html
    assert "theatres.front.sides[0].forces" in html  # every assumption listed


def test_verdict_colours_in_the_tables_come_from_the_palette(tmp_path, capsys):
    """Each verdict's text colour in the HTML is the palette's (the figures' hue, readable)."""
    from polemos.report.palette import VERDICT_TEXT_COLOURS

    store = tmp_path / "st"
    assert main(["run", str(FULL), "--draws", "200", "--store", str(store), "--json"]) == 0
    capsys.readouterr()
    assert main(["report", "--store", str(store), "--out", str(tmp_path / "rep")]) == 0
    html = (tmp_path / "rep" / "report.html").read_text()
    css = html.split("<style>", 1)[1].split("</style>", 1)[0]
    rules = dict(re.findall(r"\.([a-z]+)\{color:(#[0-9A-Fa-f]{6})", css))
    for verdict, colour in VERDICT_TEXT_COLOURS.items():
        assert rules[verdict] == colour, verdict
    shown = set(re.findall(r'<td class="([a-z]+)">', html)) & set(VERDICT_TEXT_COLOURS)
    assert shown  # the ledger's verdict cells carry the class the rule colours


def test_a_claims_conditions_are_not_printed_twice():
    from polemos.report.html import conditions_note

    text = "holds when A > 3 and B < 2 (coverage 0.50, density 0.67)"
    said = {"reading": "Holds in 20% of plausible worlds (12%-30%); it holds when A > 3 and "
                       "B < 2.", "conditions_text": text}
    assert conditions_note(said) == "these conditions: coverage 0.50, density 0.67"
    assert conditions_note({"reading": "Holds in 20%.", "conditions_text": text}) == text


def test_distribution_parameters_read_as_numbers():
    from polemos.report.html import _dist_text

    p = {"path": "x", "dist": "triangular", "low": 640000.0, "mode": 700000.0,
         "high": 720000.0, "central": 688990.0, "sources": []}
    assert _dist_text(p) == "low=640,000, mode=700,000, high=720,000"
    assert _dist_text({"dist": "beta", "a": 7.0, "b": 3.0, "low": 0.0, "high": 1.0}) == (
        "a=7, b=3, low=0, high=1")
    assert _dist_text({"dist": "uniform", "low": 0.035, "high": 0.045}) == (
        "low=0.035, high=0.045")
