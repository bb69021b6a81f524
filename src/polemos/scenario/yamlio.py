"""Reading YAML safely, with the line and column of every key and item.

Defences against hostile files: a size limit checked before reading, strict UTF-8,
duplicate keys rejected, and a cap on the number of nodes after alias expansion, so
"billion laughs" documents are rejected without exhausting memory. Nothing is ever
constructed from tags: the round-trip loader builds only plain mappings, sequences
and scalars.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Hashable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from polemos.scenario.errors import Problem, ScenarioError

MAX_BYTES = 2 * 1024 * 1024
"""Largest scenario file read (2 MiB)."""
MAX_NODES = 200_000
"""Most nodes a document may expand to (aliases counted at every use)."""

Loc = tuple[Hashable, ...]
LocMap = dict[Loc, tuple[int, int]]


def _problem(file: str, line: int | None, col: int | None, msg: str, hint: str = "") -> ScenarioError:
    return ScenarioError([Problem(file, line, col, "", msg, hint)])


def read_text(path: str | Path, *, max_bytes: int = MAX_BYTES) -> str:
    """The file's text, or a located :class:`ScenarioError` (missing, too large, not UTF-8)."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise _problem(name, None, None, "file not found", "check the path") from None
    except OSError as exc:
        raise _problem(name, None, None, f"cannot read file: {exc.strerror}") from None
    if path.is_dir():
        raise _problem(name, None, None, "is a directory, not a scenario file")
    if size > max_bytes:
        raise _problem(
            name, None, None,
            f"file is {size:,} bytes, over the {max_bytes:,}-byte limit for scenarios",
            "split the scenario or remove embedded data",
        )
    with path.open("rb") as fh:
        raw = fh.read(max_bytes + 1)
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _problem(
            name, line, col,
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            "save the file as UTF-8",
        ) from None


def parse_yaml(text: str, name: str, *, max_nodes: int = MAX_NODES) -> tuple[Any, LocMap]:
    """Parse ``text``; return plain data and a map from location tuples to (line, col).

    Lines and columns are 1-based. The location of a mapping key is where the key
    starts; of a sequence item where the item starts.
    """
    if not text.strip():
        raise _problem(
            name, 1, 1, "file is empty",
            "a scenario needs at least meta and actors; run `polemos new NAME` for a template",
        )
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    try:
        doc = yaml.load(io.StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        what = (exc.problem or str(exc)).strip()
        hint = "fix the YAML syntax (indentation, quotes, colons)"
        if "duplicate key" in str(exc) or "found duplicate key" in what:
            hint = "each key may appear once in a mapping; remove or rename the duplicate"
        raise _problem(name, line, col, f"YAML syntax: {what}", hint) from None
    except YAMLError as exc:
        raise _problem(name, None, None, f"YAML error: {exc}") from None
    if doc is None:
        raise _problem(name, 1, 1, "file has no content", "run `polemos new NAME` for a template")
    locs: LocMap = {}
    budget = [max_nodes]
    data = _plain(doc, (), locs, budget, name)
    return data, locs


def _plain(node: Any, loc: Loc, locs: LocMap, budget: list[int], name: str) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise _problem(
            name, None, None,
            f"document expands to more than {MAX_NODES:,} nodes (anchors/aliases?)",
            "write the values out instead of nesting aliases",
        )
    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            try:
                line, col = node.lc.key(key)
                locs[loc + (key,)] = (line + 1, col + 1)
            except (KeyError, TypeError, AttributeError):
                pass
            out[_scalar(key)] = _plain(value, loc + (key,), locs, budget, name)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for i, value in enumerate(node):
            try:
                line, col = node.lc.item(i)
                locs[loc + (i,)] = (line + 1, col + 1)
            except (KeyError, TypeError, AttributeError):
                pass
            items.append(_plain(value, loc + (i,), locs, budget, name))
        return items
    return _scalar(node)


def _scalar(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, str):
        return str(value)
    return value


def dump_yaml(data: Any) -> str:
    """Plain data as block-style YAML (dates as ISO, keys in insertion order)."""
    yaml = YAML(typ="rt", pure=True)
    yaml.default_flow_style = False
    yaml.width = 100
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()
