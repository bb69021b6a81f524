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
import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML

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
    starts; of a sequence item where the item starts. Parsing uses libyaml's composer
    (PyYAML's ``CSafeLoader`` when available): it builds a node graph with marks and
    never constructs objects from tags; aliases stay shared nodes, so expansion is
    counted here, node by node, against ``max_nodes``.
    """
    if not text.strip():
        raise _problem(
            name, 1, 1, "file is empty",
            "a scenario needs at least meta and actors; run `polemos new NAME` for a template",
        )
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        what = (exc.problem or str(exc)).strip()
        raise _problem(name, line, col, f"YAML syntax: {what}",
                       "fix the YAML syntax (indentation, quotes, colons)") from None
    except yaml.YAMLError as exc:
        raise _problem(name, None, None, f"YAML error: {exc}") from None
    if root is None:
        raise _problem(name, 1, 1, "file has no content", "run `polemos new NAME` for a template")
    locs: LocMap = {}
    return _Builder(name, locs, max_nodes).build(root, ()), locs


_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_PLAIN = "polemos:plain"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {w: True for w in ("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON")}
_BOOLS.update({w: False for w in ("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF")})
_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_SPECIAL_FLOATS = {".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
                   "+.inf": float("inf"), "-.inf": float("-inf"), "-.Inf": float("-inf"),
                   ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan")}


class _Loader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader with resolution deferred to :class:`_Builder`.

    libyaml asks the resolver for the tag of every node; answering with a constant
    marker for plain scalars, and resolving them once in the builder, is several times
    faster than PyYAML's regular-expression resolver.
    """

    def resolve(self, kind, value, implicit):  # noqa: ANN001 - PyYAML's signature
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return super().resolve(kind, value, implicit)


_CONSTRUCT = yaml.constructor.SafeConstructor()
_SCALARS = {
    "tag:yaml.org,2002:int": _CONSTRUCT.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCT.construct_yaml_float,
    "tag:yaml.org,2002:bool": _CONSTRUCT.construct_yaml_bool,
    "tag:yaml.org,2002:null": lambda node: None,
    "tag:yaml.org,2002:timestamp": _CONSTRUCT.construct_yaml_timestamp,
}


def _plain(node: yaml.ScalarNode) -> Any:
    """The value of a plain (unquoted) scalar, YAML-1.1-style for the common forms."""
    value = node.value
    if not value or value[0] in "-+.0123456789":
        if value in _NULLS:
            return None
        try:
            return int(value)
        except ValueError:
            pass
        try:
            return float(value)
        except ValueError:
            pass
        if value in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[value]
        if _DATE.match(value):
            parts = value.split("-")
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False))
        construct = _SCALARS.get(tag)
        if construct is not None:
            return construct(yaml.ScalarNode(tag, value, node.start_mark, node.end_mark))
        return value
    if value in _NULLS:
        return None
    flag = _BOOLS.get(value)
    return value if flag is None else flag


class _Builder:
    """Plain data from a composed node graph, recording where every key and item is."""

    def __init__(self, name: str, locs: LocMap, max_nodes: int):
        self.name, self.locs, self.budget, self.max_nodes = name, locs, max_nodes, max_nodes

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _problem(
                self.name, None, None,
                f"document expands to more than {self.max_nodes:,} nodes (anchors/aliases?)",
                "write the values out instead of nesting aliases",
            )
        cls = type(node)
        if cls is yaml.ScalarNode:
            return self.scalar(node)
        locs = self.locs
        if cls is yaml.MappingNode:
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.scalar(key_node)
                if key == "<<" and key_node.tag == _PLAIN:
                    raise self._at(key_node, "YAML merge keys ('<<') are not supported", "write the keys out")
                if key in out:
                    raise self._at(key_node, f"duplicate key {key!r}",
                                   "each key may appear once in a mapping; remove or rename the duplicate")
                mark = key_node.start_mark
                where = loc + (key,)
                locs[where] = (mark.line + 1, mark.column + 1)
                out[key] = self.build(value_node, where)
            return out
        items = []
        for i, item in enumerate(node.value):
            mark = item.start_mark
            where = loc + (i,)
            locs[where] = (mark.line + 1, mark.column + 1)
            items.append(self.build(item, where))
        return items

    def scalar(self, node: yaml.Node) -> Any:
        if type(node) is not yaml.ScalarNode:
            raise self._at(node, "a mapping key must be a plain value", "use a word as the key")
        tag = node.tag
        try:
            if tag == _PLAIN:
                return _plain(node)
            if tag == _STR:
                return node.value
            construct = _SCALARS.get(tag)
            if construct is not None:
                return construct(node)
        except ValueError as exc:
            raise self._at(node, f"invalid value {node.value!r}: {exc}",
                           "write dates as YYYY-MM-DD, e.g. 2025-10-24") from None
        if tag.startswith("tag:yaml.org,2002:") or tag == "!":
            return str(node.value)
        raise self._at(node, f"YAML tag {tag!r} is not allowed", "remove the tag")

    def _at(self, node: yaml.Node, message: str, hint: str) -> ScenarioError:
        mark = node.start_mark
        return _problem(self.name, mark.line + 1, mark.column + 1, message, hint)


def dump_yaml(data: Any) -> str:
    """Plain data as block-style YAML (dates as ISO, keys in insertion order)."""
    yaml = YAML(typ="rt", pure=True)
    yaml.default_flow_style = False
    yaml.width = 100
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()
