"""Turning pydantic's validation errors into located, actionable :class:`Problem` s."""

from __future__ import annotations

import types
import typing
from collections.abc import Hashable, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from polemos.scenario.errors import Problem, did_you_mean, dotted
from polemos.scenario.quantities import DIST_KINDS
from polemos.scenario.yamlio import LocMap

_NUMBER_TYPES = {"float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"}
_NOT_A_MAPPING = {"model_type", "model_attributes_type", "dict_type"}


def locate(locs: LocMap, loc: Sequence[Hashable]) -> tuple[int | None, int | None]:
    """Line and column of ``loc``, or of its nearest located ancestor."""
    loc = tuple(loc)
    while loc:
        if loc in locs:
            return locs[loc]
        loc = loc[:-1]
    return (1, 1) if locs else (None, None)


def data_path(data: Any, loc: Sequence[Any]) -> tuple[list[Any], Any]:
    """Follow ``loc`` through ``data``, skipping pydantic's union/tag labels.

    Returns the elements that exist in the data and the value reached.
    """
    path: list[Any] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
        elif isinstance(node, dict) and isinstance(part, str) and _coerce_key(node, part) is not None:
            key = _coerce_key(node, part)
            node = node[key]
            path.append(key)
        # else: a label such as 'float', 'normal' or 'function-after[...]'; skip it
    return path, node


def _coerce_key(node: dict[Any, Any], part: str) -> Any:
    for key in node:
        if str(key) == part:
            return key
    return None


def _fields_at(model: type, loc: Sequence[Any]) -> list[str]:
    """Field names allowed at ``loc`` in ``model`` (for 'did you mean')."""
    candidates: list[Any] = [model]
    for part in loc:
        nxt: list[Any] = []
        for typ in candidates:
            nxt.extend(_step(typ, part))
        candidates = nxt
        if not candidates:
            return []
    names: list[str] = []
    for typ in candidates:
        for t in _unwrap(typ):
            if isinstance(t, type) and issubclass(t, BaseModel):
                names.extend(n for n in t.model_fields if n not in names)
    return names


def _unwrap(typ: Any) -> list[Any]:
    origin = typing.get_origin(typ)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(typ)[0])
    if origin in (typing.Union, types.UnionType):
        out = []
        for arg in typing.get_args(typ):
            out.extend(_unwrap(arg))
        return out
    return [typ]


def _step(typ: Any, part: Any) -> list[Any]:
    out = []
    for t in _unwrap(typ):
        origin = typing.get_origin(t)
        if isinstance(t, type) and issubclass(t, BaseModel):
            if isinstance(part, str) and part in t.model_fields:
                out.append(t.model_fields[part].annotation)
            elif isinstance(part, str):
                # a discriminator label such as 'normal': stay on the union member
                fld = t.model_fields.get("dist")
                if fld is not None and part in typing.get_args(fld.annotation):
                    out.append(t)
        elif origin is list and isinstance(part, int):
            out.append(typing.get_args(t)[0])
        elif origin is dict:
            out.append(typing.get_args(t)[1])
    return out


def problems_from_validation(
    exc: ValidationError, data: Any, locs: LocMap, file: str, model: type
) -> list[Problem]:
    """One :class:`Problem` per distinct error, union noise removed."""
    errors = exc.errors(include_url=False)
    problems = _problems(errors, data, locs, file, model, filter_noise=True)
    return problems or _problems(errors, data, locs, file, model, filter_noise=False)


