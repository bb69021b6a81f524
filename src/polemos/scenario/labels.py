"""Plain words for the dotted paths of a scenario's inputs and state variables.

Reports, tables and notebooks name an uncertain input by its path in the scenario
(``actors.RUS.attributes.resolve.value``, ``theatres.ukraine.towns[9].distance_km``) and a
state variable by its expression name (``economy.RUS.defence_spending``). Readers need
words: :func:`label` turns either into a short phrase built from the scenario's own names
(actor names, issue names, town names, outcome labels) and the unit where one is known::

    >>> labeller = Labeller(scenario)
    >>> labeller("actors.RUS.attributes.resolve.value")
    'Russia: resolve (index 0-1)'
    >>> labeller("issues.territory.positions.UKR.position")
    "position of Ukraine on Territorial settlement (0-100)"

Unknown paths still come out readable (underscores become spaces, ``value`` and other
plumbing words are dropped); nothing here raises on an unknown path.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from polemos.scenario.overrides import split_path

_PLUMBING = {"value", "attributes", "capabilities", "actors", "parameters", "params"}
_UNIT_SUFFIX = {
    "km_per_week": "km per week", "km_per_day": "km per day", "mbd": "million barrels a day",
    "usd_kcm": "US$ per 1,000 m³", "per_usd": "per US$", "km": "km", "km2": "km²", "pct": "%", "usd_bn": "US$ bn", "usd": "US$", "bn": "bn",
    "weeks": "weeks", "days": "days", "per_week": "per week", "per_day": "per day",
    "share": "share 0-1", "t": "tonnes",
}


def words(token: str) -> str:
    """``"distance_km"`` -> ``"distance (km)"``; ``"defence_spending"`` -> ``"defence spending"``."""
    for suffix in sorted(_UNIT_SUFFIX, key=len, reverse=True):
        if token.endswith("_" + suffix) and len(token) > len(suffix) + 1:
            return f"{words(token[: -len(suffix) - 1])} ({_UNIT_SUFFIX[suffix]})"
    return token.replace("_", " ").strip()


def _name_of(item: Any) -> str | None:
    if isinstance(item, dict):
        for key in ("name", "label", "title", "id"):
            if isinstance(item.get(key), str) and item[key]:
                return item[key]
    return None


class Labeller:
    """Label paths of one scenario (``None``: labels from the path alone)."""

    def __init__(self, scenario: Any | None = None):
        self.scenario = scenario

    @cached_property
    def data(self) -> dict[str, Any]:
        if self.scenario is None:
            return {}
        try:
            return self.scenario.model_dump(mode="json", by_alias=True)
        except Exception:  # noqa: BLE001 - labels must never fail a report
            return {}

    @cached_property
    def actors(self) -> dict[str, str]:
        return {a["id"]: a.get("name") or a["id"] for a in self.data.get("actors", [])}

    @cached_property
    def issues(self) -> dict[str, str]:
        return {i["id"]: i.get("name") or i["id"] for i in self.data.get("issues", [])}

    @cached_property
    def events(self) -> dict[str, str]:
        out = {}
        for e in self.data.get("events", []):
            text = (e.get("description") or "").strip().rstrip(".")
            out[e["id"]] = text if text and len(text) <= 60 else words(e["id"])
        return out

    @cached_property
    def outcomes(self) -> dict[str, str]:
        return {o["id"]: o.get("label") or o["id"] for o in self.data.get("outcomes", [])}

    def actor(self, ident: str) -> str:
        """The actor's name without any parenthesis (``"EU states (France, ...)"`` -> ``"EU states"``)."""
        name = self.actors.get(ident, ident)
        short = re.sub(r"\s*\([^)]*\)", "", name).strip()
        return short or name

    def __call__(self, path: str) -> str:
        return label(path, self)

    # -- the rules ------------------------------------------------------------------
    def parameter(self, tokens: list[str | int]) -> str | None:
        """Inputs: the path of a number in the scenario file."""
        head = tokens[0]
        rest = [t for t in tokens[1:] if t not in ("value",)]
        unit = self._unit(tokens)
        if head == "actors" and len(rest) >= 2:
            who = self.actor(str(rest[0]))
            what = " ".join(words(str(t)) for t in rest[1:] if t not in _PLUMBING)
            return f"{who}: {what}{unit}"
        if head == "issues" and len(rest) >= 4 and rest[1] == "positions":
            who, issue = self.actor(str(rest[2])), self.issues.get(str(rest[0]), words(str(rest[0])))
            kind = "salience of" if rest[3] == "salience" else "position on"
            return f"{kind} {issue} for {who} (0-100)" if kind.startswith("s") \
                else f"position of {who} on {issue} (0-100)"
        if head == "issues" and len(rest) >= 2:
            issue = self.issues.get(str(rest[0]), words(str(rest[0])))
            return f"{issue}: {words(str(rest[-1]))} (0-100)"
        if head == "events" and len(rest) >= 2:
            return f"event '{self.events.get(str(rest[0]), words(str(rest[0])))}': " \
                   f"{words(str(rest[-1]))}"
        if head == "relations" and rest and isinstance(rest[0], int):
            rel = _at(self.data, ["relations", rest[0]])
            if isinstance(rel, dict):
                pair = f"{self.actor(rel.get('source', '?'))} - {self.actor(rel.get('target', '?'))}"
                return f"{rel.get('kind', 'relation')} {pair}: {words(str(rest[-1]))}"
        return None

    def _unit(self, tokens: list[str | int]) -> str:
        node = _at(self.data, [t for t in tokens if t != "value"])
        if isinstance(node, dict) and isinstance(node.get("unit"), str) and node["unit"]:
            return f" ({node['unit']})"
        return ""

    def generic(self, tokens: list[str | int]) -> str:
        """Walk the scenario data, naming list items and actors by their names."""
        parts: list[str] = []
        node: Any = self.data
        for i, tok in enumerate(tokens):
            nxt = _child(node, tok)
            if isinstance(tok, int):
                who = nxt.get("actor") if isinstance(nxt, dict) else None
                name = self.actor(who) if isinstance(who, str) else _name_of(nxt)
                if parts:
                    parts[-1] = _singular(parts[-1])
                parts.append(name if name else f"#{tok + 1}")
            elif tok in self.actors:
                parts.append(self.actor(tok))
            elif tok in _PLUMBING and i > 0 and not isinstance(nxt, list):
                pass
            elif i > 0 and isinstance(nxt, dict) and (isinstance(node, list) or _is_keyed(node)):
                name = _name_of(nxt)
                if parts:
                    parts[-1] = _singular(parts[-1])
                parts.append(f"'{name if name and name != tok else words(tok)}'")
            else:
                parts.append(words(tok))
            node = nxt
        if len(parts) >= 2:
            return f"{parts[0]}: " + " ".join(parts[1:])
        return " ".join(parts)


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _is_keyed(node: dict[str, Any]) -> bool:
    """A mapping of ids to records (``towns: {pokrovsk: {...}}``) rather than a record."""
    return bool(node) and all(isinstance(v, dict) for v in node.values())


