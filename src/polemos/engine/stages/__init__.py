"""Stage adapters: each turns one model family into a step of the weekly loop.

The models stay pure kernels; these adapters read a scenario's section, keep the
family's state as named ``(n_draws,)`` arrays and call the kernels each week. The order
of :data:`ORDER` is the order of the loop (``docs/architecture.md``).
"""

from __future__ import annotations

import importlib
from typing import Any

from polemos.engine.stage import Stage

ORDER = (
    ("events", "polemos.engine.stages.events:EventsStage"),
    ("blockade", "polemos.engine.stages.blockade:BlockadeStage"),
    ("economy", "polemos.engine.stages.economy:EconomyStage"),
    ("attrition", "polemos.engine.stages.attrition:AttritionStage"),
    ("capability", "polemos.engine.stages.capability:CapabilityStage"),
    ("bargaining", "polemos.engine.stages.bargaining:BargainingStage"),
    ("escalation", "polemos.engine.stages.escalation:EscalationStage"),
    ("structure", "polemos.engine.stages.structure:StructureStage"),
)


def _load(target: str) -> type | None:
    module, _, cls = target.partition(":")
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:  # that adapter is not written yet
            return None
        raise
    return getattr(mod, cls)


def all_stages() -> list[Stage]:
    """One fresh instance of every stage whose adapter exists, in loop order."""
    out = []
    for _name, target in ORDER:
        cls = _load(target)
        if cls is not None:
            out.append(cls())
    return out


def active_stages(scenario: Any) -> list[Stage]:
    """The stages a scenario uses (a family stage is active when its section is present)."""
    return [s for s in all_stages() if s.active(scenario)]