def _problems(
    errors: list[Any], data: Any, locs: LocMap, file: str, model: type, *, filter_noise: bool
) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for err in errors:
        loc = tuple(err["loc"])
        path, value = data_path(data, loc)
        etype = err["type"]
        if filter_noise and etype in _NUMBER_TYPES and isinstance(value, dict):
            continue  # the distribution branch of the union reports the real problem
        if filter_noise and etype == "model_type" and not isinstance(value, dict) and _has_sibling(errors, err):
            continue
        if filter_noise and etype in _NOT_A_MAPPING and isinstance(value, float) and _has_sibling(errors, err):
            continue  # a non-finite number: the number branch of the union says so
        message, hint, where = _explain(err, path, value, model)
        key = (tuple(where), message)
        if key in seen:
            continue
        seen.add(key)
        line, col = locate(locs, where)
        problems.append(Problem(file, line, col, dotted(where), message, hint))
    return problems


def _has_sibling(errors: list[dict[str, Any]], err: dict[str, Any]) -> bool:
    return sum(1 for e in errors if e["loc"][:-1] == err["loc"][:-1]) > 1


def _explain(err: dict[str, Any], path: list[Any], value: Any, model: type):
    etype = err["type"]
    msg = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    loc = tuple(err["loc"])
    where: list[Any] = list(path)
    hint = ""
    if etype == "extra_forbidden":
        key = loc[-1]
        allowed = _fields_at(model, loc[:-1])
        hint = did_you_mean(str(key), allowed) or (
            f"allowed keys here: {', '.join(allowed)}" if allowed else "remove it"
        )
        return f"unknown key {key!r}", hint, where
    if etype == "missing":
        field = loc[-1]
        return f"missing required field {field!r}", f"add '{field}:' here", where
    if etype in ("union_tag_not_found",):
        return (
            "a distribution needs a 'dist' key",
            f"write e.g. {{dist: triangular, low: .., mode: .., high: ..}}; kinds: {', '.join(DIST_KINDS)}",
            where,
        )
    if etype == "union_tag_invalid":
        tag = err.get("ctx", {}).get("tag", value)
        dym = did_you_mean(str(tag), DIST_KINDS)
        return (
            f"unknown distribution {tag!r}",
            dym or f"use one of {', '.join(DIST_KINDS)}",
            where + (["dist"] if isinstance(value, dict) and "dist" in value else []),
        )
    if etype in ("enum", "literal_error"):
        expected = err.get("ctx", {}).get("expected", "")
        words = [w.strip(" '\"") for w in expected.replace(" or ", ",").split(",") if w.strip()]
        dym = did_you_mean(str(value), words)
        return f"{value!r} is not allowed", dym or f"use one of {expected}", where
    if etype.startswith("date") or etype.startswith("datetime"):
        return f"{value!r} is not a valid date", "write dates as YYYY-MM-DD, e.g. 2025-10-24", where
    if etype == "finite_number":
        return (f"{value!r} is not a finite number",
                "write a finite number (not .nan or .inf), or a distribution {dist: ...}", where)
    if etype in _NUMBER_TYPES:
        return f"{value!r} is not a number", "write a number, or a distribution {dist: ...}", where
    if etype in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return f"{value!r}: {msg.lower()}", "change the value", where
    if etype == "string_pattern_mismatch":
        return (
            f"{value!r} is not a valid id",
            "ids start with a letter or '_' and use only letters, digits and '_'",
            where,
        )
    if etype in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        want = {"list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping",
                "model_attributes_type": "a mapping"}[etype]
        return f"expected {want}, got {type(value).__name__}", "check the indentation and the '-'", where
    if etype == "too_short":
        return msg, "add at least one entry", where
    if etype == "value_error":
        return msg, _hint_for_value_error(msg), where
    return msg, "", where


def _hint_for_value_error(msg: str) -> str:
    if "scale" in msg:
        return "positions and saliences are on 0-100"
    if "low <" in msg or "low <=" in msg:
        return "check the order of the parameters"
    if "more than" in msg and "years after as_of" in msg:
        return "bring meta.horizon closer to meta.as_of"
    if "earliest date" in msg:
        return "set meta.as_of on or after 1800-01-01"
    if "horizon" in msg:
        return "set meta.horizon after meta.as_of"
    if "weights" in msg:
        return "give one non-negative weight per value"
    return "fix the value"
