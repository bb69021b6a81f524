"""Field edits applied to scenario YAML text in place, keeping every comment and layout.

The web page's forms (actors, issues, positions) send the editor's text and a list of
edits, each a path into the data (``["issues", 0, "positions", "USA", "salience"]``) and a
new value. :func:`apply_edits` finds where each value is written (libyaml's event marks,
after :func:`polemos.scenario.yamlio.parse_yaml` has applied its limits to the text),
splices the new value into that span, and re-reads the result: only when it reads back as
the old data with exactly those edits is it returned with ``kept_comments=True``. Otherwise
the edited data are written afresh (:func:`polemos.scenario.yamlio.dump_yaml`), and the
caller is told that comments and layout were lost.

Edits set a value (replacing it, or adding the key to the mapping that lacks it, creating
missing mappings on the way), delete a mapping key, or append to a list (index = length).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from polemos.api.errors import ApiError, problems_json
from polemos.scenario.errors import ScenarioError
from polemos.scenario.yamlio import dump_yaml, parse_yaml

PathKey = str | int
_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


@dataclass
class Edit:
    """Set ``path`` to ``value`` (written as ``text`` when given), or delete it."""

    path: tuple[PathKey, ...]
    value: Any = None
    text: str | None = None
    delete: bool = False


@dataclass
class _Node:
    """Where a value is written: its span, the span of its key, its style and children."""

    kind: str  # "scalar", "map" or "seq"
    start: int
    end: int  # for block collections: the end of their last child (comments after excluded)
    flow: bool = False
    close: int = -1  # flow collections: the offset of their closing bracket
    key_start: int = -1  # for mapping values: the span of the key
    key_end: int = -1
    first_col: int = -1  # block collections: the column of their first key or dash
    children: dict[PathKey, _Node] = field(default_factory=dict)


# -- flow text of plain data -------------------------------------------------------------

def flow(value: Any) -> str:
    """``value`` as one line of YAML flow text (what the forms show and write)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def _key(k: Any) -> str:
    return flow(k) if not isinstance(k, str) else (
        k if _PLAIN.match(k) and k.lower() not in _RESERVED else json.dumps(k, ensure_ascii=False))


def parse_fragment(text: str) -> Any:
    """A value typed in a form field, read as YAML flow text (422 if it is not)."""
    if "\n" in text or "\r" in text:
        raise ApiError(422, "a form value must be one line", "write maps as {dist: uniform, "
                       "low: 10, high: 20}")
    try:
        data, _ = parse_yaml(f"v: {text}\n", "<value>")
    except ScenarioError as exc:
        problem = exc.problems[0]
        raise ApiError(422, f"the value {text!r} is not valid YAML: {problem.message}",
                       "write a number (60), or a distribution as {dist: uniform, low: 50, "
                       "high: 70}") from None
    if not isinstance(data, dict) or list(data) != ["v"]:
        raise ApiError(422, f"the value {text!r} is not one value",
                       "write a number, a word, or a {key: value} map")
    return data["v"]


# -- where each value is written -------------------------------------------------------

def index_text(text: str) -> _Node | None:
    """The tree of spans of ``text`` (already accepted by ``parse_yaml``)."""
    loader = yaml.CSafeLoader(text) if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader(text)
    stack: list[tuple[_Node, list[Any]]] = []  # node, [pending key, key start, key end, n]
    root: _Node | None = None
    try:
        while True:
            ev = loader.get_event()
            if isinstance(ev, yaml.StreamEndEvent):
                return root
            if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                kind = "map" if isinstance(ev, yaml.MappingStartEvent) else "seq"
                node = _Node(kind, ev.start_mark.index, ev.end_mark.index, flow=bool(ev.flow_style),
                             first_col=ev.start_mark.column)
                if not _place(stack, node):
                    root = node
                stack.append((node, [None, -1, -1, 0]))
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                node, _ = stack.pop()
                if node.flow:
                    node.close, node.end = ev.start_mark.index, ev.end_mark.index
                elif node.children:
                    node.end = max(c.end for c in node.children.values())
                if stack and stack[-1][0].kind == "map":
                    stack[-1][1][0] = None
            elif isinstance(ev, (yaml.ScalarEvent, yaml.AliasEvent)):
                if stack and stack[-1][0].kind == "map" and stack[-1][1][0] is None:
                    pending = stack[-1][1]
                    pending[0] = ev.value if isinstance(ev, yaml.ScalarEvent) else "*"
                    pending[1], pending[2] = ev.start_mark.index, ev.end_mark.index
                    continue
                end = ev.end_mark.index
                while end > ev.start_mark.index and text[end - 1] in "\r\n":
                    end -= 1  # a block scalar (| or >) ends after its line break
                node = _Node("scalar", ev.start_mark.index, end)
                if not _place(stack, node):
                    root = node
                if stack and stack[-1][0].kind == "map":
                    stack[-1][1][0] = None
    finally:
        loader.dispose()


