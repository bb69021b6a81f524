"""Each bad-input case gives a located, actionable message; never a traceback."""

from __future__ import annotations

import pytest

from polemos.scenario import ScenarioError
from polemos.scenario.load import load_scenario, loads_scenario


def problems(text: str, name: str = "bad.yaml") -> list[str]:
    with pytest.raises(ScenarioError) as info:
        loads_scenario(text, name)
    return [p.format() for p in info.value.problems]


def one(text: str) -> str:
    found = problems(text)
    assert found, "expected a problem"
    return "\n".join(found)


def test_valid_template_loads(valid_text):
    sc = loads_scenario(valid_text, "ok.yaml")
    assert sc.actor_ids() == ["A", "B"]


def test_unknown_key_with_did_you_mean(valid_text):
    text = valid_text.replace("salience: 90", "salence: 90")
    msg = one(text)
    assert "bad.yaml:" in msg
    assert "issues[0].positions.A.salence: unknown key 'salence' -> did you mean 'salience'?" in msg


def test_unknown_top_level_section(valid_text):
    msg = one(valid_text.replace("relations:", "relatons:"))
    assert "unknown key 'relatons'" in msg and "did you mean 'relations'?" in msg


def test_unknown_actor_id(valid_text):
    msg = one(valid_text.replace("kind: rivalry, source: A, target: B", "kind: rivalry, source: A, target: C"))
    assert "relations[0].target: unknown actor id 'C'" in msg
    assert "did you mean" in msg or "declare it in actors" in msg


def test_unknown_source_id_with_did_you_mean(valid_text):
    msg = one(valid_text.replace("    source: analyst", "    source: analyts"))
    assert "claims[0].source: unknown source id 'analyts' -> did you mean 'analyst'?" in msg


def test_duplicate_id(valid_text):
    msg = one(valid_text.replace("  - id: B\n", "  - id: A\n"))
    assert "actors[1].id: duplicate id 'A'" in msg


@pytest.mark.parametrize(
    "old, new, needle",
    [
        ("A: {position: 10, salience: 90}", "A: {position: 10, salience: 190}", "0-100 scale"),
        ("A: {position: 10, salience: 90}", "A: {position: -5, salience: 90}", "0-100 scale"),
    ],
)
def test_salience_or_position_out_of_range(valid_text, old, new, needle):
    msg = one(valid_text.replace(old, new))
    assert "issues[0].positions.A" in msg and needle in msg


def test_negative_forces(valid_text):
    text = valid_text.replace("low: 250000, mode: 300000", "low: -250000, mode: 300000")
    msg = one(text)
    assert "actors[0].capabilities: capabilities must be non-negative: personnel_deployed" in msg
    msg = one(valid_text.replace("influence: 60", "influence: -60"))
    assert "actors[0].influence: influence must be non-negative" in msg


def test_impossible_distribution(valid_text):
    msg = one(valid_text.replace("low: 70, high: 90", "low: 95, high: 90"))
    assert "issues[0].positions.B.position: uniform needs low < high" in msg
    msg = one(valid_text.replace("low: 250000, mode: 300000, high: 350000", "low: 250000, mode: 400000, high: 350000"))
    assert "triangular needs low <= mode <= high" in msg


def test_unknown_distribution_kind(valid_text):
    msg = one(valid_text.replace("dist: uniform", "dist: unifrom"))
    assert "unknown distribution 'unifrom'" in msg and "did you mean 'uniform'?" in msg


def test_bad_date(valid_text):
    msg = one(valid_text.replace("date: 2025-11-15", "date: 2025-13-45"))
    assert "bad.yaml:" in msg and "YYYY-MM-DD" in msg
    msg = one(valid_text.replace("date: 2025-11-15", "date: next week"))
    assert "events[0].date: 'next week' is not a valid date -> write dates as YYYY-MM-DD" in msg


def test_event_outside_horizon(valid_text):
    msg = one(valid_text.replace("date: 2025-11-15", "date: 2030-01-01"))
    assert "events[0].date: event date 2030-01-01 is after the horizon 2026-10-24" in msg
    assert "extend meta.horizon" in msg


