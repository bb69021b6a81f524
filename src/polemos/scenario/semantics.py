"""Cross-reference checks run after the schema: ids, dates, expressions.

Each check yields ``(loc, message, hint)``; :mod:`polemos.scenario.load` locates them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel

from polemos.scenario.errors import did_you_mean
from polemos.scenario.sections import discover_sections

Finding = tuple[tuple[Any, ...], str, str]


def check_scenario(sc: Any) -> list[Finding]:
    """Every cross-reference problem of the validated scenario ``sc``."""
    out: list[Finding] = []
    out += _duplicates(sc)
    out += _actor_refs(sc)
    out += _source_refs(sc)
    out += _dates(sc)
    for name, spec in discover_sections().items():
        if spec.check is not None and getattr(sc, name, None) is not None:
            out += list(spec.check(sc))
    out += _expressions(sc)
    from polemos.scenario.questions import check_questions

    out += list(check_questions(sc))
    return out


def _duplicates(sc: Any) -> Iterator[Finding]:
    groups = {
        "actors": sc.actors,
        "issues": sc.issues,
        "events": sc.events,
        "outcomes": sc.outcomes,
        "claims": sc.claims,
    }
    for section, items in groups.items():
        yield from duplicate_ids(items, (section,))
    yield from duplicate_ids(sc.meta.sources, ("meta", "sources"))


def duplicate_ids(items: list[Any], loc: tuple[Any, ...], attr: str = "id") -> Iterator[Finding]:
    """Findings for every repeated ``id`` in ``items`` (at the second and later use)."""
    counts = Counter(getattr(x, attr) for x in items)
    seen: set[str] = set()
    for i, item in enumerate(items):
        ident = getattr(item, attr)
        if counts[ident] > 1 and ident in seen:
            yield (loc + (i, attr), f"duplicate id {ident!r}", "every id in a section must be unique")
        seen.add(ident)


def unknown_id(kind: str, ident: str, known: list[str]) -> tuple[str, str]:
    """The message and hint for an id that names nothing."""
    hint = did_you_mean(ident, known) or (f"declare it in {kind}" if known else f"add {kind} first")
    return f"unknown {kind.rstrip('s')} id {ident!r}", hint


def _actor_refs(sc: Any) -> Iterator[Finding]:
    actors = sc.actor_ids()

    def bad(loc: tuple[Any, ...], ident: str) -> Iterator[Finding]:
        if ident not in actors:
            yield (loc, *unknown_id("actors", ident, actors))

    for i, actor in enumerate(sc.actors):
        for j, member in enumerate(actor.members):
            yield from bad(("actors", i, "members", j), member)
    for i, issue in enumerate(sc.issues):
        for actor_id in issue.positions:
            yield from bad(("issues", i, "positions", actor_id), actor_id)
    for i, rel in enumerate(sc.relations):
        yield from bad(("relations", i, "source"), rel.source)
        yield from bad(("relations", i, "target"), rel.target)
    for i, ev in enumerate(sc.events):
        for j, actor_id in enumerate(ev.actors):
            yield from bad(("events", i, "actors", j), actor_id)


def _walk_sources(node: Any, loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            value = getattr(node, name)
            if name == "sources" and isinstance(value, list) and loc[:1] != ("meta",):
                for j, ident in enumerate(value):
                    if isinstance(ident, str):
                        yield loc + (name, j), ident
            else:
                yield from _walk_sources(value, loc + (name,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk_sources(value, loc + (i,))
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _walk_sources(value, loc + (key,))


def _source_refs(sc: Any) -> Iterator[Finding]:
    sources = sc.source_ids()
    for loc, ident in _walk_sources(sc, ()):
        if ident not in sources:
            yield (loc, *unknown_id("sources", ident, sources))
    for i, claim in enumerate(sc.claims):
        if claim.source not in sources:
            yield (("claims", i, "source"), *unknown_id("sources", claim.source, sources))


def _dates(sc: Any) -> Iterator[Finding]:
    for i, ev in enumerate(sc.events):
        if ev.date > sc.meta.horizon:
            yield (
                ("events", i, "date"),
                f"event date {ev.date} is after the horizon {sc.meta.horizon}",
                "extend meta.horizon or remove the event",
            )


def _expressions(sc: Any) -> Iterator[Finding]:
    try:
        from polemos.scenario import expr as E
    except ImportError:  # pragma: no cover - during bootstrap only
        return
    from polemos.scenario.names import state_names

    known = state_names(sc)
    kinds: tuple[tuple[Literal["outcome", "claim"], list[Any], str], ...] = (
        ("outcome", sc.outcomes, "when"),
        ("claim", sc.claims, "expr"),
    )
    for kind, items, field in kinds:
        section = kind + "s"
        for i, item in enumerate(items):
            text = getattr(item, field)
            try:
                tree = E.parse(text)
            except E.ExprSyntaxError as exc:
                yield (
                    (section, i, field),
                    f"expression does not parse at column {exc.column}: {exc.message}",
                    exc.hint or "see docs/expressions.md",
                )
                continue
            for problem in E.check(tree, known, kind, switchable=E.switchable_ids(sc)):
                yield (
                    (section, i, field),
                    f"column {problem.column}: {problem.message}",
                    problem.hint or "see `polemos show FILE --names` for the variables",
                )


def raw_references(data: Any) -> list[Finding]:
    """Id cross-references checked on the raw data, for files that fail the schema.

    So that one run of ``polemos validate`` reports unknown actor and source ids and
    duplicate ids together with the schema's problems. Best effort: anything not shaped
    as expected is left to the schema's own messages.
    """
    if not isinstance(data, dict):
        return []

    def items(section: Any) -> list[tuple[int, dict[str, Any]]]:
        return [(i, x) for i, x in enumerate(section) if isinstance(x, dict)] if isinstance(section, list) else []

    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    sources = [s.get("id") for _, s in items(meta.get("sources")) if isinstance(s.get("id"), str)]
    actors = [a.get("id") for _, a in items(data.get("actors")) if isinstance(a.get("id"), str)]
    out: list[Finding] = []
    for section in ("actors", "issues", "events", "outcomes", "claims"):
        seen: set[str] = set()
        for i, item in items(data.get(section)):
            ident = item.get("id")
            if not isinstance(ident, str):
                continue
            if ident in seen:
                out.append(((section, i, "id"), f"duplicate id {ident!r}", "every id in a section must be unique"))
            seen.add(ident)

    def actor_ref(loc: tuple[Any, ...], ident: Any) -> None:
        if actors and isinstance(ident, str) and ident not in actors:
            out.append((loc, *unknown_id("actors", ident, actors)))

    for i, issue in items(data.get("issues")):
        positions = issue.get("positions")
        for actor_id in positions if isinstance(positions, dict) else ():
            actor_ref(("issues", i, "positions", actor_id), actor_id)
    for i, rel in items(data.get("relations")):
        actor_ref(("relations", i, "source"), rel.get("source"))
        actor_ref(("relations", i, "target"), rel.get("target"))
    for i, ev in items(data.get("events")):
        for j, actor_id in enumerate(ev.get("actors") if isinstance(ev.get("actors"), list) else ()):
            actor_ref(("events", i, "actors", j), actor_id)
    for i, claim in items(data.get("claims")):
        src = claim.get("source")
        if sources and isinstance(src, str) and src not in sources:
            out.append((("claims", i, "source"), *unknown_id("sources", src, sources)))
    return out
