"""The web page in headless Chromium: the actors and issues form and the YAML follow each
other (form -> YAML -> validation, and YAML -> form), comments kept."""

from __future__ import annotations

import json
from pathlib import Path

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
TEXT = (SCENARIOS / "venezuela-2025-10.yaml").read_text()
YAML = "document.getElementById('yaml').value"
FORM_STATE = "document.getElementById('form-state').textContent"


def field(browser, key: str) -> str:
    return f"document.querySelector('#form input[data-key={json.dumps(key)}]')"


def type_in(browser, key: str, value: str) -> None:
    """Type ``value`` into a form field and leave it (a change event), as a user would."""
    browser.js(f"(() => {{ const i = {field(browser, key)}; i.focus(); i.value = {json.dumps(value)};"
               " i.dispatchEvent(new Event('change', { bubbles: true })); })()")


def comments(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.lstrip().startswith("#")]


def open_with(browser, live_url: str, text: str) -> None:
    browser.goto(live_url)
    browser.wait(f"{YAML}.includes('meta:')", "a seed to load")
    browser.type_yaml(text)
    browser.wait("document.querySelector('#form-actors tr[data-actor=\"VEN\"]') !== null"
                 " && !document.getElementById('form').disabled", "the form of the pasted text")


def test_form_edits_write_the_yaml_and_yaml_edits_redraw_the_form(browser, live_url: str) -> None:
    open_with(browser, live_url, TEXT)
    assert browser.js(f"{field(browser, 'a0.name')}.value") == "United States"
    issues = browser.js("[...document.querySelectorAll('#form-issues table')].map(t => t.dataset.issue)")
    assert issues == ["maduro_rule", "us_force", "oil_sanctions"]

    # form -> YAML: the USA's salience on who rules Venezuela
    type_in(browser, "i0.USA.salience", "33")
    browser.wait(f"{YAML}.includes('salience: 33, sources: [maduro_bounty')", "the YAML to follow")
    text = browser.js(YAML)
    assert comments(text) == comments(TEXT)
    assert "comments and layout kept" in browser.js(FORM_STATE)
    assert browser.wait("document.getElementById('validate-state').textContent.startsWith('Valid')")
    assert browser.js(f"{field(browser, 'i0.USA.salience')}.value") == "33"

    # a stance where there was none: both numbers, then it is written
    type_in(browser, "i2.COL.position", "20")
    assert "give both" in browser.js(FORM_STATE) and "COL: {position: 20" not in browser.js(YAML)
    type_in(browser, "i2.COL.salience", "35")
    browser.wait(f"{YAML}.includes('COL: {{position: 20, salience: 35}}')", "the new stance")
    assert browser.js("document.querySelector('#form-issues table[data-issue=\"oil_sanctions\"]"
                      " tr[data-actor=\"COL\"]').className") == ""

    # YAML -> form: an edit in the text redraws the form once it has been checked
    browser.type_yaml(browser.js(YAML).replace('name: "Brazil"', 'name: "Brasil"'))
    browser.wait(f"{field(browser, 'a5.name')}.value === 'Brasil'", "the form to follow the YAML")

    # undo brings back the text before the last form edit
    type_in(browser, "a0.name", "USA")
    browser.wait(f"{YAML}.includes('name: USA')", "the name edit")
    browser.js("document.getElementById('form-undo').click()")
    browser.wait(f"{YAML}.includes('name: \"United States\"')", "the undo")
    browser.wait(f"{field(browser, 'a0.name')}.value === 'United States'", "the form after undo")
    assert browser.errors == []


def test_a_form_value_that_fails_validation_is_located(browser, live_url: str) -> None:
    open_with(browser, live_url, TEXT)
    type_in(browser, "i1.VEN.salience", "very high")
    browser.wait(f"{YAML}.includes('salience: very high')", "the YAML")
    browser.wait("document.querySelectorAll('#problems li').length > 0", "the located problem")
    line = 1 + browser.js(YAML).splitlines().index(
        "      VEN: {position: 0, salience: very high, sources: [analyst]}")
    problem = browser.js("document.querySelector('#problems li').textContent")
    assert f"line {line}" in problem and "issues[1].positions.VEN.salience" in problem, problem

    # a value that is not YAML is refused by the server, next to the form; the text stays
    before = browser.js(YAML)
    type_in(browser, "a0.influence", "{dist: uniform, low: 1")
    browser.wait(f"{FORM_STATE}.includes('not valid YAML')", "the refusal")
    assert browser.js(f"{field(browser, 'a0.influence')}.getAttribute('aria-invalid')") == "true"
    assert browser.js(YAML) == before


def test_the_page_says_when_an_edit_loses_comments(browser, live_url: str) -> None:
    text = ("meta: {id: t, title: T, as_of: 2025-01-01, horizon: 2026-01-01}\n"
            "actors:\n  - {id: VEN, name: A, influence: &power 5}  # anchored\n"
            "  - {id: B, name: B, influence: *power}\n")
    open_with(browser, live_url, text)
    type_in(browser, "a0.influence", "7")
    browser.wait(f"{FORM_STATE}.includes('comments and layout were lost')", "the warning")
    assert "# anchored" not in browser.js(YAML)
    assert not browser.js("document.getElementById('form-undo').hidden")