def test_horizon_before_start(valid_text):
    msg = one(valid_text.replace("horizon: 2026-10-24", "horizon: 2024-01-01"))
    assert "meta" in msg and "must be after as_of" in msg


def test_expression_that_does_not_parse(valid_text):
    msg = one(valid_text.replace('expr: "P(settled) < 0.2"', 'expr: "P(settled) < < 0.2"'))
    assert "claims[0].expr: expression does not parse at column" in msg


def test_expression_with_unknown_variable(valid_text):
    msg = one(valid_text.replace('when: "settlement"', 'when: "setlement"'))
    assert "outcomes[0].when" in msg and "setlement" in msg and "did you mean 'settlement'" in msg


def test_wrong_type(valid_text):
    msg = one(valid_text.replace("influence: 60", "influence: lots"))
    assert "actors[0].influence: 'lots' is not a number" in msg


def test_wrong_container_type(valid_text):
    msg = one(valid_text.replace("    actors: [A, B]\n", "    actors: A\n"))
    assert "events[0].actors: expected a list" in msg


def test_empty_file(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("   \n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert "empty.yaml:1:1: file is empty" in str(info.value)
    assert "polemos new" in str(info.value)


def test_non_utf8_bytes(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("meta:\n  title: \"Caf\xe9\"\n".encode("latin-1"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    text = str(info.value)
    assert "latin1.yaml:2:" in text and "not valid UTF-8" in text and "save the file as UTF-8" in text


def test_billion_laughs_rejected(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "lol.yaml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert "expands to more than" in str(info.value)


def test_file_over_size_limit(tmp_path):
    path = tmp_path / "big.yaml"
    with path.open("w") as fh:
        fh.write("meta:\n  description: '")
        fh.write("x" * (3 * 1024 * 1024))
        fh.write("'\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert "over the 2,097,152-byte limit" in str(info.value)


def test_yaml_syntax_error_is_located(valid_text):
    msg = one(valid_text.replace("  as_of: 2025-10-24", "  as_of: [2025-10-24"))
    assert "bad.yaml:" in msg and "YAML syntax" in msg


def test_duplicate_yaml_key(valid_text):
    msg = one(valid_text.replace("  as_of: 2025-10-24", "  as_of: 2025-10-24\n  as_of: 2025-10-25"))
    assert "duplicate key" in msg


def test_missing_required(valid_text):
    msg = one(valid_text.replace('  title: "fixture"\n', ""))
    assert "meta: missing required field 'title'" in msg


def test_all_problems_reported_at_once(valid_text):
    text = valid_text.replace("salience: 90", "salence: 90").replace("influence: 60", "influence: lots")
    found = problems(text)
    assert len(found) >= 3  # unknown key, missing salience, not a number


def test_schema_and_reference_problems_are_reported_together(valid_text):
    text = valid_text.replace("salience: 90", "salence: 90").replace("    source: analyst", "    source: analyts")
    text = text.replace("kind: rivalry, source: A, target: B", "kind: rivalry, source: A, target: C")
    msg = "\n".join(problems(text))
    assert "unknown key 'salence'" in msg
    assert "claims[0].source: unknown source id 'analyts' -> did you mean 'analyst'?" in msg
    assert "relations[0].target: unknown actor id 'C'" in msg


def test_file_not_found(tmp_path):
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "nope.yaml")
    assert "file not found" in str(info.value)


def test_override_applies_before_validation(valid_text, tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(valid_text)
    sc = load_scenario(path, overrides={"actors.A.influence": "75", "meta.horizon": "2027-01-01"})
    assert sc.actors[0].influence == 75
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, overrides={"actors.Z.influence": "1"})
    assert "--set: no item 'Z'" in str(info.value)


def test_unknown_id_after_without(valid_text):
    ok = valid_text.replace('expr: "P(settled) < 0.2"', 'expr: "P(settled) - P(settled without talks) < 0.2"')
    loads_scenario(ok, "ok.yaml")
    msg = one(ok.replace("without talks", "without talk"))
    assert "claims[0].expr" in msg and "unknown measure or event id 'talk'" in msg
    assert "did you mean 'talks'?" in msg
