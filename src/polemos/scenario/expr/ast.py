"""Immutable syntax tree of the expression language, with canonical printing.

Every node is a frozen dataclass; ``pos`` (1-based column in the source text) is kept
for error messages but takes no part in equality, so ``parse(e.to_text()) == e``.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

KEYWORDS = frozenset({"and", "or", "not", "true", "false", "by", "without"})
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
IDENT_RE = NAME_RE
"""Ids after ``without`` are written like names (measure and event ids)."""

REDUCTIONS = frozenset({"P", "E", "Q"})
"""Functions that reduce over Monte Carlo draws (claims only)."""

FUNCTIONS: dict[str, tuple[int, int | None, str]] = {
    "P": (1, 1, "P(condition [by DATE] [without ID, ...]): probability of a condition"),
    "E": (1, 1, "E(number [by DATE] [without ID, ...]): expectation of a number"),
    "Q": (2, 2, "Q(number [by DATE], level): quantile, level a number in [0, 1]; "
          "Q((x without ID), 0.9) for a counterfactual"),
    "min": (1, None, "min(a, b, ...): elementwise minimum"),
    "max": (1, None, "max(a, b, ...): elementwise maximum"),
    "abs": (1, 1, "abs(x): absolute value"),
}
"""Every callable: name -> (least arguments, most arguments or None, usage)."""

# Binding strength, loosest first; atoms (and parenthesised groups) bind tightest.
OR, AND, NOT, COMPARE, ADD, MUL, NEG, ATOM = range(1, 9)
BINARY_PREC = {"or": OR, "and": AND, "+": ADD, "-": ADD, "*": MUL, "/": MUL}
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")


@dataclass(frozen=True)
class Expr:
    """Base of every node."""

    pos: int = field(default=0, compare=False, repr=False, kw_only=True)
    prec: ClassVar[int] = ATOM

    def children(self) -> tuple[Expr, ...]:
        return ()

    def walk(self) -> Iterator[Expr]:
        """Every node, this one first (depth-first, without recursion)."""
        stack: list[Expr] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children()))

    def names(self) -> frozenset[str]:
        """The state-variable names referenced anywhere in the expression."""
        return frozenset(n.name for n in self.walk() if isinstance(n, Name))

    def withouts(self) -> frozenset[frozenset[str]]:
        """Every distinct ``without`` set written in the expression (see :class:`Without`)."""
        return frozenset(frozenset(n.ids) for n in self.walk() if isinstance(n, Without))

    def dates(self) -> frozenset[datetime.date]:
        """Every date written in the expression (``by`` dates and date literals)."""
        out = set()
        for n in self.walk():
            if isinstance(n, By | DateLit):
                out.add(n.date if isinstance(n, By) else n.value)
        return frozenset(out)

    def to_text(self) -> str:
        """Canonical text: ``parse(e.to_text()) == e``."""
        raise NotImplementedError

    def __str__(self) -> str:
        return self.to_text()


def _wrap(node: Expr, paren: bool) -> str:
    text = node.to_text()
    return f"({text})" if paren else text


@dataclass(frozen=True)
class Num(Expr):
    """A number literal (``25%`` is stored as 0.25); finite and not negative."""

    value: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.value) and self.value >= 0):
            raise ValueError(f"Num needs a finite value >= 0 (use Neg), got {self.value!r}")

    def to_text(self) -> str:
        v = float(self.value)
        return str(int(v)) if v.is_integer() and v < 1e16 else repr(v)


@dataclass(frozen=True)
class Bool(Expr):
    value: bool

    def to_text(self) -> str:
        return "true" if self.value else "false"


@dataclass(frozen=True)
class DateLit(Expr):
    """A date used as a value (compared with date-valued names)."""

    value: datetime.date

    def to_text(self) -> str:
        return self.value.isoformat()


@dataclass(frozen=True)
class Name(Expr):
    """A state variable, e.g. ``forces.donbas.RUS``."""

    name: str

    def __post_init__(self) -> None:
        if not NAME_RE.fullmatch(self.name) or self.name in KEYWORDS:
            raise ValueError(f"not a valid name: {self.name!r}")

    def to_text(self) -> str:
        return self.name


@dataclass(frozen=True)
class Neg(Expr):
    operand: Expr
    prec: ClassVar[int] = NEG

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)

    def to_text(self) -> str:
        return "-" + _wrap(self.operand, self.operand.prec < NEG)


@dataclass(frozen=True)
class Not(Expr):
    operand: Expr
    prec: ClassVar[int] = NOT

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)

    def to_text(self) -> str:
        return "not " + _wrap(self.operand, self.operand.prec < NOT)


@dataclass(frozen=True)
class BinOp(Expr):
    """``left op right`` for op in ``+ - * / and or`` (left-associative)."""

    op: str
    left: Expr
    right: Expr

    def __post_init__(self) -> None:
        if self.op not in BINARY_PREC:
            raise ValueError(f"unknown binary operator {self.op!r}")

    @property
    def prec(self) -> int:  # type: ignore[override]
        return BINARY_PREC[self.op]

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)

    def to_text(self) -> str:
        p = self.prec
        left = _wrap(self.left, self.left.prec < p)
        right = _wrap(self.right, self.right.prec <= p)
        return f"{left} {self.op} {right}"


@dataclass(frozen=True)
class Compare(Expr):
    """A comparison chain: ``a < b <= c`` means ``a < b and b <= c``."""

    operands: tuple[Expr, ...]
    ops: tuple[str, ...]
    prec: ClassVar[int] = COMPARE

    def __post_init__(self) -> None:
        if len(self.operands) != len(self.ops) + 1 or not self.ops:
            raise ValueError("Compare needs n+1 operands for n >= 1 operators")
        if any(op not in COMPARISONS for op in self.ops):
            raise ValueError(f"unknown comparison in {self.ops!r}")

    def children(self) -> tuple[Expr, ...]:
        return self.operands

    def pairs(self) -> Iterator[tuple[Expr, str, Expr]]:
        for i, op in enumerate(self.ops):
            yield self.operands[i], op, self.operands[i + 1]

    def to_text(self) -> str:
        parts = [_wrap(self.operands[0], self.operands[0].prec <= COMPARE)]
        for op, operand in zip(self.ops, self.operands[1:], strict=True):
            parts += [op, _wrap(operand, operand.prec <= COMPARE)]
        return " ".join(parts)


@dataclass(frozen=True)
class By(Expr):
    """``operand by DATE``: every name inside is read at ``date`` (innermost wins)."""

    operand: Expr
    date: datetime.date

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)

    def inner_text(self) -> str:
        return f"{self.operand.to_text()} by {self.date.isoformat()}"

    def to_text(self) -> str:
        return f"({self.inner_text()})"


@dataclass(frozen=True)
class Without(Expr):
    """``operand without ID, ...``: names inside are read in the counterfactual run in
    which the economy measures and events ``ids`` are switched off (innermost wins).

    ``ids`` keeps the order written (for printing); its meaning is the set.
    """

    operand: Expr
    ids: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.ids:
            raise ValueError("Without needs at least one id")
        for ident in self.ids:
            if not isinstance(ident, str) or not IDENT_RE.fullmatch(ident) or ident in KEYWORDS:
                raise ValueError(f"not a valid measure or event id: {ident!r}")

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)

    def inner_text(self) -> str:
        op = self.operand
        inner = op.inner_text() if isinstance(op, By) else op.to_text()
        return f"{inner} without {', '.join(self.ids)}"

    def to_text(self) -> str:
        return f"({self.inner_text()})"


@dataclass(frozen=True)
class Call(Expr):
    """``func(args...)`` for a function of :data:`FUNCTIONS`."""

    func: str
    args: tuple[Expr, ...]

    def __post_init__(self) -> None:
        if self.func not in FUNCTIONS:
            raise ValueError(f"unknown function {self.func!r}")
        least, most, usage = FUNCTIONS[self.func]
        if len(self.args) < least or (most is not None and len(self.args) > most):
            raise ValueError(f"wrong number of arguments; usage: {usage}")

    @property
    def reduces(self) -> bool:
        """True for P, E and Q, which reduce over draws."""
        return self.func in REDUCTIONS

    def children(self) -> tuple[Expr, ...]:
        return self.args

    def to_text(self) -> str:
        last = len(self.args) - 1
        # ``without`` lists take every following comma, so only the last argument may
        # drop its parentheses; ``by`` may drop them anywhere.
        args = ", ".join(
            a.inner_text()
            if isinstance(a, By) or (isinstance(a, Without) and i == last)
            else a.to_text()
            for i, a in enumerate(self.args)
        )
        return f"{self.func}({args})"


def depth(expr: Expr) -> tuple[int, Expr]:
    """Nesting depth of the tree and its deepest node (without recursion)."""
    best, deepest = 0, expr
    stack = [(expr, 1)]
    while stack:
        node, d = stack.pop()
        if d > best:
            best, deepest = d, node
        stack.extend((c, d + 1) for c in node.children())
    return best, deepest
