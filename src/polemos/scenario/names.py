"""State variables that outcome and claim expressions may name.

The core engine provides a few variables of its own; every family section adds its
own through its ``names(scenario)`` hook (see :mod:`polemos.scenario.sections`), and
each outcome id is itself a (boolean) variable.
"""

from __future__ import annotations

from typing import Any

from polemos.scenario.sections import discover_sections


def core_names(scenario: Any) -> dict[str, str]:
    """Variables the coupled engine keeps whatever sections a scenario has."""
    names = {
        "week": "weeks since meta.as_of",
        "settlement": "true once a negotiated settlement is reached (Fearon bargaining range)",
        "ceasefire": "true while a ceasefire holds",
    }
    for issue in scenario.issues:
        names[f"agreement.{issue.id}"] = f"settled position on issue {issue.id} (0-100)"
        names[f"forecast.{issue.id}"] = f"bargaining forecast on issue {issue.id} (0-100)"
        names[f"zone.{issue.id}"] = f"true while a zone of agreement exists on issue {issue.id}"
        for actor_id in issue.positions:
            names[f"position.{actor_id}.{issue.id}"] = f"{actor_id}'s current position on {issue.id} (0-100)"
    for event in scenario.events:
        if scenario.meta.as_of < event.date <= scenario.meta.horizon:
            names[f"event.{event.id}"] = f"true once event {event.id} ({event.date}) has happened"
    for actor in scenario.actors:
        names[f"resolve.{actor.id}"] = f"resolve of {actor.id} (0-1)"
    return names


def state_names(scenario: Any) -> dict[str, str]:
    """Every state variable available to expressions in ``scenario``."""
    names = core_names(scenario)
    for name, spec in discover_sections().items():
        if spec.names is not None and getattr(scenario, name, None) is not None:
            names.update(spec.names(scenario))
    for outcome in scenario.outcomes:
        names[outcome.id] = f"outcome: {outcome.label}"
    return names
