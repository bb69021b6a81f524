"""The report in a real browser: at 1,400 px nothing scrolls sideways, no table overflows,
no cell spills, numbers stay on one line; every figure and interval table has a caption."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from tests.browser import headless

from polemos.cli.app import main

FULL = Path(__file__).parents[1] / "engine" / "fixtures" / "full.yaml"
WIDTH = 1400
LONG_ID = "outcome_with_a_deliberately_long_identifier_that_has_no_spaces_x"  # 64 characters
LONG_WORD = "Ministerstvo" + "OboronyRossiyskoyFederatsii" * 6  # one unbroken 174-char word

MEASURE = """<script>
(function () {
  var root = document.documentElement, out = {doc: root.scrollWidth, view: root.clientWidth,
      tables: [], cells: [], wrapped_numbers: [], broken_headers: [], figures: 0,
      captioned: 0};
  function lines(node, start, end) {
    var r = document.createRange(); r.setStart(node, start); r.setEnd(node, end);
    var tops = {}; Array.prototype.forEach.call(r.getClientRects(), function (b) {
      if (b.width > 0) tops[Math.round(b.top)] = 1; });
    return Object.keys(tops).length;
  }
  document.querySelectorAll('th').forEach(function (c) {  // no header word split in two
    var walk = document.createTreeWalker(c, NodeFilter.SHOW_TEXT), node, m;
    while ((node = walk.nextNode())) {
      var re = /\\S+/g;
      while ((m = re.exec(node.data))) {
        if (lines(node, m.index, m.index + m[0].length) > 1) out.broken_headers.push(m[0]);
      }
    }
  });
  document.querySelectorAll('table').forEach(function (t) {
    out.tables.push([t.scrollWidth, t.parentElement.clientWidth,
                     t.getBoundingClientRect().right, t.parentElement.getBoundingClientRect().right]);
  });
  document.querySelectorAll('td, th').forEach(function (c) {
    if (c.scrollWidth > c.clientWidth) out.cells.push(c.textContent.slice(0, 60));
  });
  document.querySelectorAll('td.num').forEach(function (c) {
    var r = document.createRange(); r.selectNodeContents(c);
    var tops = {}; Array.prototype.forEach.call(r.getClientRects(), function (b) {
      if (b.width > 0) tops[Math.round(b.top)] = 1; });
    if (Object.keys(tops).length > 1) out.wrapped_numbers.push(c.textContent);
  });
  document.querySelectorAll('figure').forEach(function (f) {
    out.figures += 1;
    var cap = f.querySelector('figcaption');
    if (cap && cap.textContent.trim().length > 40 && cap.getBoundingClientRect().height > 0)
      out.captioned += 1;
  });
  var pre = document.createElement('pre'); pre.id = 'measure';
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
})();
</script></body>"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of a small run whose scenario has a long id, an unbroken long title and
    a long expression (what would push a table wider than the page)."""
    tmp = tmp_path_factory.mktemp("wide")
    data = yaml.safe_load(FULL.read_text())
    data["meta"]["sources"].append({"id": "long_source_identifier_without_any_break_at_all",
                                    "title": LONG_WORD, "author": LONG_WORD[:90],
                                    "kind": "estimate"})
    data["outcomes"].append({"id": LONG_ID, "label": "Ukrainian resolve dips below a third",
                             "when": "resolve.UKR < 0.33", "absorbing": False})
    data["claims"].append({"id": "claim_with_a_long_identifier_and_a_longer_expression_to_wrap",
                           "text": LONG_WORD, "source": "long_source_identifier_without_any_break_at_all",
                           "expr": f"P({LONG_ID})<0.5&&P({LONG_ID})<0.6".replace("&&", " and "),
                           "confidence": "likely"})
    scenario = tmp / "wide.yaml"
    scenario.write_text(yaml.safe_dump(data, sort_keys=False))
    store = tmp / "st"
    assert main(["run", str(scenario), "--draws", "300", "--store", str(store), "--json",
                 "--sensitivity", "8"]) == 0
    assert main(["report", "--store", str(store), "--out", str(tmp / "rep")]) == 0
    return tmp / "rep" / "report.html"


def _measure(chromium: str, page: Path, tmp: Path) -> dict:
    probe = tmp / "probe.html"  # a copy: the report itself carries no script
    probe.write_text(page.read_text().replace("</body>", MEASURE))
    flags = [*headless(chromium, tmp / "profile", WIDTH, 900), "--hide-scrollbars"]
    dom = subprocess.run([*flags, "--dump-dom", probe.as_uri()], capture_output=True,
                         text=True, timeout=90).stdout
    found = re.search(r'<pre id="measure">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def test_report_fits_a_1400_px_page(chromium: str, report: Path, tmp_path: Path) -> None:
    m = _measure(chromium, report, tmp_path)
    assert m["view"] <= WIDTH and m["doc"] <= m["view"], m  # no sideways scrolling
    assert len(m["tables"]) >= 5
    for width, parent, right, parent_right in m["tables"]:
        assert width <= parent and right <= parent_right + 0.5, m["tables"]
    assert m["cells"] == [], m["cells"]  # no cell's content spills out of it
    assert m["wrapped_numbers"] == []  # numbers are never broken over lines
    assert m["broken_headers"] == []  # nor a column's name ("absorbin / g")
    html = report.read_text()
    assert LONG_ID in html and LONG_WORD in html  # wrapped, never cut


def test_every_figure_and_interval_table_says_what_it_shows(chromium: str, report: Path,
                                                            tmp_path: Path) -> None:
    m = _measure(chromium, report, tmp_path)
    pngs = list(report.parent.glob("*.png"))
    assert m["figures"] == len(pngs) >= 8 and m["captioned"] == m["figures"]
    html = report.read_text()
    captions = re.findall(r"<caption>(.*?)</caption>", html, re.S)
    assert any("95% interval" in c and "Monte Carlo" in c for c in captions)  # outcomes
    assert any("95% interval of that share" in c for c in captions)  # claims' credence


def test_without_chromium_a_workstation_skips_and_ci_fails(monkeypatch) -> None:
    """The one rule of every browser test (tests/browser.py), both ways."""
    import tests.browser as B

    monkeypatch.setattr(B, "CHROMIUM", None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        B.needs_chromium()
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="chromium is not installed"):
        B.needs_chromium()
    monkeypatch.setattr(B, "CHROMIUM", "/usr/bin/chromium")
    assert B.needs_chromium() == "/usr/bin/chromium"