def _child(node: Any, tok: str | int) -> Any:
    """``node[tok]``; a list is also indexed by its items' ids; ``None`` when absent."""
    if isinstance(tok, int):
        return node[tok] if isinstance(node, list) and 0 <= tok < len(node) else None
    if isinstance(node, dict):
        return node.get(tok)
    if isinstance(node, list):
        return next((x for x in node if isinstance(x, dict) and x.get("id") == tok), None)
    return None


def _at(node: Any, tokens: list[str | int]) -> Any:
    for tok in tokens:
        node = _child(node, tok)
        if node is None:
            return None
    return node


def label(path: str, scenario_or_labeller: Any = None) -> str:
    """Plain words for ``path`` (an input path or a state-variable name)."""
    lab = scenario_or_labeller if isinstance(scenario_or_labeller, Labeller) \
        else Labeller(scenario_or_labeller)
    path = path.removeprefix("p:").removeprefix("o:")
    at = ""
    if "@" in path:
        path, _, when = path.partition("@")
        at = f" on {when}"
    tokens = split_path(path)
    if not tokens:
        return path
    if len(tokens) == 1 and str(tokens[0]) in lab.outcomes:
        return lab.outcomes[str(tokens[0])] + at
    in_file = _at(lab.data, tokens) is not None
    state = None if in_file else _state_label(tokens, lab)
    if state is not None:
        return state + at
    found = lab.parameter(tokens) if lab.data else None
    return (found or lab.generic(tokens)) + at


def _state_label(tokens: list[str | int], lab: Labeller) -> str | None:
    """State variables of outcome and claim expressions (``position.USA.maduro_rule``)."""
    head, rest = tokens[0], [str(t) for t in tokens[1:]]
    if head == "position" and len(rest) == 2:
        return f"position of {lab.actor(rest[0])} on {lab.issues.get(rest[1], words(rest[1]))} (0-100)"
    if head in ("agreement", "forecast", "zone") and len(rest) == 1:
        what = {"agreement": "settled position", "forecast": "bargaining forecast",
                "zone": "zone of agreement"}[head]
        return f"{what} on {lab.issues.get(rest[0], words(rest[0]))}"
    if head == "event" and len(rest) == 1:
        return f"event '{lab.events.get(rest[0], words(rest[0]))}' happened"
    if head == "resolve" and len(rest) == 1:
        return f"{lab.actor(rest[0])}: resolve (0-1)"
    if head == "escalation" and rest:
        if rest[0] == "reached" and len(rest) == 2:
            return f"escalation reached rung '{words(rest[1])}'"
        return "escalation: " + " ".join(words(r) for r in rest)
    if head in ("economy", "forces", "losses", "front", "structure") and rest:
        if rest[0] in lab.actors:
            tail = " ".join(words(r) for r in rest[1:]) or words(str(head))
            return f"{lab.actor(rest[0])}: {tail}" if rest[1:] else f"{lab.actor(rest[0])} {tail}"
    return None
