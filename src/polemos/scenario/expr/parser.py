"""Text -> syntax tree, with located, plain-language syntax errors.

The grammar (``grammar.lark``, our own) is parsed by lark's LALR(1) parser, which keeps
its own stack (no recursion); the tree is built by callbacks during the parse. Hostile
input is bounded: at most :data:`MAX_LENGTH` characters, :data:`MAX_PARENS` nested
parentheses and a tree at most :data:`MAX_DEPTH` deep (so that printing, checking and
evaluating, which recurse, stay far from Python's recursion limit).
"""

from __future__ import annotations

import datetime
import functools
import importlib.resources
import math

from lark import Lark, Token, Transformer
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, VisitError

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
    depth,
)
from polemos.scenario.expr.errors import ExprSyntaxError

MAX_LENGTH = 2000
MAX_PARENS = 50
MAX_DEPTH = 100

_ALIASES = {
    "pr": "P", "prob": "P", "probability": "P", "mean": "E", "avg": "E", "average": "E",
    "expect": "E", "expected": "E", "expectation": "E", "quantile": "Q", "percentile": "Q",
    "minimum": "min", "maximum": "max", "absolute": "abs", "fabs": "abs",
}  # fmt: skip
_CHAR_HINTS = {
    "=": "use '==' to compare (or '<=', '>=')",
    "&": "use 'and'",
    "|": "use 'or'",
    "!": "use 'not' (or '!=' for 'not equal')",
    "^": "there is no power operator; write x * x",
    "%": "'%' must follow a number directly, e.g. 25%",
    '"': "there are no strings; write names without quotes",
    "'": "there are no strings; write names without quotes",
    "[": "use ( ) for grouping",
    "]": "use ( ) for grouping",
    "{": "use ( ) for grouping",
    "}": "use ( ) for grouping",
}
_VALUE_START = {"NAME", "NUMBER", "DATE", "TRUE", "FALSE", "LPAR", "NOT", "MINUS"}
_VALUE_END = {"NAME", "NUMBER", "DATE", "TRUE", "FALSE", "RPAR"}
_NEEDS_VALUE = {"OR", "AND", "NOT", "COMP_OP", "PLUS", "MINUS", "STAR", "SLASH", "LPAR", "COMMA"}
_FUNCS_HINT = "functions: " + ", ".join(FUNCTIONS)


def _col(tok: Token) -> int:
    return (tok.start_pos or 0) + 1


def _fail(message: str, column: int, hint: str = "") -> ExprSyntaxError:
    return ExprSyntaxError(message, column, hint)


def _suggest_function(word: str) -> str:
    lower = {f.lower(): f for f in FUNCTIONS}
    guess = lower.get(word.lower()) or _ALIASES.get(word.lower())
    return f"did you mean {guess!r}?" if guess else did_you_mean(word, FUNCTIONS)


def start_of(node: Expr) -> int:
    """Column of the leftmost token of ``node`` (positions of operators are kept)."""
    while isinstance(node, BinOp | Compare | By | Without):
        node = node.children()[0]
    return node.pos or 1


def _date(tok: Token) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(tok))
    except ValueError as exc:
        raise _fail(f"invalid date {str(tok)!r}: {exc}", _col(tok), "write YYYY-MM-DD") from None


