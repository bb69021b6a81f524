"""Errors and problems of the expression language, located by a 1-based column.

The column counts characters from the start of the expression text (a newline counts
as one character), so for a one-line expression it is the usual column.
"""

from __future__ import annotations

from dataclasses import dataclass


class ExprSyntaxError(ValueError):
    """The text is not an expression: ``message`` at ``column`` (1-based), with a ``hint``."""

    def __init__(self, message: str, column: int, hint: str = "", text: str | None = None):
        self.message = message
        self.column = column
        self.hint = hint
        self.text = text
        super().__init__(message, column, hint)

    def __str__(self) -> str:
        out = f"column {self.column}: {self.message}"
        return f"{out} -> {self.hint}" if self.hint else out

    def pointer(self) -> str:
        """The (first 80 characters around the) text and a caret under the column."""
        if self.text is None:
            return str(self)
        start = max(0, self.column - 40)
        line = self.text[start : start + 80].replace("\n", " ").replace("\t", " ")
        return f"{line}\n{' ' * (self.column - 1 - start)}^ {self}"


class ExprEvalError(ValueError):
    """An expression cannot be evaluated in an environment (shapes, unknown names, weights)."""


@dataclass(frozen=True)
class ExprProblem:
    """One problem found by :func:`polemos.scenario.expr.check`."""

    column: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        out = f"column {self.column}: {self.message}"
        return f"{out} -> {self.hint}" if self.hint else out