def _place(stack: list[tuple[_Node, list[Any]]], node: _Node) -> bool:
    if not stack:
        return False
    parent, pending = stack[-1]
    if parent.kind == "seq":
        parent.children[len(parent.children)] = node
        return True
    node.key_start, node.key_end = pending[1], pending[2]
    key = _scalar_key(pending[0])
    parent.children[key] = node
    return True


def _scalar_key(raw: str) -> PathKey:
    """A key as ``parse_yaml`` reads it (integers stay integers, e.g. issue anchors)."""
    try:
        return int(raw)
    except (TypeError, ValueError):
        return raw


# -- applying edits to the data (what the text must read back as) ----------------------

def apply_to_data(data: Any, edit: Edit) -> None:
    """Apply ``edit`` to parsed data; 422 naming the first missing step otherwise."""
    node = data
    path = edit.path
    for depth, key in enumerate(path[:-1]):
        nxt = _child(node, key)
        if nxt is _MISSING:
            if edit.delete or not isinstance(node, dict) or not isinstance(key, str):
                raise _no_such(path[: depth + 1])
            node[key] = {}
            nxt = node[key]
        node = nxt
    last = path[-1]
    if isinstance(node, list):
        if not isinstance(last, int) or not 0 <= last <= len(node) or edit.delete:
            raise ApiError(422, f"cannot {'delete' if edit.delete else 'set'} item "
                           f"{_dotted(path)}", "set an existing index, or the length to append")
        if last == len(node):
            node.append(edit.value)
        else:
            node[last] = edit.value
    elif isinstance(node, dict):
        if edit.delete:
            if last not in node:
                raise _no_such(path)
            del node[last]
        else:
            node[last] = edit.value
    else:
        raise _no_such(path)


_MISSING = object()


def _child(node: Any, key: PathKey) -> Any:
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    if isinstance(node, dict) and key in node:
        return node[key]
    return _MISSING


def _no_such(path: tuple[PathKey, ...]) -> ApiError:
    return ApiError(422, f"no field {_dotted(path)} in the text",
                    "the text changed since the form was drawn: let it update and retry")


def _dotted(path: tuple[PathKey, ...]) -> str:
    out = ""
    for k in path:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out


# -- splicing ------------------------------------------------------------------------

class _Cannot(Exception):
    """This edit cannot be made in place (the caller rewrites the text instead)."""


def _splice_one(text: str, root: _Node, edit: Edit, written: str) -> tuple[int, int, str]:
    """``(start, end, replacement)`` making ``edit`` in ``text``."""
    node, depth = root, 0
    while depth < len(edit.path) and edit.path[depth] in node.children:
        node = node.children[edit.path[depth]]
        depth += 1
    rest = edit.path[depth:]
    if not rest:  # the value is written: replace (or delete) it
        return _delete(text, root, edit.path) if edit.delete else _replace(text, node, written)
    if edit.delete:
        raise _Cannot("nothing to delete")
    if node.kind == "seq":
        if len(rest) != 1 or rest[0] != len(node.children):
            raise _Cannot("index")
        return _append(text, node, written)
    if node.kind != "map" or any(not isinstance(k, str) for k in rest):
        raise _Cannot("not a mapping")
    value = written
    for k in reversed(rest[1:]):
        value = "{" + f"{_key(k)}: {value}" + "}"
    return _insert(text, node, f"{_key(rest[0])}: {value}")


def _replace(text: str, node: _Node, written: str) -> tuple[int, int, str]:
    if node.kind == "scalar" or node.flow:
        if node.start == node.end:  # an empty value (null) right after "key:"
            return node.start, node.end, (" " if text[node.start - 1:node.start] == ":" else "") + written
        return node.start, node.end, written
    if node.key_end < 0:
        raise _Cannot("a block collection outside a mapping")
    colon = text.index(":", node.key_end)
    return colon, node.end, ": " + written


