"""Terminal output never cuts an id, number, date or path (80 columns, piped)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from tests.ux.conftest import ROOT, cli

from polemos.cli.output import print_table


def test_runs_list_shows_whole_ids(two_runs) -> None:
    store, ids = two_runs
    out = cli("runs", "list", "--store", str(store)).stdout
    for rid in ids:
        assert rid in out
    assert "…" not in out
    assert all(len(line) <= 80 for line in out.splitlines())


def test_export_csv_to_stdout_is_labelled(two_runs) -> None:
    store, ids = two_runs
    proc = cli("runs", "export", ids[0], "--format", "csv", "--out", "-", "--store", str(store))
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == 200
    assert not Path(store.parent / "-").exists()
    header = rows[0].keys()
    assert "outcome" in header and not any(h.startswith(("p:", "t:", "o:")) for h in header)
    assert {r["outcome"] for r in rows} - {""} <= {
        "Maduro's government collapses or is removed", "Negotiated transition",
        "Maduro stays in a deal with Washington", "The US scales its campaign back",
        "Maduro still in power at the horizon"}
    never = [r["weeks_to:land_war"] for r in rows if r["weeks_to:land_war"] == ""]
    assert never and all(v != "-1" for r in rows for v in r.values())


def test_ambiguous_prefix_lists_candidates(two_runs) -> None:
    store, ids = two_runs
    common = ids[0].split("-")[0]
    proc = cli("runs", "show", common, "--store", str(store), check=False)
    assert proc.returncode != 0
    text = proc.stderr.replace("│", " ")
    assert "matches 2 runs" in text and all(rid in text for rid in ids)
    assert cli("runs", "show", ids[1][:-2], "--store", str(store)).returncode == 0


def test_run_says_where_the_report_is(tmp_path: Path) -> None:
    out = cli("run", str(ROOT / "scenarios" / "venezuela-2025-10.yaml"), "--draws", "200",
              "--store", str(tmp_path / "st"), "--report", cwd=tmp_path).stdout
    path = re.search(r"^report: (\S+)$", out, flags=re.M)
    assert path and Path(path.group(1)).is_file()  # the whole path on one line
    assert all(len(line) <= 80 for line in out.splitlines() if "│" in line or "━" in line)


def test_claim_after_horizon_warns(tmp_path: Path) -> None:
    text = (ROOT / "scenarios" / "venezuela-2025-10.yaml").read_text()
    claim = re.search(r"P\(land_war by (\d{4}-\d{2}-\d{2})\)", text)
    assert claim
    bad = tmp_path / "late.yaml"
    bad.write_text(text.replace(claim.group(0), "P(land_war by 2031-01-01)"))
    proc = cli("validate", str(bad))
    assert "warning:" in proc.stderr and "2031-01-01" in proc.stderr and "horizon" in proc.stderr
    assert "horizon" not in cli("validate", str(ROOT / "scenarios")).stderr


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_.-:/", min_size=1, max_size=30)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.lists(st.lists(_WORD, min_size=1, max_size=6).map(" ".join),
                              min_size=3, max_size=3), min_size=1, max_size=4),
       width=st.integers(min_value=30, max_value=140))
def test_print_table_never_cuts_a_word(rows: list[list[str]], width: int) -> None:
    t = Table(title="t")
    for name in ("first", "second", "third"):
        t.add_column(name)
    for row in rows:
        t.add_row(*row)
    buf = io.StringIO()
    print_table(t, Console(file=buf, width=width, color_system=None))
    out = buf.getvalue()
    lines = out.splitlines()
    for row in rows:
        for cell in row:
            for word in cell.split():
                assert any(word in line for line in lines), (word, out)
    assert "…" not in out
