"""The HTML report reads in plain words: a summary first, labels, readable numbers."""

from __future__ import annotations

import re
from pathlib import Path

import polemos
from polemos.report.html import no_paths, readable

ROOT = Path(__file__).resolve().parents[2]


def test_report_has_a_plain_summary_and_no_machine_paths(tmp_path: Path) -> None:
    r = polemos.run(ROOT / "scenarios" / "venezuela-2025-10.yaml", draws=300, seed=1,
                    store=tmp_path / "st")
    html = r.report(tmp_path / "rep").read_text()
    text = re.sub(r"data:image/png;base64,[^\"]+", "", html)
    assert text.index("<h2>Summary") < text.index("<h2>Outcomes")
    assert "The likeliest end by the horizon is" in text
    for c in r.scenario.claims:
        assert c.text.replace("'", "&#39;") in text
    assert not re.search(r"\d\.\d+e[+-]\d\d", text)
    assert "/work/" not in text and "overrides: none" in text
    assert f"to the horizon {r.scenario.meta.horizon}" in text
    usa = next(a.name for a in r.scenario.actors if a.id == "USA")
    assert usa in text  # inputs named in words


def test_readable_numbers_and_paths() -> None:
    assert readable(689000.0) == "689,000" and readable(0.5) == "0.5" and readable(3.0) == "3"
    assert readable(None) == "-" and "e" not in readable(1.5e-7)
    assert no_paths("Essayist (seed essay, /work/shared/seeds/001_*.txt)") == "Essayist (seed essay)"
