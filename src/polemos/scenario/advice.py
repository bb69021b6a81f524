"""Warnings about a valid scenario that probably does not say what its author meant.

A claim or outcome that reads a date after ``meta.horizon`` (or before ``meta.as_of``)
is not an error - the engine evaluates it at the nearest simulated week - but it no
longer tests what its text says, so ``polemos validate`` and ``polemos run`` warn.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from polemos.scenario.errors import Problem

_DATE = re.compile(r"(?<![\d-])(\d{4}-\d{2}-\d{2})(?![\d-])")


def _dates(text: str) -> list[dt.date]:
    out = []
    for m in _DATE.finditer(text):
        try:
            out.append(dt.date.fromisoformat(m.group(1)))
        except ValueError:
            continue
    return out


def date_warnings(scenario: Any, file: str = "") -> list[Problem]:
    """Claims and outcomes whose expressions name a date outside as_of..horizon."""
    meta = scenario.meta
    found: list[Problem] = []
    items = [("claims", i, c.id, c.expr) for i, c in enumerate(scenario.claims)]
    items += [("outcomes", i, o.id, o.when) for i, o in enumerate(scenario.outcomes)]
    for section, i, ident, expr in items:
        field = "expr" if section == "claims" else "when"
        kind = section[:-1]
        for day in _dates(expr):
            if day > meta.horizon:
                found.append(Problem(
                    file, None, None, f"{section}[{i}].{field}",
                    f"{kind} '{ident}' reads {day}, after the horizon {meta.horizon}: the "
                    f"simulation stops at the horizon, so it is judged on {meta.horizon}",
                    f"set meta.horizon to {day} or later, or date the {kind} by {meta.horizon}"))
            elif day < meta.as_of:
                found.append(Problem(
                    file, None, None, f"{section}[{i}].{field}",
                    f"{kind} '{ident}' reads {day}, before as_of {meta.as_of}: nothing is "
                    f"simulated before as_of", f"date the {kind} after {meta.as_of}"))
    return found
