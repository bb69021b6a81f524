"""``--set PATH=VALUE`` overrides, applied to parsed YAML data before validation.

Paths are dotted; list items are addressed by index (``actors[1]``) or, for lists of
objects with ids, by id (``actors.RUS``). Values are parsed as YAML scalars or flow
collections (``--set actors.RUS.influence={dist: uniform, low: 50, high: 90}``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from polemos.scenario.errors import Problem, ScenarioError, did_you_mean

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def split_path(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for name, index in _TOKEN.findall(path):
        parts.append(int(index) if index else name)
    return parts


def parse_value(text: str) -> Any:
    """A command-line value as YAML (numbers, booleans, dates, flow mappings)."""
    from polemos.scenario.yamlio import parse_yaml

    try:
        data, _ = parse_yaml(f"v: {text}\n", "--set")
    except ScenarioError:
        return text
    return data["v"]


def apply_overrides(data: Any, overrides: Mapping[str, Any], name: str) -> None:
    problems = []
    for path, value in overrides.items():
        if isinstance(value, str):
            value = parse_value(value)
        err = _set(data, split_path(path), value)
        if err:
            problems.append(Problem(name, None, None, path, f"--set: {err[0]}", err[1]))
    if problems:
        raise ScenarioError(problems)


def _set(node: Any, parts: list[str | int], value: Any) -> tuple[str, str] | None:
    if not parts:
        return ("empty path", "write e.g. --set meta.horizon=2027-01-01")
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if isinstance(node, list):
            idx = part if isinstance(part, int) else _index_by_id(node, part)
            if idx is None or not 0 <= idx < len(node):
                ids = [x.get("id") for x in node if isinstance(x, dict)]
                return (f"no item {part!r}", did_you_mean(str(part), [i for i in ids if i]))
            if last:
                node[idx] = value
                return None
            node = node[idx]
        elif isinstance(node, dict):
            key = part
            if last:
                node[key] = value
                return None
            if key not in node:
                node[key] = {}
            node = node[key]
        else:
            return (f"cannot descend into {part!r}", "check the path")
    return None


def _index_by_id(items: list[Any], ident: str) -> int | None:
    for i, item in enumerate(items):
        if isinstance(item, dict) and item.get("id") == ident:
            return i
    return None
