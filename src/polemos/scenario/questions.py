"""Cross-reference checks of a scenario's ``questions:`` (run after the schema).

Each finding is ``(loc, message, hint)`` like :mod:`polemos.scenario.semantics`: the
outcome or event a question names exists, its expression parses and type-checks in the
outcome language (per draw), its resolution date lies after ``as_of`` and no later than
the horizon, and a reference class cites a declared source.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Finding = tuple[tuple[Any, ...], str, str]


def check_questions(sc: Any) -> Iterator[Finding]:
    from polemos.scenario.semantics import duplicate_ids, unknown_id

    questions = list(getattr(sc, "questions", None) or [])
    if not questions:
        return
    yield from duplicate_ids(questions, ("questions",))
    outcomes = [o.id for o in sc.outcomes]
    events = sc.event_ids()
    sources = sc.source_ids()
    for i, q in enumerate(questions):
        loc = ("questions", i)
        if q.outcome is not None and q.outcome not in outcomes:
            yield (loc + ("outcome",), *unknown_id("outcomes", q.outcome, outcomes))
            continue
        if q.event is not None and q.event not in events:
            yield (loc + ("event",), *unknown_id("events", q.event, events))
            continue
        if not sc.meta.as_of < q.resolves <= sc.meta.horizon:
            yield (loc + ("resolves",),
                   f"resolution date {q.resolves} is not after as_of {sc.meta.as_of} and "
                   f"no later than the horizon {sc.meta.horizon}",
                   "a question is read on a simulated date: move it inside the run")
        if q.reference_class is not None and q.reference_class.source not in sources:
            yield (loc + ("reference_class", "source"),
                   *unknown_id("sources", q.reference_class.source, sources))
        field = "when" if q.when is not None else "value" if q.value is not None else None
        if field is not None:
            yield from _expression(sc, q, loc + (field,))


def _expression(sc: Any, q: Any, loc: tuple[Any, ...]) -> Iterator[Finding]:
    from polemos.scenario import expr as E
    from polemos.scenario.names import state_names

    try:
        tree = E.parse(q.expr)
    except E.ExprSyntaxError as exc:
        yield (loc, f"expression does not parse at column {exc.column}: {exc.message}",
               exc.hint or "see docs/expressions.md")
        return
    for problem in E.check(tree, state_names(sc), "outcome"):
        yield (loc, f"column {problem.column}: {problem.message}",
               problem.hint or "see `polemos show FILE --names` for the variables")
