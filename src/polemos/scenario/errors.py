"""Located, actionable problems with scenario input.

Every problem names the file, the line and column, the dotted field path, what is
wrong and what to do. :class:`ScenarioError` carries all problems of a file at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem with a scenario file."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    hint: str = ""

    def format(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.path}:" if self.path else ""
        text = f"{where}:{field} {self.message}"
        if self.hint:
            text += f" -> {self.hint}"
        return text

    def __str__(self) -> str:
        return self.format()


class ScenarioError(Exception):
    """A scenario could not be read; ``problems`` lists every reason found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"did you mean 'x'?"`` for the closest of ``choices``, or ``""``."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""


def dotted(loc: Sequence[str | int]) -> str:
    """``("actors", 3, "id")`` -> ``"actors[3].id"``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
