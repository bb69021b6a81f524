"""The safe expression language of outcomes and claims in scenario files.

Parsed by our own LALR grammar (``grammar.lark``); user text is never run as Python.
See ``docs/expressions.md`` for the language. Public API::

    from polemos.scenario.expr import parse, check, evaluate, DictEnv

    e = parse("P(world_war by 2026-12-31) > P(russia_climbdown)")
    problems = check(e, known={"world_war": "...", "russia_climbdown": "..."}, kind="claim")
    values = evaluate(e, env, weights)          # (B,) for a claim, (n_draws,) for an outcome
"""

from polemos.scenario.expr.ast import (
    FUNCTIONS,
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
from polemos.scenario.expr.check import check, switchable_ids
from polemos.scenario.expr.describe import describe
from polemos.scenario.expr.errors import ExprEvalError, ExprProblem, ExprSyntaxError
from polemos.scenario.expr.evaluate import (
    DictEnv,
    Env,
    evaluate,
    is_claim,
    lookups,
    variables,
    weighted_quantile,
)
from polemos.scenario.expr.parser import MAX_DEPTH, MAX_LENGTH, MAX_PARENS, parse

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_PARENS",
    "BinOp",
    "Bool",
    "By",
    "Call",
    "Compare",
    "DateLit",
    "DictEnv",
    "Env",
    "Expr",
    "ExprEvalError",
    "ExprProblem",
    "ExprSyntaxError",
    "Name",
    "Neg",
    "Not",
    "Num",
    "Without",
    "check",
    "describe",
    "evaluate",
    "is_claim",
    "lookups",
    "parse",
    "switchable_ids",
    "variables",
    "weighted_quantile",
]