class _Build(Transformer):
    """Parser callbacks: build :mod:`ast` nodes (run inline by the LALR parser)."""

    def number(self, c):
        text = str(c[0])
        value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
        if not math.isfinite(value):
            raise _fail(f"number {text!r} is too large", _col(c[0]))
        return Num(value, pos=_col(c[0]))

    def date(self, c):
        return DateLit(_date(c[0]), pos=_col(c[0]))

    def true(self, c):
        return Bool(True, pos=_col(c[0]))

    def false(self, c):
        return Bool(False, pos=_col(c[0]))

    def name(self, c):
        return Name(str(c[0]), pos=_col(c[0]))

    def paren(self, c):
        return c[1]

    def by(self, c):
        return By(c[0], _date(c[2]), pos=c[0].pos)

    def without(self, c):
        return Without(c[0], self._ids(c[2]), pos=start_of(c[0]))

    def by_without(self, c):
        inner = By(c[0], _date(c[2]), pos=c[0].pos)
        return Without(inner, self._ids(c[4]), pos=start_of(c[0]))

    @staticmethod
    def _ids(toks) -> tuple[str, ...]:
        return tuple(str(t) for t in toks)

    def idlist(self, c):
        return [t for t in c if isinstance(t, Token) and t.type == "NAME"]

    def arglist(self, c):
        return [x for x in c if not (isinstance(x, Token) and x.type == "COMMA")]

    def neg(self, c):
        return Neg(c[1], pos=_col(c[0]))

    def not_(self, c):
        return Not(c[1], pos=_col(c[0]))

    def binop(self, c):
        return BinOp(str(c[1]), c[0], c[2], pos=_col(c[1]))

    logic = binop

    def compare(self, c):
        ops = tuple(str(t) for t in c[1::2])
        return Compare(tuple(c[0::2]), ops, pos=_col(c[1]))

    def call(self, c):
        func, args = str(c[0]), tuple(c[2] or ())
        col = _col(c[0])
        if func not in FUNCTIONS:
            suggestion = _suggest_function(func)
            message = f"unknown function {func!r}" + (f": {suggestion}" if suggestion else "")
            raise _fail(message, col, _FUNCS_HINT)
        least, most, usage = FUNCTIONS[func]
        if len(args) < least or (most is not None and len(args) > most):
            wanted = f"{least}" if most == least else f"at least {least}"
            noun = "argument" if least == 1 else "arguments"
            raise _fail(f"{func}() takes {wanted} {noun}, got {len(args)}", col, usage)
        if func == "Q":
            _check_level(args[1], col)
        return Call(func, args, pos=col)


def _check_level(level: Expr, col: int) -> None:
    usage = FUNCTIONS["Q"][2]
    if isinstance(level, By):
        raise _fail("'by' belongs to the first argument of Q", level.pos, "Q(x by 2026-12-31, 0.9)")
    if isinstance(level, Without):
        raise _fail(
            "'without' belongs to the first argument of Q, in parentheses",
            level.pos,
            "Q((x without m1), 0.9)",
        )
    if not isinstance(level, Num):
        raise _fail("the level of Q(...) must be a number like 0.9 or 90%", level.pos or col, usage)
    if not 0 <= level.value <= 1:
        raise _fail(
            f"the level of Q(...) must be in [0, 1], got {level.to_text()}", level.pos, usage
        )


@functools.cache
def _lark() -> Lark:
    grammar = importlib.resources.files(__package__).joinpath("grammar.lark").read_text("utf-8")
    return Lark(
        grammar, parser="lalr", lexer="basic", transformer=_Build(), maybe_placeholders=True
    )


def _tokens(text: str) -> list[Token]:
    try:
        return list(_lark().lex(text))
    except UnexpectedCharacters as exc:
        pos = exc.pos_in_stream or 0
        char = text[pos]
        if char.isprintable() and not char.isspace():
            message = f"unexpected character {char!r}"
        else:
            message = f"unexpected character {char!r} (U+{ord(char):04X})"
        raise _fail(message, pos + 1, _CHAR_HINTS.get(char, "")) from None


def _check_parens(tokens: list[Token]) -> None:
    opened: list[Token] = []
    for tok in tokens:
        if tok.type == "LPAR":
            opened.append(tok)
            if len(opened) > MAX_PARENS:
                raise _fail(
                    f"too many nested parentheses (more than {MAX_PARENS})",
                    _col(tok),
                    "split the expression into named outcomes",
                )
        elif tok.type == "RPAR":
            if not opened:
                raise _fail("unbalanced parenthesis: ')' has no matching '('", _col(tok))
            opened.pop()
    if opened:
        col = _col(opened[-1])
        raise _fail(f"unbalanced parenthesis: '(' at column {col} is never closed", col, "add ')'")


