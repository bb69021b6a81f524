"""Loading and validating scenario files: every problem at once, located.

    >>> sc = load_scenario("scenarios/ukraine-2025-10-budapest.yaml")   # doctest: +SKIP

:func:`load_scenario` returns the validated scenario or raises :class:`ScenarioError`
listing every problem with file, line, column, field path, what is wrong and what to
do. Nothing here raises anything else for bad input.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from polemos.scenario.errors import Problem, ScenarioError, dotted
from polemos.scenario.pydantic_errors import locate, problems_from_validation
from polemos.scenario.schema import CORE_SECTIONS, ScenarioCore, scenario_model
from polemos.scenario.semantics import check_scenario, raw_references
from polemos.scenario.yamlio import LocMap, dump_yaml, parse_yaml, read_text


def load_scenario(path: str | Path, overrides: Mapping[str, Any] | None = None) -> ScenarioCore:
    """Read, validate and cross-check the scenario at ``path``.

    ``overrides`` maps dotted paths (``actors.RUS.influence`` or ``actors[1].influence``)
    to values applied to the parsed data before validation, so errors stay located.
    """
    text = read_text(path)
    return loads_scenario(text, str(path), overrides)


def loads_scenario(
    text: str, name: str = "<string>", overrides: Mapping[str, Any] | None = None
) -> ScenarioCore:
    """Like :func:`load_scenario` for YAML text; ``name`` is used in messages."""
    data, locs = parse_yaml(text, name)
    if overrides:
        from polemos.scenario.overrides import apply_overrides

        apply_overrides(data, overrides, name)
    return validate_data(data, locs, name)


def validate_data(data: Any, locs: LocMap, name: str) -> ScenarioCore:
    model = scenario_model()
    if not isinstance(data, dict):
        raise ScenarioError(
            [Problem(name, 1, 1, "", f"a scenario is a mapping of sections, got {type(data).__name__}",
                     f"start with 'meta:' and 'actors:'; sections: {', '.join(CORE_SECTIONS)}")]
        )
    try:
        scenario = model.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_validation(exc, data, locs, name, model)
        problems += _located(raw_references(data), locs, name)
        raise ScenarioError(problems) from None
    findings = check_scenario(scenario)
    if findings:
        raise ScenarioError(_located(findings, locs, name))
    return scenario


def _located(findings: list[tuple[Any, str, str]], locs: LocMap, name: str) -> list[Problem]:
    problems = []
    for loc, message, hint in findings:
        line, col = locate(locs, loc)
        problems.append(Problem(name, line, col, dotted(loc), message, hint))
    return problems


def validate_files(paths: Iterable[str | Path]) -> dict[str, list[Problem]]:
    """Problems per file (an empty list for a valid file)."""
    out: dict[str, list[Problem]] = {}
    for path in paths:
        try:
            load_scenario(path)
            out[str(path)] = []
        except ScenarioError as exc:
            out[str(path)] = exc.problems
    return out


def scenario_data(scenario: ScenarioCore) -> dict[str, Any]:
    """The scenario as plain data (what :func:`dump_scenario` writes)."""
    return scenario.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def dump_scenario(scenario: ScenarioCore) -> str:
    """The scenario as YAML that loads back to an equal scenario."""
    return dump_yaml(scenario_data(scenario))


def content_hash(scenario: ScenarioCore) -> str:
    """A stable hash of the scenario's content (not of its formatting)."""
    import json

    blob = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()