def _insert(text: str, node: _Node, entry: str) -> tuple[int, int, str]:
    if node.flow:
        sep = ", " if node.children else ""
        at = node.close
        while at > node.start and text[at - 1] in " \t":
            at -= 1
        return at, at, sep + entry
    nl = _newline(text)
    line_end = text.find("\n", node.end)
    if line_end < 0:
        return len(text), len(text), nl + " " * node.first_col + entry + nl
    return line_end + 1, line_end + 1, " " * node.first_col + entry + nl


def _append(text: str, node: _Node, written: str) -> tuple[int, int, str]:
    if node.flow:
        return _insert(text, node, written)
    if not node.children:
        raise _Cannot("an empty block list")
    nl = _newline(text)
    line_end = text.find("\n", node.end)
    item = " " * node.first_col + "- " + written + nl
    if line_end < 0:
        return len(text), len(text), nl + item
    return line_end + 1, line_end + 1, item


def _newline(text: str) -> str:
    """The text's line break (Windows files keep theirs)."""
    return "\r\n" if "\r\n" in text else "\n"


def _delete(text: str, root: _Node, path: tuple[PathKey, ...]) -> tuple[int, int, str]:
    parent = root
    for k in path[:-1]:
        parent = parent.children[k]
    node = parent.children[path[-1]]
    if parent.kind != "map":
        raise _Cannot("only mapping keys are deleted")
    if len(parent.children) == 1:
        return _replace(text, parent, "{}")
    if parent.flow:
        start, end = node.key_start, node.end
        after = re.match(r"\s*,\s*", text[end:])
        if after:
            return start, end + after.end(), ""
        before = re.search(r",\s*$", text[parent.start:start])
        if before is None:
            raise _Cannot("no comma")
        return parent.start + before.start(), end, ""
    line_start = text.rfind("\n", 0, node.key_start) + 1
    line_end = text.find("\n", node.end)
    line_end = len(text) if line_end < 0 else line_end + 1
    if text[line_start:node.key_start].strip() or text[node.end:line_end].split("#")[0].strip():
        raise _Cannot("shares its lines")
    return line_start, line_end, ""


def splice(text: str, edits: list[Edit], written: list[str]) -> str:
    """``text`` with each edit made in place in turn (so a later edit sees what an earlier
    one added); :class:`_Cannot` when one cannot be."""
    for e, w in zip(edits, written, strict=True):
        root = index_text(text)
        if root is None:
            raise _Cannot("empty")
        start, end, new = _splice_one(text, root, e, w)
        text = text[:start] + new + text[end:]
    return text


MAX_WORK = 20_000_000
"""Most characters indexed per request (the text is read again for each edit)."""


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, bool]:
    """The text with ``edits`` made, and whether its comments and layout were kept."""
    if len(text) * len(edits) > MAX_WORK:
        raise ApiError(413, f"{len(edits)} edits of a text of {len(text):,} characters are too "
                            "much work for one request", "send the edits a few at a time")
    try:
        data, _ = parse_yaml(text, "<request>")
    except ScenarioError as exc:
        raise ApiError(422, "the YAML text cannot be read, so the form cannot edit it",
                       "fix the located problem in the text first",
                       problems_json(exc.problems)) from None
    expected = copy.deepcopy(data)
    for e in edits:
        apply_to_data(expected, e)
    bom = "\ufeff" if text.startswith("\ufeff") else ""  # kept, but not in the spans
    text = text[len(bom):]
    attempts = ([e.text if e.text is not None else flow(e.value) for e in edits],
                [flow(e.value) for e in edits])
    for written in attempts:
        try:
            new = splice(text, edits, written)
            if _same(parse_yaml(new, "<edited>")[0], expected):
                return bom + new, True
        except (_Cannot, ScenarioError, yaml.YAMLError, ValueError, IndexError):
            continue
    try:
        return dump_yaml(expected), False
    except Exception as exc:  # noqa: BLE001 - data the writer cannot represent
        raise ApiError(422, f"the edit cannot be written ({type(exc).__name__})",
                       "make the change in the YAML text") from None


def _same(a: Any, b: Any) -> bool:
    """Equal data, NaN equal to NaN, 1 and 1.0 and True told apart."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b
