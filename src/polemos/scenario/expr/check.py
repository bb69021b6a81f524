"""Static checks of a parsed expression: names, where P/E/Q may stand, and types.

Types are inferred without running anything. Names are of unknown type ("any"), so a
name is accepted wherever a number or a condition is needed; literals, P/E/Q (numbers),
comparisons and ``and``/``or``/``not`` (conditions) have known types.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from typing import Literal

from polemos.scenario.errors import did_you_mean
from polemos.scenario.expr.ast import (
    FUNCTIONS,
    KEYWORDS,
    BinOp,
    Bool,
    By,
    Call,
    Compare,
    DateLit,
    Expr,
    Name,
    Neg,
    Not,
    Num,
    Without,
)
from polemos.scenario.expr.errors import ExprProblem, ExprSyntaxError
from polemos.scenario.expr.parser import parse

NUM, BOOL, DATE, ANY = "a number", "a true/false value", "a date", "any"
Kind = Literal["outcome", "claim"]


def start(node: Expr) -> int:
    """Column where the text of ``node`` starts (its leftmost token)."""
    while isinstance(node, BinOp | Compare | By | Without):
        node = node.children()[0]
    return node.pos or 1


def _show(node: Expr) -> str:
    text = node.to_text()
    return repr(text if len(text) <= 40 else text[:37] + "...")


class _Checker:
    def __init__(
        self,
        known: Mapping[str, str] | Container[str],
        kind: Kind,
        switchable: Container[str] | None = None,
    ):
        self.known = known
        self.kind = kind
        self.switchable = switchable
        self.problems: list[ExprProblem] = []

    def add(self, node: Expr, message: str, hint: str = "") -> None:
        self.problems.append(ExprProblem(start(node), message, hint))

    def want(self, node: Expr, got: str, want: str, message: str, hint: str = "") -> None:
        """Report ``node`` (of type ``got``) unless it can be ``want``."""
        if got not in (want, ANY):
            self.add(node, f"{message}; {_show(node)} is {got}", hint)

    def infer(self, node: Expr, reducer: str | None) -> str:
        """Type of ``node``; ``reducer`` is the P/E/Q we are inside, if any."""
        if isinstance(node, Num):
            return NUM
        if isinstance(node, Bool):
            return BOOL
        if isinstance(node, DateLit):
            return DATE
        if isinstance(node, Name):
            self.name(node, reducer)
            return ANY
        if isinstance(node, By):
            return self.infer(node.operand, reducer)
        if isinstance(node, Without):
            self.without(node)
            return self.infer(node.operand, reducer)
        if isinstance(node, Neg):
            self.want(node.operand, self.infer(node.operand, reducer), NUM, "'-' needs a number")
            return NUM
        if isinstance(node, Not):
            got = self.infer(node.operand, reducer)
            self.want(node.operand, got, BOOL, "'not' needs a condition", "compare it, e.g. x > 0")
            return BOOL
        if isinstance(node, BinOp):
            return self.binop(node, reducer)
        if isinstance(node, Compare):
            self.compare(node, reducer)
            return BOOL
        if isinstance(node, Call):
            return self.call(node, reducer)
        raise TypeError(f"not an expression node: {node!r}")

    def name(self, node: Name, reducer: str | None) -> None:
        if node.name not in self.known:
            if node.name.lower() in KEYWORDS:
                hint = f"keywords are lower case: write {node.name.lower()!r}"
            elif node.name in FUNCTIONS:
                hint = f"{node.name} is a function: {FUNCTIONS[node.name][2]}"
            elif isinstance(self.known, Iterable):
                hint = did_you_mean(node.name, self.known)
            else:
                hint = ""
            self.add(node, f"unknown name {node.name!r}", hint)
        if self.kind == "claim" and reducer is None:
            self.add(
                node,
                f"{node.name!r} varies from draw to draw; in a claim it must be inside P, E or Q",
                "wrap it in P(...) or E(...), e.g. P(x) > 0.5 or E(x) > 100",
            )

    def without(self, node: Without) -> None:
        if self.kind == "outcome":
            self.add(
                node,
                "'without' reads a counterfactual run; it belongs in claims, not outcomes",
                "e.g. a claim E(x) - E(x without m1) > 0",
            )
        seen: set[str] = set()
        for ident in node.ids:
            if ident in seen:
                self.add(node, f"{ident!r} is listed twice after 'without'")
            seen.add(ident)
            if self.switchable is not None and ident not in self.switchable:
                hint = (
                    did_you_mean(ident, self.switchable)
                    if isinstance(self.switchable, Iterable)
                    else ""
                )
                self.add(
                    node,
                    f"unknown measure or event id {ident!r} after 'without'",
                    hint or "use an id from economy.measures[].id or events[].id",
                )

    def binop(self, node: BinOp, reducer: str | None) -> str:
        left = self.infer(node.left, reducer)
        right = self.infer(node.right, reducer)
        if node.op in ("and", "or"):
            for side, got in ((node.left, left), (node.right, right)):
                message = f"'{node.op}' needs conditions on both sides"
                self.want(side, got, BOOL, message, "compare it, e.g. x > 0")
            return BOOL
        for side, got in ((node.left, left), (node.right, right)):
            self.want(side, got, NUM, f"'{node.op}' needs numbers on both sides")
        return NUM

    def compare(self, node: Compare, reducer: str | None) -> None:
        types = [self.infer(operand, reducer) for operand in node.operands]
        for i, (left, op, right) in enumerate(node.pairs()):
            a, b = types[i], types[i + 1]
            if op not in ("==", "!=") and BOOL in (a, b):
                culprit = left if a == BOOL else right
                self.want(culprit, BOOL, NUM, f"'{op}' orders numbers or dates")
            elif ANY not in (a, b) and a != b:
                self.add(left, f"'{op}' compares {a} ({_show(left)}) with {b} ({_show(right)})")

    def call(self, node: Call, reducer: str | None) -> str:
        if node.reduces:
            if self.kind == "outcome":
                self.add(
                    node,
                    f"an outcome is defined per draw; {node.func}(...) belongs in claims",
                    "define the outcome without P, E or Q and use them in a claim about it",
                )
            elif reducer is not None:
                self.add(
                    node,
                    f"{node.func}(...) cannot be used inside {reducer}(...)",
                    "P, E and Q give one number over all draws; they do not nest",
                )
            reducer = node.func
        types = [self.infer(arg, reducer) for arg in node.args]
        if node.func == "P":
            self.want(node.args[0], types[0], BOOL, "P(...) needs a condition", "e.g. P(x > 3)")
        elif node.func in ("E", "Q"):
            hint = "use P(...) for the probability of a condition"
            self.want(node.args[0], types[0], NUM, f"{node.func}(...) needs a number", hint)
        else:
            for arg, got in zip(node.args, types, strict=True):
                self.want(arg, got, NUM, f"{node.func}() needs numbers")
        return NUM


def switchable_ids(scenario: object) -> list[str]:
    """The ids ``without`` may name in ``scenario``: economy measures, then events."""
    out: list[str] = []
    economy = getattr(scenario, "economy", None)
    for m in getattr(economy, "measures", None) or ():
        if m.id not in out:
            out.append(m.id)
    for e in getattr(scenario, "events", None) or ():
        if e.id not in out:
            out.append(e.id)
    return out


def _switchable_from_names(known: Mapping[str, str] | Container[str]) -> list[str] | None:
    """Ids a ``known`` mapping declares: ``measure.<id>`` and ``event.<id>`` names
    (``None`` when it declares none of either, i.e. ids cannot be checked)."""
    if not isinstance(known, Iterable) or isinstance(known, str):
        return None
    ids = [k.split(".", 1)[1] for k in known if isinstance(k, str) and k.startswith("measure.")]
    if not ids:
        return None  # without measure ids, a valid measure would look unknown
    ids += [k.split(".", 1)[1] for k in known if isinstance(k, str) and k.startswith("event.")]
    return ids


def check(
    expr: Expr | str,
    known: Mapping[str, str] | Container[str],
    kind: Kind,
    *,
    switchable: Container[str] | None = None,
) -> list[ExprProblem]:
    """Every problem of ``expr`` as an outcome or a claim over the names in ``known``.

    A string is parsed first; a syntax error is then the only problem returned.
    ``switchable``: the ids ``without`` may name (economy measure and event ids, e.g.
    :func:`switchable_ids` of the scenario). When omitted they are taken from ``known``
    if it declares ``measure.<id>`` names (plus its ``event.<id>`` names); otherwise ids
    after ``without`` are not checked here (the engine still rejects unknown ones).
    """
    if kind not in ("outcome", "claim"):
        raise ValueError(f"kind must be 'outcome' or 'claim', not {kind!r}")
    if isinstance(expr, str):
        try:
            expr = parse(expr)
        except ExprSyntaxError as exc:
            return [ExprProblem(exc.column, exc.message, exc.hint)]
    if switchable is None:
        switchable = _switchable_from_names(known)
    checker = _Checker(known, kind, switchable)
    checker.infer(expr, None)
    return checker.problems
