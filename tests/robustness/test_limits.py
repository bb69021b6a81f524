"""Hostile YAML, nonsense numbers and unbounded dates: a located error, exit 2, never a crash."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from polemos.scenario import ScenarioError
from polemos.scenario.load import load_scenario, loads_scenario
from polemos.scenario.yamlio import MAX_DEPTH, parse_yaml

ROOT = Path(__file__).resolve().parents[2]
VENEZUELA = ROOT / "scenarios" / "venezuela-2025-10.yaml"


def _error(text: str, **kw) -> str:
    with pytest.raises(ScenarioError) as info:
        parse_yaml(text, "x.yaml", **kw)
    return str(info.value)


@pytest.mark.parametrize("text", ["[" * 100_000, "[" * 2_000 + "]" * 2_000, "{a: " * 5_000,
                                  "".join(f"{' ' * i}k{i}:\n" for i in range(1_500)) + " " * 1_500 + "v",
                                  "- " * 5_000 + "x"])
def test_deep_nesting_is_a_located_error(text: str) -> None:
    msg = _error(text)
    assert f"nesting deeper than {MAX_DEPTH} levels" in msg
    assert msg.startswith("x.yaml:")


def test_depth_limit_is_configurable() -> None:
    assert parse_yaml("a: [[[1]]]", "x")[0] == {"a": [[[1]]]}
    assert "nesting deeper than 3" in _error("a: [[[1]]]", max_depth=3)


def test_aliases_count_their_depth_and_nodes() -> None:
    nested = "a: &a [[[[1]]]]\nb: [[[*a]]]\n"
    assert "alias nests deeper" in _error(nested, max_depth=6)
    laughs = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n" + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdef", "bcdefg", strict=True))
    assert "expands to more than" in _error(laughs)


@pytest.mark.parametrize("text", ["a: !!python/int 5", "a: !!python/name:os.system x",
                                  "a: !!python/object/apply:os.system [ls]", "a: !custom 1",
                                  "a: !!binary aGVsbG8="])
def test_foreign_tags_are_rejected(text: str) -> None:
    assert "is not allowed" in _error(text)


def test_size_limit_applies_to_text() -> None:
    assert "over the 100 limit" in _error("a: " + "x" * 200, max_bytes=100)


def _venezuela(**overrides: str):
    return load_scenario(VENEZUELA, overrides)


@pytest.mark.parametrize(("override", "expected"), [
    ({"events.boat_strikes_continue.probability": ".nan"}, "nan is not a finite number"),
    ({"events[0].probability": ".inf"}, "inf is not a finite number"),
    ({"events[0].probability": "1.5"}, "probability must lie in [0, 1]"),
    ({"escalation.ladder.boat_strikes.level": "42"}, "ladder levels number the rungs 0 to 4"),
    ({"actors.VEN.attributes.resolve.value": "5"}, "unit 'index 0-1' declares values in [0, 1]"),
    ({"escalation.rationality": "-2"}, "escalation.rationality: must be non-negative"),
    ({"escalation.moves[0].production": "-3"}, "must be non-negative"),
    ({"escalation.misperception": "{dist: uniform, low: 0, high: 2}"}, "a probability must lie"),
    ({"actors.VEN.influence": "{dist: choice, values: [1, 2], weights: [.nan, 1]}"},
     "not a finite number"),
    ({"actors.VEN.influence": "1e300"}, "beyond the largest magnitude"),
    ({"actors.VEN.influence": "{dist: normal, mean: 1, sd: 1e300}"}, "beyond the largest magnitude"),
    ({"meta.horizon": "9999-12-31"}, "more than 50 years after as_of"),
    ({"meta.as_of": "0001-01-01"}, "before 1800-01-01"),
])
def test_nonsense_values_are_located_errors(override: dict[str, str], expected: str) -> None:
    with pytest.raises(ScenarioError) as info:
        _venezuela(**override)
    assert expected in str(info.value)
    assert all(p.line is not None for p in info.value.problems)


def test_unbounded_normal_judged_on_its_practical_range() -> None:
    sc = _venezuela(**{"escalation.rationality": "{dist: normal, mean: 2, sd: 0.1}"})
    assert sc.escalation.rationality.mean == 2
    with pytest.raises(ScenarioError, match="all but a millionth"):
        _venezuela(**{"escalation.rationality": "{dist: normal, mean: 2, sd: 1}"})


def test_horizon_window_edges() -> None:
    text = VENEZUELA.read_text()
    ok = loads_scenario(text, "v", {"meta.horizon": "2075-10-24"})
    assert ok.meta.horizon.year == 2075
    with pytest.raises(ScenarioError):
        loads_scenario(text, "v", {"meta.horizon": "2075-10-25"})


def test_cli_exit_2_on_hostile_yaml(tmp_path: Path) -> None:
    bad = tmp_path / "deep.yaml"
    bad.write_text("[" * 100_000)
    code = "import sys; from polemos.cli.app import main; sys.argv[0] = 'polemos'; sys.exit(main())"
    proc = subprocess.run([sys.executable, "-c", code, "validate", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "nesting deeper than" in proc.stdout + proc.stderr
