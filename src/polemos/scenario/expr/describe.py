"""Plain-English reading of an expression, for reports and ``polemos explain``-style output."""

from __future__ import annotations

from polemos.scenario.expr.ast import (
    COMPARE,
    NEG,
    NOT,
    BinOp,
    By,
    Call,
    Compare,
    Expr,
    Neg,
    Not,
    Num,
    Without,
)

_COMPARE_WORDS = {
    "<": "is less than",
    "<=": "is at most",
    ">": "is greater than",
    ">=": "is at least",
    "==": "equals",
    "!=": "differs from",
}
_BINARY_WORDS = {
    "+": "plus",
    "-": "minus",
    "*": "times",
    "/": "divided by",
    "and": "and",
    "or": "or",
}


def _part(node: Expr, paren: bool) -> str:
    text = describe(node)
    return f"({text})" if paren else text


def _call(node: Call) -> str:
    args = [describe(a) for a in node.args]
    if node.func == "P":
        return f"the probability that {args[0]}"
    if node.func == "E":
        return f"the expected value of {args[0]}"
    if node.func == "Q":
        level = node.args[1]
        pct = f"{level.value * 100:g}%" if isinstance(level, Num) else args[1]
        return f"the {pct} quantile of {args[0]}"
    if node.func == "abs":
        return f"the absolute value of {args[0]}"
    word = "smallest" if node.func == "min" else "largest"
    return args[0] if len(args) == 1 else f"the {word} of {', '.join(args)}"


def describe(expr: Expr) -> str:
    """An English sentence for ``expr``; parentheses keep grouping unambiguous."""
    if isinstance(expr, Call):
        return _call(expr)
    if isinstance(expr, By):
        return f"{_part(expr.operand, expr.operand.prec < NEG)} as of {expr.date.isoformat()}"
    if isinstance(expr, Without):
        ids = ", ".join(expr.ids)
        return f"{_part(expr.operand, expr.operand.prec < NEG)} had {ids} not happened"
    if isinstance(expr, Neg):
        return f"minus {_part(expr.operand, expr.operand.prec < NEG)}"
    if isinstance(expr, Not):
        return f"not {_part(expr.operand, expr.operand.prec < NOT)}"
    if isinstance(expr, BinOp):
        left = _part(expr.left, expr.left.prec < expr.prec)
        right = _part(expr.right, expr.right.prec <= expr.prec)
        return f"{left} {_BINARY_WORDS[expr.op]} {right}"
    if isinstance(expr, Compare):
        parts = [_part(o, o.prec <= COMPARE) for o in expr.operands]
        out = f"{parts[0]} {_COMPARE_WORDS[expr.ops[0]]} {parts[1]}"
        for op, part in zip(expr.ops[1:], parts[2:], strict=True):
            out += f", which {_COMPARE_WORDS[op]} {part}"
        return out
    return expr.to_text()
