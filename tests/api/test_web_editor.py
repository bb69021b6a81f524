"""The web page in headless Chromium: the editor's help and problems follow its text."""

from __future__ import annotations

import re
from pathlib import Path

from polemos.api.app import WEB

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
APP_JS = WEB / "app.js"
FORM_JS = WEB / "form.js"

FIRST_SEED = sorted(SCENARIOS.glob("*.yaml"))[0].stem  # the page opens the first valid seed


def test_state_variables_follow_the_pasted_text(browser, live_url: str) -> None:
    browser.goto(live_url)
    browser.wait("document.getElementById('yaml').value.includes('meta:')", "a seed to load")
    assert browser.js("document.getElementById('seed').value") == FIRST_SEED
    assert browser.wait("document.getElementById('names-for').textContent.startsWith('Names of:')")
    # paste another scenario whose issue has a name no seed file uses
    text = (SCENARIOS / "venezuela-2025-10.yaml").read_text().replace("maduro_rule", "who_rules")
    browser.type_yaml(text)  # no button: the page validates a moment after typing stops
    browser.wait("document.getElementById('names').textContent.includes('agreement.who_rules')",
                 "the help to list the pasted scenario's names")
    names = browser.js("[...document.querySelectorAll('#names dt')].map(e => e.textContent)")
    assert "position.VEN.who_rules" in names and "agreement.maduro_rule" not in names
    assert "venezuela_2025_10" in browser.js("document.getElementById('seed-meta').textContent")
    assert browser.js("document.getElementById('seed').value") == ""  # no longer the seed

    # a located problem: line, field and what to do, next to the editor; the help says so
    browser.type_yaml(text.replace("as_of: 2025-10-24", "as_of: someday", 1))
    browser.wait("document.querySelectorAll('#problems li').length > 0", "the problem list")
    item = browser.js("document.querySelector('#problems li').textContent")
    line = 1 + text.splitlines().index("  as_of: 2025-10-24")
    assert f"line {line}" in item and "meta.as_of" in item and "YYYY-MM-DD" in item, item
    assert "last valid text" in browser.js("document.getElementById('names-for').textContent")
    assert str(line) in browser.js("document.querySelector('#gutter .bad').textContent")
    # clicking the problem selects its line in the editor
    browser.js("document.querySelector('#problems li button').click()")
    sel = browser.js("(() => { const a = document.getElementById('yaml');"
                     " return a.value.slice(a.selectionStart, a.selectionEnd); })()")
    assert "someday" in sel


def test_the_page_has_no_script_errors(browser, live_url: str) -> None:
    browser.errors.clear()
    browser.goto(live_url)
    browser.wait("document.getElementById('yaml').value.includes('meta:')", "a seed to load")
    browser.wait("document.querySelectorAll('#recent li').length > 0", "the runs list")
    ids = set(browser.js("[...document.querySelectorAll('[id]')].map(e => e.id)"))
    wanted = {m for js in (APP_JS, FORM_JS) for m in re.findall(r'\$\("([\w-]+)"\)', js.read_text())}
    assert wanted <= ids, sorted(wanted - ids)  # every element the script uses exists
    assert browser.errors == []
