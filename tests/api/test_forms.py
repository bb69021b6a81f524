"""The form views (``form`` in ``POST /api/validate``) and ``POST /api/edit``: edits made
in the YAML text in place, comments kept, validated; hostile edits answered 4xx."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from polemos.api.scenarios import MAX_YAML_BYTES
from polemos.api.yamledit import parse_fragment
from polemos.scenario.yamlio import parse_yaml

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SEED = "venezuela-2025-10"


@pytest.fixture(scope="module")
def text() -> str:
    return (SCENARIOS / f"{SEED}.yaml").read_text()


def changed_lines(old: str, new: str) -> list[str]:
    return [d for d in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
            if d[:1] in "+-" and not d.startswith(("+++", "---"))]


def edit(client: TestClient, text: str, *edits: dict) -> dict:
    r = client.post("/api/edit", json={"yaml": text, "edits": list(edits)})
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("name", sorted(p.stem for p in SCENARIOS.glob("*.yaml")))
def test_the_form_shows_every_actor_and_stance_as_written(client: TestClient, name: str) -> None:
    raw = (SCENARIOS / f"{name}.yaml").read_text()
    data, _ = parse_yaml(raw, name)
    form = client.post("/api/validate", json={"yaml": raw}).json()["form"]
    assert [a["id"] for a in form["actors"]] == [a["id"] for a in data["actors"]]
    for row, actor in zip(form["actors"], data["actors"], strict=True):
        assert row["name"] == actor["name"]
        if "influence" in actor:  # the field's text reads back as the value in the file
            assert parse_fragment(row["influence"]) == actor["influence"]
    for row, issue in zip(form["issues"], data.get("issues", []), strict=True):
        assert row["id"] == issue["id"] and set(row["positions"]) == set(issue["positions"])
        for actor, stance in issue["positions"].items():
            for k in ("position", "salience"):
                assert parse_fragment(row["positions"][actor][k]) == stance[k]


def test_an_edit_changes_one_line_and_keeps_every_comment(client: TestClient, text: str) -> None:
    out = edit(client, text, {"path": ["issues", 0, "positions", "USA", "salience"], "text": "33"})
    assert out["kept_comments"] is True and out["valid"] is True
    diff = changed_lines(text, out["yaml"])
    assert len(diff) == 2 and "salience: 75" in diff[0] and "salience: 33" in diff[1]
    assert out["form"]["issues"][0]["positions"]["USA"]["salience"] == "33"
    assert out["names"]  # validated: the help follows the edited text too


def test_a_distribution_name_and_new_entries_round_trip(client: TestClient, text: str) -> None:
    dist = "{dist: uniform, low: 40, high: 60}"
    name = 'Estados Unidos "EE. UU." # not a comment'
    out = edit(client, text,
               {"path": ["actors", 0, "influence"], "text": dist},
               {"path": ["actors", 0, "name"], "value": name},
               {"path": ["issues", 2, "positions", "COL"], "text": "{position: 20, salience: 35}"},
               {"path": ["issues", 0, "positions", "CHN"], "delete": True},
               {"path": ["actors", 9], "value": {"id": "MEX", "name": "Mexico"}})
    assert out["kept_comments"] is True, out["yaml"]
    assert out["valid"] is True, out["problems"]
    diff = changed_lines(text, out["yaml"])
    gone = {d[1:] for d in diff if d[0] == "-"} - {d[1:] for d in diff if d[0] == "+"}
    added = {d[1:] for d in diff if d[0] == "+"} - {d[1:] for d in diff if d[0] == "-"}
    assert {g.split(":")[0].strip() for g in gone} == {"name", "influence", "CHN"}
    assert {a.split(":")[0].strip() for a in added} == {"name", "influence", "COL", "- {id"}
    form = out["form"]
    usa = form["actors"][0]
    assert parse_fragment(usa["influence"]) == {"dist": "uniform", "low": 40, "high": 60}
    assert usa["name"] == name
    assert form["actors"][-1]["id"] == "MEX"
    assert form["issues"][2]["positions"]["COL"] == {"position": "20", "salience": "35"}
    assert "CHN" not in form["issues"][0]["positions"]
    comments = [ln for ln in text.splitlines() if ln.lstrip().startswith("#")]
    assert comments == [ln for ln in out["yaml"].splitlines() if ln.lstrip().startswith("#")]


def test_a_missing_positions_mapping_is_created(client: TestClient) -> None:
    text = ("meta: {id: t, title: T, as_of: 2025-01-01, horizon: 2026-01-01}\n"
            "actors:\n  - {id: A, name: A}  # first\n  - {id: B, name: B}\n"
            "issues:\n  - id: i\n    name: I   # the issue\n")
    out = edit(client, text, {"path": ["issues", 0, "positions", "A", "position"], "text": "10"},
               {"path": ["issues", 0, "positions", "A", "salience"], "text": "50"})
    assert out["kept_comments"] is True
    assert out["form"]["issues"][0]["positions"] == {"A": {"position": "10", "salience": "50"}}
    assert "# first" in out["yaml"] and "# the issue" in out["yaml"]


def test_an_edit_that_cannot_be_made_in_place_says_so(client: TestClient) -> None:
    text = ("meta: {id: t, title: T, as_of: 2025-01-01, horizon: 2026-01-01}\n"
            "actors:\n  - {id: A, name: A, influence: &power 5}  # anchored\n"
            "  - {id: B, name: B, influence: *power}\n")
    out = edit(client, text, {"path": ["actors", 0, "influence"], "text": "7"})
    assert out["kept_comments"] is False  # the page warns that comments were lost
    assert [a["influence"] for a in out["form"]["actors"]] == ["7", "5"]


def test_the_form_follows_a_text_that_does_not_validate(client: TestClient, text: str) -> None:
    body = client.post("/api/validate", json={"yaml": text.replace("as_of: 2025-10-24", "as_of: x", 1)}).json()
    assert body["valid"] is False and body["form"]["actors"][0]["id"] == "USA"
    body = client.post("/api/validate", json={"yaml": "actors: [unclosed\n"}).json()
    assert body["valid"] is False and body["form"] is None


@pytest.mark.parametrize("edits, words", [
    ([{"path": ["actors", 99, "name"], "value": "x"}], "no field actors[99]"),
    ([{"path": ["issues", 0, "positions", "NOPE"], "delete": True}], "no field"),
    ([{"path": ["actors", 0, "influence"], "text": "{dist: uniform"}], "not valid YAML"),
    ([{"path": ["actors", 0, "influence"], "text": "1\nmeta: x"}], "one line"),
    ([{"path": ["actors", 0, "influence"], "text": "1", "value": 2}], "exactly one"),
    ([{"path": ["actors", 0, "influence"]}], "exactly one"),
    ([{"path": ["actors", 0, "name", "deeper"], "value": "x"}], "no field"),
    ([], "invalid request"),
    ([{"path": [], "value": 1}], "invalid request"),
    ([{"path": ["actors", 0, "name"], "value": "x"}] * 101, "invalid request"),
    ([{"path": ["a"] * 13, "value": 1}], "invalid request"),
    ([{"path": ["actors", 0, "name"], "value": [1, 2]}], "invalid request"),
])
def test_bad_edits_are_422_with_a_message(client: TestClient, text: str, edits: list,
                                          words: str) -> None:
    r = client.post("/api/edit", json={"yaml": text, "edits": edits})
    assert r.status_code == 422, r.text
    assert words in r.json()["error"], r.json()


def test_unreadable_or_oversized_text_is_refused(client: TestClient) -> None:
    one = [{"path": ["actors", 0, "name"], "value": "x"}]
    r = client.post("/api/edit", json={"yaml": "actors: [\n", "edits": one})
    assert r.status_code == 422 and r.json()["problems"][0]["line"] is not None
    r = client.post("/api/edit", json={"yaml": "#" * (MAX_YAML_BYTES + 10), "edits": one})
    assert r.status_code in (413, 422)
    r = client.post("/api/edit", content=b'{"yaml": "a: 1", "edits": [{"path": ["a"], "value": NaN}]}',
                    headers={"content-type": "application/json"})
    assert r.status_code == 422 and "finite" in r.json()["error"]


@pytest.mark.parametrize("dress", [lambda t: t.replace("\n", "\r\n"), lambda t: "\ufeff" + t],
                         ids=["windows line breaks", "byte order mark"])
def test_files_saved_elsewhere_are_edited_in_place(client: TestClient, text: str, dress) -> None:
    dressed = dress(text)
    out = edit(client, dressed, {"path": ["issues", 2, "positions", "COL"], "text": "{position: 1, salience: 2}"},
               {"path": ["actors", 9], "value": {"id": "MEX", "name": "Mexico"}})
    assert out["kept_comments"] is True and out["valid"] is True
    assert out["yaml"].count("\r\n") in (0, out["yaml"].count("\n"))  # one kind of line break
    assert out["yaml"].startswith("\ufeff") == dressed.startswith("\ufeff")
