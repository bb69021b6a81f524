"""Property tests of the expression language (hypothesis)."""

from __future__ import annotations

import datetime as dt
import operator

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from polemos.scenario.expr import (
    BinOp,
    Bool,
    By,
    Call,
    Compare,
    DateLit,
    DictEnv,
    ExprSyntaxError,
    Name,
    Neg,
    Not,
    Num,
    Without,
    check,
    describe,
    evaluate,
    parse,
)
from polemos.scenario.expr.ast import BINARY_PREC, COMPARISONS, KEYWORDS

SETTINGS = settings(deadline=None, max_examples=150)

names = st.from_regex(
    r"[A-Za-z_][A-Za-z0-9_]{0,6}(\.[A-Za-z_][A-Za-z0-9_]{0,4}){0,2}", fullmatch=True
).filter(lambda s: s not in KEYWORDS)
numbers = st.floats(min_value=0, max_value=1e300, allow_nan=False, allow_infinity=False)
dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
leaves = st.one_of(
    st.builds(Num, numbers | st.integers(0, 10**12).map(float)),
    st.builds(Bool, st.booleans()),
    st.builds(DateLit, dates),
    st.builds(Name, names),
)


def _compare(kids):
    def build(n):
        ops = st.lists(st.sampled_from(COMPARISONS), min_size=n, max_size=n)
        operands = st.lists(kids, min_size=n + 1, max_size=n + 1)
        return st.builds(lambda o, e: Compare(tuple(e), tuple(o)), ops, operands)

    return st.integers(1, 3).flatmap(build)


def _extend(kids):
    return st.one_of(
        st.builds(Neg, kids),
        st.builds(Not, kids),
        st.builds(BinOp, st.sampled_from(sorted(BINARY_PREC)), kids, kids),
        _compare(kids),
        st.builds(By, kids, dates),
        st.builds(Without, kids | st.builds(By, kids, dates),
                  st.lists(names, min_size=1, max_size=3).map(tuple)),
        st.builds(lambda f, e: Call(f, (e,)), st.sampled_from(["P", "E", "abs"]), kids),
        st.builds(lambda e, q: Call("Q", (e, Num(q))), kids, st.floats(0, 1)),
        st.builds(
            lambda f, args: Call(f, tuple(args)),
            st.sampled_from(["min", "max"]),
            st.lists(kids, min_size=1, max_size=3),
        ),
    )


exprs = st.recursive(leaves, _extend, max_leaves=25)


@SETTINGS
@given(exprs)
def test_to_text_round_trips(expr):
    text = expr.to_text()
    assert parse(text) == expr
    assert parse(text).to_text() == text


@SETTINGS
@given(exprs)
def test_check_and_describe_never_fail_and_names_are_found(expr):
    assert describe(expr)
    for kind in ("outcome", "claim"):
        for problem in check(expr, expr.names(), kind):
            assert problem.column >= 1 and problem.message
    assert parse(expr.to_text()).names() == expr.names()


FRAGMENTS = [
    "a", "b.c", "P", "E", "Q", "min", "max", "abs", "Pr", "(", ")", ",", "and", "or",
    "not", "<", "<=", ">", "==", "!=", "+", "-", "*", "/", "1", "2.5", "3%", "1e3",
    "1_0", "2026-01-01", "2026-13-40", "by", "without", "true", "false", " ", "=", "&", "!", "%",
    ".", "_", "e", "\n", "é", "0.9",
]  # fmt: skip
token_soup = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join)
spaced_soup = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map(" ".join)


@SETTINGS
@given(st.one_of(token_soup, spaced_soup, st.text(max_size=60)))
def test_random_text_parses_or_raises_syntax_error_only(text):
    try:
        expr = parse(text)
    except ExprSyntaxError as err:
        assert err.message
        assert 1 <= err.column <= len(text) + 1
        return
    assert parse(expr.to_text()) == expr


# --- evaluation of random arithmetic against numpy ---------------------------------------

VARS = ("a", "b", "c")


def _div(x, y):
    with np.errstate(all="ignore"):
        return np.where(y == 0, np.nan, x / np.where(y == 0, 1.0, y))


ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": _div}
arith_leaves = st.one_of(
    st.sampled_from(VARS).map(lambda v: (v, lambda d, v=v: d[v])),
    st.floats(0, 100, allow_nan=False).map(lambda f: (repr(f), lambda d, f=f: np.float64(f))),
)


def _arith_extend(kids):
    def binary(op, left, right):
        f, g, fn = left[1], right[1], ARITH[op]
        return f"({left[0]} {op} {right[0]})", lambda d: fn(f(d), g(d))

    def call(name, args):
        fn = {"min": np.minimum, "max": np.maximum}[name]

        def value(d):
            out = args[0][1](d)
            for arg in args[1:]:
                out = fn(out, arg[1](d))
            return out

        return f"{name}({', '.join(a[0] for a in args)})", value

    return st.one_of(
        st.builds(binary, st.sampled_from(sorted(ARITH)), kids, kids),
        kids.map(lambda k: (f"-{k[0]}", lambda d: -k[1](d))),
        kids.map(lambda k: (f"abs({k[0]})", lambda d: np.abs(k[1](d)))),
        st.builds(call, st.sampled_from(["min", "max"]), st.lists(kids, min_size=1, max_size=3)),
    )


arith = st.recursive(arith_leaves, _arith_extend, max_leaves=12)
draws = hnp.arrays(
    float,
    5,
    elements=st.one_of(st.just(0.0), st.floats(-1e3, 1e3, allow_nan=False)),
)


@SETTINGS
@given(arith, draws, draws, draws)
def test_arithmetic_matches_numpy(case, a, b, c):
    text, reference = case
    values = {"a": a, "b": b, "c": c}
    with np.errstate(all="ignore"):
        expected = np.broadcast_to(reference(values), (5,))
    got = evaluate(parse(text), DictEnv(values))
    assert got.shape == (5,)
    np.testing.assert_allclose(got, expected, rtol=1e-12, equal_nan=True)


@SETTINGS
@given(draws, draws, draws, st.lists(st.sampled_from(COMPARISONS), min_size=2, max_size=2))
def test_comparison_chain_is_pairwise_and(a, b, c, ops):
    got = evaluate(parse(f"a {ops[0]} b {ops[1]} c"), DictEnv({"a": a, "b": b, "c": c}))
    cmp = {
        "<": np.less, "<=": np.less_equal, ">": np.greater,
        ">=": np.greater_equal, "==": np.equal, "!=": np.not_equal,
    }  # fmt: skip
    np.testing.assert_array_equal(got, cmp[ops[0]](a, b) & cmp[ops[1]](b, c))


@SETTINGS
@given(draws, st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_weighted_claims_match_matrix_products(a, n_rows, seed):
    weights = np.random.default_rng(seed).dirichlet(np.ones(5), size=n_rows)
    env = DictEnv({"a": a})
    p = evaluate(parse("P(a > 0)"), env, weights)
    e = evaluate(parse("E(a * 2) - E(a)"), env, weights)
    assert p.shape == e.shape == (n_rows,)
    np.testing.assert_allclose(p, weights @ (a > 0), rtol=1e-12)
    np.testing.assert_allclose(e, weights @ a, rtol=1e-9, atol=1e-9)
    q = evaluate(parse("Q(a, 0.5) <= max(E(a), Q(a, 1))"), env, weights)
    assert q.dtype == bool and q.all()
