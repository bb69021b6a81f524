"""Registry of the scenario sections contributed by model families.

The core schema (meta, actors, issues, relations, events, outcomes, claims) knows
nothing of theatres or escalation ladders. A family declares its section in its own
``section`` module::

    from polemos.scenario.sections import register_section

    class TheatresSection(StrictModel): ...

    register_section("theatres", TheatresSection, doc="Fronts, forces and attrition.",
                     check=check_theatres)

``check(scenario) -> list[(loc, message, hint)]`` is an optional cross-reference check
run after the schema (e.g. that every force belongs to a declared actor); ``names``
(scenario) -> dict[str, str] lists the state variables the family makes available to
outcome and claim expressions, with a description each.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Loc = tuple[str | int, ...]
Check = Callable[[Any], list[tuple[Loc, str, str]]]
Names = Callable[[Any], dict[str, str]]


@dataclass(frozen=True)
class SectionSpec:
    name: str
    model: type
    doc: str
    check: Check | None = None
    names: Names | None = None


_SECTIONS: dict[str, SectionSpec] = {}


def register_section(
    name: str, model: type, *, doc: str, check: Check | None = None, names: Names | None = None
) -> SectionSpec:
    """Register the pydantic model of a top-level scenario section ``name``."""
    spec = SectionSpec(name, model, doc, check, names)
    old = _SECTIONS.get(name)
    if old is not None and old.model is not model:
        raise ValueError(f"scenario section {name!r} is registered twice")
    _SECTIONS[name] = spec
    return spec


def discover_sections() -> dict[str, SectionSpec]:
    """Import ``polemos.models.<family>.section`` for every family; return all sections."""
    import polemos.models as pkg

    for info in pkgutil.iter_modules(pkg.__path__):
        if not info.ispkg:
            continue
        modname = f"{pkg.__name__}.{info.name}.section"
        try:
            importlib.import_module(modname)
        except ModuleNotFoundError as exc:
            if exc.name != modname:
                raise
    return dict(sorted(_SECTIONS.items()))
