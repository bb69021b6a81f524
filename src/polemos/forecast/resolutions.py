"""Resolution files: what happened, when, and who says so; reference forecasts.

A resolution file (YAML) has ``resolutions:`` and optionally ``references:``::

    resolutions:
      - question: ukraine_2025_08_alaska/alaska_summit   # or just the question id
        outcome: yes                                      # yes/no; or value: 8480
        date: 2025-08-15
        sources:
          - {title: "...", url: "https://...", date: 2025-08-16}
        note: "..."
    references:                                           # others' forecasts, as baselines
      - question: alaska_summit
        name: "Polymarket"
        p: 0.9
        date: 2025-08-10
        source: {title: "...", url: "https://...", date: 2025-08-10}

A question written without a scenario id resolves that question in every scenario
that asks it. Errors are located (file, line, column, field, what to do).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, StringConstraints, ValidationError, field_validator, model_validator

from polemos.scenario.base import StrictModel

QuestionRef = Annotated[str, StringConstraints(
    pattern=r"^([A-Za-z_][A-Za-z0-9_]*/)?[A-Za-z_][A-Za-z0-9_]*$", max_length=130)]
"""``question_id`` or ``scenario_id/question_id``."""


class Citation(StrictModel):
    title: str = Field(min_length=1)
    url: str = Field(description="Where the source can be read (http or https).")
    date: dt.date = Field(description="Publication date of the source.")
    publisher: str | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        if not re.fullmatch(r"https?://[^\s/]+\S*", v):
            raise ValueError(f"{v!r} is not a web address; write the full URL, https://...")
        return v


class Resolution(StrictModel):
    question: QuestionRef
    outcome: bool | None = Field(default=None, description="yes/no (binary questions).")
    value: float | None = Field(default=None, allow_inf_nan=False,
                                description="Observed value (numeric questions).")
    date: dt.date = Field(description="When it happened (or when the value was final).")
    sources: list[Citation] = Field(min_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Resolution:
        if (self.outcome is None) == (self.value is None):
            raise ValueError("give exactly one of outcome (yes/no) or value (a number)")
        return self


class Reference(StrictModel):
    question: QuestionRef
    name: str = Field(min_length=1, description="Who forecast (a crowd, a market, a pundit).")
    p: float = Field(ge=0.0, le=1.0, description="Their probability of yes.")
    date: dt.date = Field(description="When they forecast it.")
    source: Citation


class ResolutionFile(StrictModel):
    resolutions: list[Resolution] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)


def load_resolutions(path: str | Path) -> tuple[ResolutionFile, Any]:
    """Read and validate a resolution file (and its location map), or raise a located
    ScenarioError."""
    from polemos.scenario.errors import Problem, ScenarioError
    from polemos.scenario.pydantic_errors import problems_from_validation
    from polemos.scenario.yamlio import parse_yaml, read_text

    name = str(path)
    data, locs = parse_yaml(read_text(path), name)
    if not isinstance(data, dict):
        raise ScenarioError([Problem(name, 1, 1, "", "a resolution file is a mapping",
                                     "start with 'resolutions:' (and optionally 'references:')")])
    try:
        return ResolutionFile.model_validate(data), locs
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, data, locs, name, ResolutionFile)) from None


def resolution_body(r: Resolution, now: dt.datetime) -> dict[str, Any]:
    return {"kind": "resolution", "question": r.question, "outcome": r.outcome,
            "value": r.value, "date": r.date.isoformat(),
            "sources": [c.model_dump(mode="json", exclude_none=True) for c in r.sources],
            "note": r.note, "recorded_at": now.isoformat(timespec="seconds")}


def reference_body(r: Reference, now: dt.datetime) -> dict[str, Any]:
    return {"kind": "reference", "question": r.question, "name": r.name, "p": r.p,
            "date": r.date.isoformat(), "source": r.source.model_dump(mode="json", exclude_none=True),
            "recorded_at": now.isoformat(timespec="seconds")}


def check_against(rf: ResolutionFile, frozen: dict[str, dict[str, Any]], today: dt.date
                  ) -> list[tuple[tuple[Any, ...], str, str]]:
    """Findings ``(loc, message, hint)``: unknown questions, wrong kinds, dates."""
    from polemos.scenario.errors import did_you_mean

    keys = list(frozen)
    ids = sorted({k.split("/", 1)[1] for k in keys})
    out = []
    for section, items in (("resolutions", rf.resolutions), ("references", rf.references)):
        for i, r in enumerate(items):
            loc = (section, i, "question")
            hit = [k for k in keys if r.question == k or ("/" not in r.question
                                                           and k.split("/", 1)[1] == r.question)]
            if not hit:
                out.append((loc, f"no frozen question {r.question!r} in the register",
                            did_you_mean(r.question, keys + ids)
                            or "freeze the scenario first: polemos forecast freeze FILE"))
                continue
            if section == "references":
                if any(frozen[k]["kind"] != "binary" for k in hit):
                    out.append((loc, f"{r.question!r} is numeric; a reference gives p of yes",
                                "reference forecasts apply to yes/no questions"))
                continue
            if r.date > today:
                out.append(((section, i, "date"), f"date {r.date} is in the future",
                            "resolve a question once it has happened"))
            for k in hit:
                q = frozen[k]
                if q["kind"] == "binary" and r.outcome is None:
                    out.append(((section, i), f"{k} is a yes/no question; 'value' given",
                                "write outcome: yes or outcome: no"))
                elif q["kind"] == "numeric" and r.value is None:
                    out.append(((section, i), f"{k} is numeric; 'outcome' given",
                                "write value: NUMBER (in the question's unit)"))
                elif r.outcome and r.date > dt.date.fromisoformat(q["resolves"]):
                    out.append(((section, i, "date"),
                                f"yes on {r.date}, after {k}'s resolution date {q['resolves']}",
                                "a yes must happen by the question's date: resolve it 'no', "
                                "or qualify the question with its scenario id"))
    return out
