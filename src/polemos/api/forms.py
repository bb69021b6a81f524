"""The form views of a scenario (actors; issues with each actor's position and salience)
and ``POST /api/edit``, which makes the forms' edits in the YAML text.

The form is read from the parsed text, valid or not, so it follows whatever the editor
holds; every value is shown as one line of YAML flow text (``75``, or ``{dist: uniform,
low: 70, high: 100}``), which is also what a field accepts.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr
from starlette.concurrency import run_in_threadpool

from polemos.api.errors import ApiError
from polemos.api.scenarios import MAX_YAML_BYTES, check_size
from polemos.api.yamledit import Edit, apply_edits, flow, parse_fragment

router = APIRouter(prefix="/api")
MAX_EDITS = 100
MAX_VALUE = 4000
"""Longest value a form field may send (characters)."""
STANCE = ("position", "salience")


def _text(value: Any) -> str:
    return "" if value is None else (value if isinstance(value, str) else flow(value))


def form_of(data: Any) -> dict[str, Any] | None:
    """The actors and issues of parsed scenario data as form rows (None if not a mapping).

    Rows carry their index in the file's list (what edits address) and their id; an
    entry that is not a mapping is shown as ``bad`` (fix it in the text)."""
    if not isinstance(data, dict):
        return None
    actors_raw = data.get("actors")
    issues_raw = data.get("issues")
    actors = []
    for i, a in enumerate(actors_raw if isinstance(actors_raw, list) else []):
        if not isinstance(a, dict):
            actors.append({"index": i, "id": "", "name": "", "influence": "", "bad": True})
            continue
        actors.append({"index": i, "id": _text(a.get("id")), "name": _text(a.get("name")),
                       "influence": _text(a.get("influence")), "has_influence": "influence" in a})
    issues = []
    for j, s in enumerate(issues_raw if isinstance(issues_raw, list) else []):
        if not isinstance(s, dict):
            issues.append({"index": j, "id": "", "name": "", "positions": {}, "bad": True})
            continue
        raw = s.get("positions")
        positions = {}
        for actor, stance in (raw.items() if isinstance(raw, dict) else []):
            if isinstance(stance, dict):
                positions[str(actor)] = {k: _text(stance.get(k)) for k in STANCE}
            else:
                positions[str(actor)] = {"position": _text(stance), "salience": "", "bad": True}
        issues.append({"index": j, "id": _text(s.get("id")), "name": _text(s.get("name")),
                       "status_quo": _text(s.get("status_quo")), "positions": positions})
    return {"actors": actors, "issues": issues,
            "lists": {"actors": isinstance(actors_raw, list), "issues": isinstance(issues_raw, list)}}


class FieldEdit(BaseModel):
    """One edit: ``path`` into the data, and ``value`` (a JSON value, written as YAML),
    ``text`` (YAML flow text as typed, e.g. ``{dist: uniform, low: 1, high: 2}``) or
    ``delete: true``."""

    model_config = ConfigDict(extra="forbid")
    path: list[StrictStr | StrictInt] = Field(..., min_length=1, max_length=12)
    value: StrictStr | StrictInt | StrictFloat | StrictBool | dict[StrictStr, StrictStr | StrictInt | StrictFloat | StrictBool | None] | None = None
    text: str | None = Field(None, max_length=MAX_VALUE)
    delete: bool = False


class EditRequest(BaseModel):
    """``POST /api/edit``: the editor's text and the edits to make in it."""

    model_config = ConfigDict(extra="forbid")
    yaml: str = Field(..., max_length=MAX_YAML_BYTES, description="Scenario YAML text.")
    edits: list[FieldEdit] = Field(..., min_length=1, max_length=MAX_EDITS)


def _edit(e: FieldEdit) -> Edit:
    given = [k for k in ("value", "text", "delete") if k in e.model_fields_set
             and (k != "delete" or e.delete)]
    if len(given) != 1:
        raise ApiError(422, f"edit of {e.path}: give exactly one of 'value', 'text' or "
                            "'delete: true'", "see docs/api.md, POST /api/edit")
    if any(isinstance(k, str) and len(k) > 200 for k in e.path):
        raise ApiError(422, "a path step is over 200 characters", "use the ids of the text")
    if isinstance(e.value, str) and len(e.value) > MAX_VALUE:
        raise ApiError(422, f"a value is over {MAX_VALUE} characters", "shorten it")
    if isinstance(e.value, float) and not math.isfinite(e.value):
        raise ApiError(422, "a value is not a finite number", "write a number")
    if e.text is not None:
        return Edit(tuple(e.path), parse_fragment(e.text), text=e.text)
    return Edit(tuple(e.path), e.value, delete=e.delete)


def edit_text(body: EditRequest) -> dict[str, Any]:
    from polemos.api.routes import validate_text

    check_size(len(body.yaml.encode()))
    edits = [_edit(e) for e in body.edits]
    text, kept = apply_edits(body.yaml, edits)
    check_size(len(text.encode()))
    return {"yaml": text, "kept_comments": kept, **validate_text(text)}


@router.post("/edit")
async def edit(body: EditRequest) -> dict[str, Any]:
    """Make form edits in the YAML text (in place, comments kept, whenever the result reads
    back as intended; else rewritten, with ``kept_comments: false``), then validate it."""
    return await run_in_threadpool(edit_text, body)
