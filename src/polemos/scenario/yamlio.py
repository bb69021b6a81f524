"""Reading YAML safely, with the line and column of every key and item.

Defences against hostile files: a size limit checked before reading, strict UTF-8,
duplicate keys rejected, a cap on the nesting depth checked as the parser's events
arrive (before anything recursive sees the data: 100,000 nested brackets used to crash
the C composer), and a cap on the number of nodes after alias expansion, so "billion
laughs" documents are rejected without exhausting memory. Nothing is ever constructed
from tags: only plain mappings, sequences and scalars (str, int, float, bool, null,
timestamp) are built; any other tag (``!!python/...``) is an error.
"""

from __future__ import annotations

import copy
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
MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences (the seed scenarios nest 8 levels)."""

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


def parse_yaml(text: str, name: str, *, max_nodes: int = MAX_NODES, max_depth: int = MAX_DEPTH,
               max_bytes: int = MAX_BYTES) -> tuple[Any, LocMap]:
    """Parse ``text``; return plain data and a map from location tuples to (line, col).

    Lines and columns are 1-based. The location of a mapping key is where the key
    starts; of a sequence item where the item starts. libyaml's parser (PyYAML's
    ``CParser`` when available) turns the text into events without recursion; the
    data is built here from the events with an explicit stack, so nesting depth, the
    node count (aliases counted at every use, "billion laughs") and the size are all
    checked before anything deeper is built. No object is ever constructed from a tag.
    """
    if len(text) > max_bytes:
        raise _problem(name, None, None,
                       f"document is {len(text):,} characters, over the {max_bytes:,} limit",
                       "split the scenario or remove embedded data")
    if not text.strip():
        raise _problem(
            name, 1, 1, "file is empty",
            "a scenario needs at least meta and actors; run `polemos new NAME` for a template",
        )
    locs: LocMap = {}
    loader = _Loader(text)
    try:
        root = _EventBuilder(name, locs, max_nodes, max_depth).run(loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        what = (exc.problem or str(exc)).strip()
        raise _problem(name, line, col, f"YAML syntax: {what}",
                       "fix the YAML syntax (indentation, quotes, colons)") from None
    except yaml.YAMLError as exc:
        raise _problem(name, None, None, f"YAML error: {exc}") from None
    finally:
        loader.dispose()
    if root is _NONE:
        raise _problem(name, 1, 1, "file has no content", "run `polemos new NAME` for a template")
    return root, locs


_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {w: True for w in ("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON")}
_BOOLS.update({w: False for w in ("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF")})
_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_SPECIAL_FLOATS = {".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
                   "+.inf": float("inf"), "-.inf": float("-inf"), "-.Inf": float("-inf"),
                   ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan")}


class _Loader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader; only its parser is used (events, never objects)."""


_CONSTRUCT = yaml.constructor.SafeConstructor()
_SCALARS = {
    "tag:yaml.org,2002:int": _CONSTRUCT.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCT.construct_yaml_float,
    "tag:yaml.org,2002:bool": _CONSTRUCT.construct_yaml_bool,
    "tag:yaml.org,2002:null": lambda node: None,
    "tag:yaml.org,2002:timestamp": _CONSTRUCT.construct_yaml_timestamp,
}


def _plain(value: str) -> Any:
    """The value of a plain (unquoted) scalar, YAML-1.1-style for the common forms."""
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
            return construct(yaml.ScalarNode(tag, value))
        return value
    if value in _NULLS:
        return None
    flag = _BOOLS.get(value)
    return value if flag is None else flag