def _explain(tok: Token, tokens: list[Token], text: str) -> ExprSyntaxError:
    """Turn lark's 'unexpected token' into a sentence about what was expected."""
    at_end = tok.type == "$END"
    col = len(text) + 1 if at_end else _col(tok)
    before = [t for t in tokens if at_end or (t.start_pos or 0) < (tok.start_pos or 0)]
    prev = before[-1] if before else None
    shown = "the end" if at_end else repr(str(tok))
    got = "" if at_end else f", got {shown}"
    if prev is None:
        return _fail(f"expected a value at the start{got}", col, "e.g. 'x > 0' or 'P(x) > 0.5'")
    if prev.type == "BY":
        return _fail(f"expected a date like 2026-12-31 after 'by'{got}", col)
    if prev.type == "WITHOUT" or (
        prev.type == "COMMA" and any(t.type == "WITHOUT" for t in before)
        and tok.type != "NAME"
    ):
        where = "after 'without'" if prev.type == "WITHOUT" else "in the 'without' list"
        return _fail(
            f"expected a measure or event id {where}{got}",
            col,
            "e.g. E(x without m1, m2); in Q put it in parentheses: Q((x without m1), 0.9)",
        )
    if any(t.type == "WITHOUT" for t in before[-3:]) and tok.type not in ("COMMA", "RPAR"):
        return _fail(
            "'without ID, ...' must come last inside its parentheses or function argument",
            col,
            "e.g. P(x > 0 without m1) or (x without m1) > y",
        )
    if tok.type == "WITHOUT":
        return _fail(
            "'without ID, ...' must close a parenthesised group or the last argument of P or E",
            col,
            "e.g. E(x without m1) or (x by 2026-12-31 without m1, m2) > y",
        )
    if prev.type == "LPAR" and tok.type == "RPAR":
        return _fail("empty parentheses", _col(prev), "put an expression inside or remove them")
    if prev.type in _NEEDS_VALUE:
        hint = "put 'not ...' in parentheses, e.g. a == (not b)" if tok.type == "NOT" else ""
        return _fail(f"expected a value after {str(prev)!r}{got}", col, hint)
    if len(before) > 1 and before[-2].type == "BY":
        return _fail(
            "'by DATE' must come last inside its parentheses or function argument",
            _col(before[-2]),
            "e.g. P((a by 2026-06-30) and b) or P(a and b by 2026-06-30)",
        )
    if tok.type == "BY":
        return _fail(
            "'by DATE' must close a parenthesised group or a function argument",
            col,
            "e.g. P(x by 2026-12-31) or (x by 2026-12-31) > y",
        )
    if tok.type == "COMMA":
        return _fail("',' is only allowed between function arguments", col, "e.g. min(a, b)")
    if tok.type in _VALUE_START and prev.type in _VALUE_END:
        hint = "join them with an operator such as 'and', '+' or '>'"
        if tok.type == "NOT":
            hint = "write 'and not'"
        elif str(tok).lower() in KEYWORDS:
            hint = f"keywords are lower case: write {str(tok).lower()!r}"
        message = f"missing operator between {str(prev)!r} and {str(tok)!r}"
        return _fail(message, col, hint)
    return _fail(f"unexpected {shown}", col)


def parse(text: str) -> Expr:
    """Parse an outcome or claim expression; raise :class:`ExprSyntaxError` if it is not one."""
    if not isinstance(text, str):
        raise TypeError(f"parse() takes a str, not {type(text).__name__}")
    try:
        return _parse(text)
    except ExprSyntaxError as exc:
        exc.text = text[: MAX_LENGTH + 80]
        raise


def _parse(text: str) -> Expr:
    if len(text) > MAX_LENGTH:
        raise _fail(
            f"expression is too long ({len(text)} characters; at most {MAX_LENGTH})",
            MAX_LENGTH + 1,
            "split it into named outcomes",
        )
    tokens = _tokens(text)
    if not tokens:
        raise _fail("empty expression", 1, "e.g. 'x > 0' or 'P(x) > 0.5'")
    _check_parens(tokens)
    try:
        expr = _lark().parse(text)  # the inline callbacks return Expr, not a Tree
    except VisitError as exc:
        if isinstance(exc.orig_exc, ExprSyntaxError):
            raise exc.orig_exc from None
        raise _fail(f"cannot read expression: {exc.orig_exc}", 1) from None
    except UnexpectedInput as exc:
        tok = getattr(exc, "token", None)
        if isinstance(tok, Token):
            raise _explain(tok, tokens, text) from None
        raise _fail("cannot read expression", (exc.pos_in_stream or 0) + 1) from None
    except LarkError as exc:
        raise _fail(f"cannot read expression: {exc}", 1) from None
    if not isinstance(expr, Expr):
        raise _fail("cannot read expression", 1)
    levels, deepest = depth(expr)
    if levels > MAX_DEPTH:
        raise _fail(
            f"expression is nested too deeply (more than {MAX_DEPTH} levels)",
            deepest.pos or 1,
            "split it into named outcomes",
        )
    return expr
