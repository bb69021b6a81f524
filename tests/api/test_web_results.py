"""The web page in headless Chromium: each claim's verdict explained in plain words."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SEED = "venezuela-2025-10"
DRAWS = 200
# a claim no input can move (weeks are never negative): judged fixed, an assumption
ALWAYS = """  - id: time_passes
    text: "Time passes."
    source: analyst
    expr: "E(week) >= 0"
    confidence: likely
"""


def start(url: str, **body) -> str:
    r = httpx.post(f"{url}api/runs", json={"draws": DRAWS, "seed": 3, **body}, timeout=30)
    assert r.status_code == 202, r.text
    return r.json()["run_id"]


def finish(url: str, ident: str, timeout: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        run = httpx.get(f"{url}api/runs/{ident}", timeout=30).json()
        if run["status"] in ("complete", "failed") or time.monotonic() > deadline:
            assert run["status"] == "complete", run
            return run
        time.sleep(0.1)


@pytest.fixture(scope="module")
def runs(live_url: str) -> tuple[dict, dict]:
    """Two runs with the same seed and draws: the seed text plus a fixed claim (A), and the
    same with a lower United States influence (B)."""
    text = (SCENARIOS / f"{SEED}.yaml").read_text() + ALWAYS
    ids = [start(live_url, yaml=text),
           start(live_url, yaml=text, overrides={"actors.USA.influence": 20})]
    return finish(live_url, ids[0]), finish(live_url, ids[1])


def pct(p: float) -> str:
    return f"{100 * p:.0f}%"


def test_each_verdict_is_explained(browser, live_url: str, runs: tuple[dict, dict]) -> None:
    run = runs[0]
    browser.goto(f"{live_url}#run={run['run_id']}")
    browser.wait(f"document.querySelectorAll('#claims tbody tr[data-claim]').length === "
                 f"{len(run['claims'])}", "the claims ledger")
    browser.js("document.querySelectorAll('#claims details.why').forEach(d => d.open = true)")
    for claim in run["claims"]:
        row = browser.js(f"document.querySelector('#claims tr[data-claim=\"{claim['id']}\"]')"
                         ".innerText")
        why = browser.js(f"document.querySelector('#claims tr[data-why=\"{claim['id']}\"] "
                         "details.why').innerText")
        assert claim["reading"] in row
        assert f"at least {pct(claim['level'])}" in why and f"at most {pct(1 - claim['level'])}" in why
        assert f"holds in {pct(claim['credence'])}" in why
        if claim["verdict"] == "fixed":
            assert "an assumption, not a finding" in why and claim["fixed_reason"] in why
            assert f"fixed ({claim['fixed_as']})" in row
        else:
            assert "some admissible worlds show it holding" in why
        for cond in claim["conditions"]:
            assert cond["label"] in why
        for driver in claim["drivers"]:
            assert driver["label"] in why and f"by {abs(100 * driver['effect']):.0f} points" in why
    fixed = next(c for c in run["claims"] if c["id"] == "time_passes")
    assert fixed["verdict"] == "fixed" and fixed["fixed_as"] == "supported"
    assert any(c["conditions"] for c in run["claims"])  # the test saw conditions explained


def test_two_runs_are_compared_side_by_side(browser, live_url: str, runs: tuple[dict, dict]) -> None:
    a, b = runs
    browser.goto(live_url)
    browser.wait("document.querySelectorAll('#recent input.pick').length >= 2", "the runs list")
    assert browser.js("document.getElementById('compare').disabled") is True
    for run in (a, b):  # tick A, then B
        browser.js(f"document.querySelector('#recent input.pick[data-run=\"{run['run_id']}\"]').click()")
    assert browser.js("document.querySelector('#recent li[data-pick=\"A\"] input').dataset.run") == a["run_id"]
    assert browser.js("document.getElementById('compare').disabled") is False
    browser.js("document.getElementById('compare').click()")
    browser.wait("!document.getElementById('comparison').hidden", "the comparison")
    cmp = httpx.get(f"{live_url}api/compare", params={"a": a["run_id"], "b": b["run_id"]}).json()
    meta = browser.js("document.getElementById('compare-meta').innerText")
    assert f"A: {a['title']}" in meta and a["run_id"] in meta and b["run_id"] in meta
    assert "actors.USA.influence = 20" in meta  # what B changed
    for o in cmp["outcomes"]:
        cells = browser.js(f"[...document.querySelectorAll('#compare-outcomes tr[data-outcome=\"{o['id']}\"] td')]"
                           ".map(td => td.innerText)")
        assert cells[0].startswith(o["label"])
        assert cells[1] == f"{100 * o['a']:.1f}%" or o["a"] < 0.001
        assert f"{100 * abs(o['diff']):.1f} pt" in cells[3]
        differs = o["low"] > 0 or o["high"] < 0
        assert browser.js(f"document.querySelector('#compare-outcomes tr[data-outcome=\"{o['id']}\"]')"
                          ".classList.contains('differs')") == differs
    for c in cmp["claims"]:
        row = browser.js(f"document.querySelector('#compare-claims tr[data-claim=\"{c['id']}\"]').innerText")
        assert c["verdict_a"] in row and c["verdict_b"] in row
        assert ("verdict changed" in row) == c["changed"]
    assert "Paired draws" in browser.js("document.getElementById('compare-note').innerText")
    assert browser.js("location.hash") == f"#compare={a['run_id']},{b['run_id']}"