_NONE = object()
_COLLECTION_TAGS = frozenset({None, "!", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"})
_START = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Frame:
    """A mapping or sequence being built: its data, location and pending key."""

    __slots__ = ("data", "loc", "key", "anchor", "nodes", "depth")

    def __init__(self, data: Any, loc: Loc, anchor: str | None, nodes: int):
        self.data, self.loc, self.anchor, self.nodes = data, loc, anchor, nodes
        self.key: Any = _NONE
        self.depth = 1


class _EventBuilder:
    """Plain data from libyaml's events, with an explicit stack (no recursion).

    Records where every key and item is; enforces the nesting depth and the node
    budget (an alias costs the nodes of what it repeats) as the events arrive.
    """

    def __init__(self, name: str, locs: LocMap, max_nodes: int, max_depth: int):
        self.name, self.locs = name, locs
        self.budget, self.max_nodes, self.max_depth = max_nodes, max_nodes, max_depth
        self.anchors: dict[str, tuple[Any, int, int]] = {}

    def run(self, loader: Any) -> Any:
        stack: list[_Frame] = []
        root: Any = _NONE
        documents = 0
        while True:
            ev = loader.get_event()
            cls = type(ev)
            if cls is yaml.ScalarEvent:
                value, nodes, depth = self.scalar(ev.tag, ev.value, ev.implicit, ev), 1, 1
                if ev.anchor is not None:
                    self.anchors[ev.anchor] = (value, 1, 1)
            elif cls is yaml.AliasEvent:
                if ev.anchor not in self.anchors:
                    raise self._at(ev, f"unknown alias *{ev.anchor}", "define the anchor (&name) first")
                value, nodes, depth = self.anchors[ev.anchor]
                value = copy.deepcopy(value)
            elif cls in _START:
                if stack and stack[-1].key is _NONE and isinstance(stack[-1].data, dict):
                    raise self._at(ev, "a mapping key must be a plain value", "use a word as the key")
                if len(stack) >= self.max_depth:
                    raise self._at(ev, f"nesting deeper than {self.max_depth} levels",
                                   "flatten the document; scenarios nest a few levels only")
                if ev.tag not in _COLLECTION_TAGS:
                    raise self._at(ev, f"YAML tag {ev.tag!r} is not allowed", "remove the tag")
                self._spend(1, ev)
                loc = self._child_loc(stack, ev) if stack else ()
                data: Any = {} if cls is yaml.MappingStartEvent else []
                stack.append(_Frame(data, loc, ev.anchor, self.budget + 1))
                continue
            elif cls in _END:
                frame = stack.pop()
                value, nodes, depth = frame.data, frame.nodes - self.budget, frame.depth
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (value, nodes, depth)
                if not stack:
                    root = value
                    continue
                self._attach(stack, value, depth, ev, placed=True)
                continue
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self._at(ev, "more than one YAML document in the file",
                                   "keep one document (remove the second '---')")
                continue
            elif cls is yaml.StreamEndEvent:
                return root
            else:
                continue
            if cls is yaml.AliasEvent:
                if len(stack) + depth > self.max_depth:
                    raise self._at(ev, f"alias nests deeper than {self.max_depth} levels",
                                   "write the values out instead of nesting aliases")
                self._spend(nodes, ev)
            else:
                self._spend(1, ev)
            if not stack:
                root = value
                continue
            self._attach(stack, value, depth, ev, placed=False)

    def _child_loc(self, stack: list[_Frame], ev: Any) -> Loc:
        """The location of a node starting at ``ev`` inside the innermost frame."""
        top = stack[-1]
        if isinstance(top.data, list):
            where = top.loc + (len(top.data),)
            mark = ev.start_mark
            self.locs[where] = (mark.line + 1, mark.column + 1)
            return where
        return top.loc + (top.key,)

    def _attach(self, stack: list[_Frame], value: Any, depth: int, ev: Any, *, placed: bool) -> None:
        top = stack[-1]
        top.depth = max(top.depth, depth + 1)
        if isinstance(top.data, list):
            if not placed:
                self._child_loc(stack, ev)
            top.data.append(value)
            return
        if top.key is _NONE:
            if type(ev) is not yaml.ScalarEvent:
                raise self._at(ev, "a mapping key must be a plain value", "use a word as the key")
            if value == "<<" and ev.tag is None and ev.implicit[0]:
                raise self._at(ev, "YAML merge keys ('<<') are not supported", "write the keys out")
            if value in top.data:
                raise self._at(ev, f"duplicate key {value!r}",
                               "each key may appear once in a mapping; remove or rename the duplicate")
            try:
                hash(value)
            except TypeError:
                raise self._at(ev, "a mapping key must be a plain value", "use a word as the key") from None
            mark = ev.start_mark
            self.locs[top.loc + (value,)] = (mark.line + 1, mark.column + 1)
            top.key = value
            return
        top.data[top.key] = value
        top.key = _NONE

    def _spend(self, nodes: int, ev: Any) -> None:
        self.budget -= nodes
        if self.budget < 0:
            raise self._at(
                ev, f"document expands to more than {self.max_nodes:,} nodes (anchors/aliases?)",
                "write the values out instead of nesting aliases",
            )

    def scalar(self, tag: str | None, value: str, implicit: tuple[bool, bool], ev: Any) -> Any:
        try:
            if tag is None or tag == "!":
                return _plain(value) if implicit[0] and tag is None else value
            if tag == _STR:
                return value
            construct = _SCALARS.get(tag)
            if construct is not None:
                return construct(yaml.ScalarNode(tag, value, ev.start_mark, ev.end_mark))
        except ValueError as exc:
            raise self._at(ev, f"invalid value {value!r}: {exc}",
                           "write dates as YYYY-MM-DD, e.g. 2025-10-24") from None
        raise self._at(ev, f"YAML tag {tag!r} is not allowed",
                       "remove the tag; scenarios hold plain numbers, words and dates")

    def _at(self, ev: Any, message: str, hint: str) -> ScenarioError:
        mark = ev.start_mark
        return _problem(self.name, mark.line + 1, mark.column + 1, message, hint)


def dump_yaml(data: Any) -> str:
    """Plain data as block-style YAML (dates as ISO, keys in insertion order)."""
    yaml = YAML(typ="rt", pure=True)
    yaml.default_flow_style = False
    yaml.width = 100
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()
