"""Property tests: dump -> load round-trips; random mutations never raise tracebacks."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polemos.scenario import ScenarioError
from polemos.scenario.load import dump_scenario, loads_scenario, scenario_data
from polemos.scenario.template import render
from polemos.scenario.yamlio import dump_yaml

BASE = loads_scenario(render("property"), "base.yaml")
BASE_DATA = scenario_data(BASE)

dist = st.one_of(
    st.floats(0, 100, allow_nan=False),
    st.builds(lambda a, b: {"dist": "uniform", "low": min(a, b), "high": max(a, b) + 1},
              st.floats(0, 50), st.floats(0, 49)),
    st.builds(lambda lo, w, m: {"dist": "triangular", "low": lo, "mode": lo + w * m, "high": lo + w},
              st.floats(0, 50), st.floats(1, 50), st.floats(0, 1)),
    st.builds(lambda a, b: {"dist": "beta", "a": a, "b": b, "low": 0, "high": 100},
              st.floats(0.1, 10), st.floats(0.1, 10)),
    st.builds(lambda v: {"dist": "choice", "values": v}, st.lists(st.floats(0, 100), min_size=1, max_size=4)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pos=dist, sal=dist, infl=st.floats(0, 1e6, allow_nan=False))
def test_dump_load_round_trip(pos, sal, infl):
    data = copy.deepcopy(BASE_DATA)
    data["issues"][0]["positions"]["A"] = {"position": pos, "salience": sal}
    data["actors"][1]["influence"] = infl
    sc = loads_scenario(dump_yaml(data), "gen.yaml")
    again = loads_scenario(dump_scenario(sc), "again.yaml")
    assert again == sc


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, prefix + (i,))
    return out


PATHS = _paths(BASE_DATA)
junk = st.one_of(
    st.none(), st.booleans(), st.integers(-10**9, 10**9), st.floats(allow_nan=True),
    st.text(max_size=20), st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.sampled_from(["2025-13-01", "normal", "P(", "A", "B", "analyst", "nope", "-1e400"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), junk, st.booleans()), min_size=1, max_size=4))
def test_random_mutations_give_scenario_or_located_error(mutations):
    data = copy.deepcopy(BASE_DATA)
    for path, value, delete in mutations:
        node = data
        try:
            for part in path[:-1]:
                node = node[part]
            if delete and isinstance(node, dict):
                node.pop(path[-1], None)
            else:
                node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    try:
        text = dump_yaml(data)
    except Exception:  # noqa: BLE001 - some junk is not representable in YAML at all
        return
    try:
        loads_scenario(text, "mut.yaml")
    except ScenarioError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.file == "mut.yaml" and p.message


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises_other_errors(text):
    try:
        loads_scenario(text, "any.yaml")
    except ScenarioError as exc:
        assert exc.problems


def test_error_list_is_never_empty():
    from polemos.scenario.pydantic_errors import problems_from_validation
    from polemos.scenario.schema import scenario_model

    data = copy.deepcopy(BASE_DATA)
    data["actors"][0]["influence"] = {"dist": "uniform"}
    try:
        scenario_model().model_validate(data)
    except Exception as exc:  # noqa: BLE001
        found = problems_from_validation(exc, data, {}, "x.yaml", scenario_model())
        assert found and all(p.message for p in found)
