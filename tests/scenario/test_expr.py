"""The expression language: parsing, errors, checks and evaluation over draws."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from polemos.scenario.expr import (
    MAX_LENGTH,
    BinOp,
    Bool,
    By,
    Call,
    Compare,
    DateLit,
    DictEnv,
    ExprEvalError,
    ExprProblem,
    ExprSyntaxError,
    Name,
    Neg,
    Not,
    Num,
    check,
    describe,
    evaluate,
    is_claim,
    parse,
    variables,
    weighted_quantile,
)

a, b, c, x = Name("a"), Name("b"), Name("c"), Name("x")
D1, D2 = dt.date(2026, 6, 30), dt.date(2026, 12, 31)


# --- literals and names -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("300000", 300000.0),
        ("300_000", 300000.0),
        ("0.25", 0.25),
        (".5", 0.5),
        ("1e-3", 0.001),
        ("2.5E+2", 250.0),
        ("25%", 0.25),
        ("7%", 0.07),
        ("1_000.5", 1000.5),
    ],
)
def test_number_literals(text, value):
    assert parse(text) == Num(value)


def test_date_bool_and_dotted_names():
    assert parse("2026-08-10") == DateLit(dt.date(2026, 8, 10))
    assert parse("true") == Bool(True)
    assert parse("false") == Bool(False)
    assert parse("forces.donbas.RUS") == Name("forces.donbas.RUS")
    assert parse("android") == Name("android")  # a keyword prefix is still a name
    assert parse("x.and") == Name("x.and")


def test_date_needs_no_spaces_to_differ_from_subtraction():
    assert parse("2026 - 08 - 10") == BinOp("-", BinOp("-", Num(2026), Num(8)), Num(10))


# --- precedence and chaining --------------------------------------------------------


def test_precedence_arithmetic():
    assert parse("a + b * c") == BinOp("+", a, BinOp("*", b, c))
    assert parse("a - b - c") == BinOp("-", BinOp("-", a, b), c)
    assert parse("a / b * c") == BinOp("*", BinOp("/", a, b), c)
    assert parse("-a * b") == BinOp("*", Neg(a), b)
    assert parse("-(a + b)") == Neg(BinOp("+", a, b))
    assert parse("a - -b") == BinOp("-", a, Neg(b))


def test_precedence_logic():
    assert parse("a or b and c") == BinOp("or", a, BinOp("and", b, c))
    assert parse("not a and b") == BinOp("and", Not(a), b)
    assert parse("not a < b") == Not(Compare((a, b), ("<",)))
    assert parse("a + 1 > b * 2") == Compare((BinOp("+", a, Num(1)), BinOp("*", b, Num(2))), (">",))
    assert parse("a > 1 or b < 2 and not c") == BinOp(
        "or",
        Compare((a, Num(1)), (">",)),
        BinOp("and", Compare((b, Num(2)), ("<",)), Not(c)),
    )


def test_comparison_chain():
    e = parse("P(a) > P(b) > P(c)")
    assert e == Compare((Call("P", (a,)), Call("P", (b,)), Call("P", (c,))), (">", ">"))
    assert parse("0 <= x < 1") == Compare((Num(0), x, Num(1)), ("<=", "<"))
    # explicit parentheses are not a chain
    assert parse("(a < b) < c") == Compare((Compare((a, b), ("<",)), c), ("<",))


@pytest.mark.parametrize("op", ["<", "<=", ">", ">=", "==", "!="])
def test_each_comparison(op):
    assert parse(f"a {op} b") == Compare((a, b), (op,))


def test_calls_and_by():
    assert parse("P(ukraine_defeat by 2026-12-31)") == Call("P", (By(Name("ukraine_defeat"), D2),))
    assert parse("E(forces.donbas.UKR by 2026-06-30)") == Call(
        "E", (By(Name("forces.donbas.UKR"), D1),)
    )
    assert parse("Q(x by 2026-06-30, 90%)") == Call("Q", (By(x, D1), Num(0.9)))
    assert parse("min(a, b, c)") == Call("min", (a, b, c))
    assert parse("max(a, 1)") == Call("max", (a, Num(1)))
    assert parse("abs(a - b)") == Call("abs", (BinOp("-", a, b),))
    assert parse("(a by 2026-06-30) > a") == Compare((By(a, D1), a), (">",))
    assert parse("P(a and b by 2026-06-30)") == Call("P", (By(BinOp("and", a, b), D1),))


def test_names_dates_and_text():
    e = parse("P(world_war by 2026-12-31) > P(russia_climbdown) > E(x.y by 2026-06-30)")
    assert e.names() == {"world_war", "russia_climbdown", "x.y"}
    assert e.dates() == {D1, D2}
    assert e.to_text() == "P(world_war by 2026-12-31) > P(russia_climbdown) > E(x.y by 2026-06-30)"
    assert parse("((a))+(b*c)").to_text() == "a + b * c"
    assert parse("a-(b-c)").to_text() == "a - (b - c)"
    assert parse("300_000 + 25%").to_text() == "300000 + 0.25"
    assert str(parse("not(a)")) == "not a"


@pytest.mark.parametrize(
    "text",
    [
        "P(a) > P(b) > P(c)",
        "(a < b) == (b < c)",
        "not (a or b) and c",
        "-(-a) - -b",
        "((a by 2026-06-30) by 2026-12-31) + 1",
        "Q(x by 2026-06-30, 0.05) < 1e-05",
        "min(a, max(b, c)) / abs(x) * 1e+20",
        "x >= 2026-08-10",
    ],
)
def test_round_trip(text):
    e = parse(text)
    assert parse(e.to_text()) == e
    assert parse(e.to_text()).to_text() == e.to_text()


def test_nodes_reject_invalid_values():
    with pytest.raises(ValueError, match="finite value >= 0"):
        Num(-1.0)
    with pytest.raises(ValueError, match="not a valid name"):
        Name("and")
    with pytest.raises(ValueError, match="unknown function"):
        Call("eval", (a,))


# --- syntax errors: message, column, hint ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "column", "message", "hint"),
    [
        ("a and", 6, "expected a value after 'and'", ""),
        ("a and or b", 7, "expected a value after 'and', got 'or'", ""),
        ("P(a) > ", 8, "expected a value after '>'", ""),
        ("a < not b", 5, "expected a value after '<', got 'not'", "parentheses"),
        ("* a", 1, "expected a value at the start, got '*'", ""),
        ("P(a", 2, "unbalanced parenthesis: '(' at column 2 is never closed", "add ')'"),
        ("(a + b))", 8, "unbalanced parenthesis: ')' has no matching '('", ""),
        ("Pr(a)", 1, "unknown function 'Pr': did you mean 'P'?", "functions: P, E, Q"),
        ("x + mean(y)", 5, "unknown function 'mean': did you mean 'E'?", ""),
        ("p(a)", 1, "unknown function 'p': did you mean 'P'?", ""),
        ("eval(a)", 1, "unknown function 'eval'", "functions:"),
        ("a b", 3, "missing operator between 'a' and 'b'", "operator"),
        ("a AND b", 3, "missing operator between 'a' and 'AND'", "write 'and'"),
        ("x = 1", 3, "unexpected character '='", "use '=='"),
        ("a && b", 3, "unexpected character '&'", "use 'and'"),
        ("x ^ 2", 3, "unexpected character '^'", "no power operator"),
        ("'x'", 1, 'unexpected character "\'"', "no strings"),
        ("x by 2026-01-01", 3, "'by DATE' must close a parenthesised group", "P(x by"),
        ("P(a by 2026-01-01 and b)", 5, "'by DATE' must come last", ""),
        ("P(a by tomorrow)", 8, "expected a date like 2026-12-31 after 'by'", ""),
        ("P(a by 2026-02-30)", 8, "invalid date '2026-02-30'", "YYYY-MM-DD"),
        ("P()", 1, "P() takes 1 argument, got 0", "P(condition"),
        ("E(a, b)", 1, "E() takes 1 argument, got 2", ""),
        ("Q(a)", 1, "Q() takes 2 arguments, got 1", ""),
        ("Q(a, 1.5)", 6, "the level of Q(...) must be in [0, 1], got 1.5", ""),
        ("Q(a, b)", 6, "the level of Q(...) must be a number", ""),
        ("Q(a, 0.9 by 2026-01-01)", 6, "'by' belongs to the first argument of Q", ""),
        ("a, b", 2, "',' is only allowed between function arguments", ""),
        ("()", 1, "empty parentheses", ""),
        ("", 1, "empty expression", ""),
        ("   ", 1, "empty expression", ""),
        ("1e999 > a", 1, "number '1e999' is too large", ""),
    ],
)
def test_syntax_errors(text, column, message, hint):
    with pytest.raises(ExprSyntaxError) as info:
        parse(text)
    err = info.value
    assert err.message.startswith(message), err.message
    assert err.column == column
    assert hint in err.hint
    assert isinstance(err, ValueError)
    assert str(err).startswith(f"column {column}: {err.message}")


def test_error_pointer_marks_the_column():
    with pytest.raises(ExprSyntaxError) as info:
        parse("P(a) > P(b) and")
    lines = info.value.pointer().splitlines()
    assert lines[0] == "P(a) > P(b) and"
    assert lines[1].index("^") == 15


def test_column_counts_from_start_of_multiline_text():
    with pytest.raises(ExprSyntaxError) as info:
        parse("P(a) >\n  P(b) and")
    assert info.value.column == len("P(a) >\n  P(b) and") + 1


def test_parse_rejects_non_text():
    with pytest.raises(TypeError, match="takes a str"):
        parse(b"a")  # type: ignore[arg-type]


# --- hostile input --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("(" * 100_000 + "a" + ")" * 100_000, "expression is too long"),
        ("a" * 1_000_000, "expression is too long"),
        ("a+" * 600_000 + "a", "expression is too long"),
        ("(" * 900 + "a" + ")" * 900, "too many nested parentheses (more than 50)"),
        ("-" * 1500 + "a", "nested too deeply (more than 100 levels)"),
        ("not " * 400 + "a", "nested too deeply"),
        ("+".join(["a"] * 900), "nested too deeply"),
        ("abs(" * 45 + "-" * 60 + "a" + ")" * 45, "nested too deeply"),
    ],
)
def test_hostile_input_is_rejected_quickly(text, message):
    with pytest.raises(ExprSyntaxError) as info:
        parse(text)
    assert message in info.value.message
    if "too long" in message:
        assert info.value.column == MAX_LENGTH + 1


def test_limits_leave_room_for_real_expressions():
    e = parse("(" * 50 + "a" + ")" * 50)
    assert e == a
    long_sum = " + ".join(f"v{i}" for i in range(90))
    assert len(parse(long_sum).names()) == 90


# --- check ------------------------------------------------------------------------------

KNOWN = {
    "world_war": "a world war starts",
    "russia_climbdown": "",
    "us_climbdown": "",
    "forces.donbas.UKR": "",
    "economy.RUS.revenue": "",
    "a": "",
    "b": "",
}


def problems(text, kind, known=KNOWN):
    return [(p.column, p.message, p.hint) for p in check(parse(text), known, kind)]


def test_check_accepts_good_outcomes_and_claims():
    assert problems("world_war and not russia_climbdown", "outcome") == []
    assert problems("forces.donbas.UKR < 1000 and (a by 2026-06-30) > b", "outcome") == []
    assert problems("P(world_war) > P(russia_climbdown) > P(us_climbdown)", "claim") == []
    assert (
        problems("E(economy.RUS.revenue by 2026-06-30) - E(economy.RUS.revenue) > 0", "claim") == []
    )
    assert problems("Q(forces.donbas.UKR, 0.1) > 5000 and P(a) < 20%", "claim") == []


def test_check_unknown_name_with_suggestion():
    assert problems("P(wrld_war) > 0.5", "claim") == [
        (3, "unknown name 'wrld_war'", "did you mean 'world_war'?")
    ]
    assert problems("zzz > 1", "outcome") == [(1, "unknown name 'zzz'", "")]
    (p,) = problems("True or a", "outcome")
    assert p == (1, "unknown name 'True'", "keywords are lower case: write 'true'")
    (p,) = problems("P > 1", "outcome")
    assert p[2].startswith("P is a function")


def test_check_known_may_be_any_container():
    class Anything:
        def __contains__(self, item):
            return True

    assert check(parse("whatever > 1"), Anything(), "outcome") == []
    assert check(parse("x > 1"), frozenset({"x"}), "outcome") == []


def test_check_outcome_rejects_reductions():
    assert problems("P(world_war) > 0.5", "outcome") == [
        (
            1,
            "an outcome is defined per draw; P(...) belongs in claims",
            "define the outcome without P, E or Q and use them in a claim about it",
        )
    ]


def test_check_claim_needs_names_inside_reductions():
    ((col, message, hint),) = problems("P(a) > 0.5 and b", "claim")
    assert col == 16
    assert message == "'b' varies from draw to draw; in a claim it must be inside P, E or Q"
    assert "wrap it in P(...) or E(...)" in hint


def test_check_nested_reductions():
    ((col, message, _),) = problems("P(E(a) > 1) > 0.5", "claim")
    assert (col, message) == (3, "E(...) cannot be used inside P(...)")


@pytest.mark.parametrize(
    ("text", "kind", "column", "message"),
    [
        ("P(3) > 0", "claim", 3, "P(...) needs a condition; '3' is a number"),
        ("a and 2", "outcome", 7, "'and' needs conditions on both sides; '2' is a number"),
        ("1 or a", "outcome", 1, "'or' needs conditions on both sides; '1' is a number"),
        ("not 3", "outcome", 5, "'not' needs a condition; '3' is a number"),
        ("-true", "outcome", 2, "'-' needs a number; 'true' is a true/false value"),
        ("a + (b > 1)", "outcome", 6, "'+' needs numbers on both sides; 'b > 1' is a true/false"),
        ("true < 3", "outcome", 1, "'<' orders numbers or dates; 'true' is a true/false value"),
        ("(a > b) == 1", "outcome", 2, "'==' compares a true/false value ('a > b') with a number"),
        ("2026-01-01 < 3", "outcome", 1, "'<' compares a date ('2026-01-01') with a number"),
        ("E(a > b) > 1", "claim", 3, "E(...) needs a number; 'a > b' is a true/false value"),
        ("Q(a > b, 0.5) > 1", "claim", 3, "Q(...) needs a number"),
        ("min(a, true)", "outcome", 8, "min() needs numbers; 'true' is a true/false value"),
        ("P(a) + (P(b) > 0)", "claim", 9, "'+' needs numbers on both sides"),
    ],
)
def test_check_type_errors(text, kind, column, message):
    found = problems(text, kind)
    assert len(found) == 1, found
    assert found[0][0] == column
    assert found[0][1].startswith(message), found[0][1]


def test_check_is_lenient_with_names():
    # names may be numbers or conditions: no type complaints
    assert problems("a and b + 1 > 2 and not a", "outcome") == []
    assert problems("P(a) + E(b) > P(a and b)", "claim") == []


def test_check_takes_text_and_reports_syntax_errors():
    assert check("P(a) >", KNOWN, "claim") == [ExprProblem(7, "expected a value after '>'", "")]
    assert check("P(a) > 0.5", KNOWN, "claim") == []
    with pytest.raises(ValueError, match="kind must be"):
        check("a", KNOWN, "verdict")  # type: ignore[arg-type]


# --- evaluation ---------------------------------------------------------------------

A = np.array([1.0, 2.0, 3.0, 4.0])
B = np.array([True, False, True, True])
C = np.array([0.0, 2.0, np.nan, -1.0])


@pytest.fixture
def env():
    return DictEnv({"a": A, "b": B, "c": C, "z": np.zeros(4)})


def ev(text, env, weights=None):
    return evaluate(parse(text), env, weights)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a + 1", A + 1),
        ("a - 1", A - 1),
        ("a * a", A * A),
        ("a / 2", A / 2),
        ("-a", -A),
        ("2 * -a + 1", 2 * -A + 1),
        ("min(a, 2.5)", np.minimum(A, 2.5)),
        ("max(a, 2.5, 3.5)", np.maximum(np.maximum(A, 2.5), 3.5)),
        ("abs(a - 2.5)", np.abs(A - 2.5)),
        ("b + 1", B + 1.0),
        ("a > 2", A > 2),
        ("a >= 2", A >= 2),
        ("a < 2", A < 2),
        ("a <= 2", A <= 2),
        ("a == 2", A == 2),
        ("a != 2", A != 2),
        ("b and a > 1", B & (A > 1)),
        ("b or a > 1", B | (A > 1)),
        ("not b", ~B),
        ("1 < a < 4", (A > 1) & (A < 4)),
        ("a <= 3 > 1", A <= 3),
        ("25% * a", 0.25 * A),
    ],
)
def test_evaluate_outcome_operators(text, expected, env):
    got = ev(text, env)
    assert got.shape == (4,)
    np.testing.assert_allclose(got.astype(float), np.asarray(expected, dtype=float))


def test_evaluate_nan_and_division_by_zero(env):
    np.testing.assert_array_equal(ev("a / z", env), [np.nan] * 4)
    np.testing.assert_array_equal(ev("z / z", env), [np.nan] * 4)
    np.testing.assert_array_equal(ev("c > -5", env), [True, True, False, True])
    np.testing.assert_array_equal(ev("c != 1", env), [True, True, False, True])
    np.testing.assert_array_equal(ev("c == c", env), [True, True, False, True])
    np.testing.assert_array_equal(ev("c and true", env), [False, True, False, True])


def test_evaluate_constant_outcome_has_draw_shape(env):
    np.testing.assert_array_equal(ev("true", env), [True] * 4)
    np.testing.assert_array_equal(ev("1 + 2", env), [3.0] * 4)
    assert ev("1 + 2", DictEnv({})).shape == ()


def test_by_reads_names_at_the_date():
    seen = []

    def forces(at):
        seen.append(at)
        return {None: np.array([10.0, 0.0]), D1: np.array([5.0, 5.0]), D2: np.array([1.0, 2.0])}[at]

    env = DictEnv({"f": forces, "g": np.array([3.0, 4.0])})
    np.testing.assert_array_equal(ev("f", env), [10.0, 0.0])
    np.testing.assert_array_equal(ev("(f by 2026-06-30)", env), [5.0, 5.0])
    np.testing.assert_array_equal(ev("(f by 2026-06-30) - (f by 2026-12-31)", env), [4.0, 3.0])
    # innermost by wins; a plain array is the same at every date
    np.testing.assert_array_equal(ev("((f by 2026-06-30) + f + g by 2026-12-31)", env), [9.0, 11.0])
    np.testing.assert_allclose(ev("E(f by 2026-12-31)", env), [1.5])
    np.testing.assert_allclose(ev("P(f > (f by 2026-06-30))", env), [0.5])
    assert set(seen) == {None, D1, D2}
    assert variables(parse("P((f by 2026-06-30) > f by 2026-12-31) > E(g)")) == {
        ("f", D1),
        ("f", D2),
        ("g", None),
    }


def test_lookups_are_cached():
    calls = []
    env = DictEnv({"f": lambda at: calls.append(at) or np.array([1.0, 2.0])})
    ev("f + f * f > f", env)
    assert calls == [None]


def test_claims_uniform_weights(env):
    np.testing.assert_allclose(ev("P(b)", env), [0.75])
    np.testing.assert_allclose(ev("E(a)", env), [2.5])
    np.testing.assert_allclose(ev("P(a > 1) - E(a) / 10", env), [0.5])
    np.testing.assert_array_equal(ev("P(b) > P(a > 2) > P(a > 3)", env), [True])
    np.testing.assert_array_equal(ev("P(a > 2) > P(b)", env), [False])
    assert is_claim(parse("1 + E(a)")) and not is_claim(parse("a + 1"))


def test_claims_with_weight_matrix_match_hand_computation(env):
    W = np.array(
        [
            [0.25, 0.25, 0.25, 0.25],
            [1.0, 0.0, 0.0, 0.0],
            [0.0, 0.5, 0.0, 0.5],
        ]
    )
    p = ev("P(b)", env, W)
    assert p.shape == (3,)
    np.testing.assert_allclose(p, [0.75, 1.0, 0.5])
    np.testing.assert_allclose(ev("E(a)", env, W), [2.5, 1.0, 3.0])
    np.testing.assert_allclose(ev("E(a * a)", env, W), [7.5, 1.0, 10.0])
    np.testing.assert_array_equal(ev("E(a) > 2", env, W), [True, False, True])
    np.testing.assert_allclose(ev("Q(a, 0.5)", env, W), [2.0, 1.0, 2.0])
    np.testing.assert_allclose(ev("Q(a, 0.51)", env, W), [3.0, 1.0, 4.0])
    np.testing.assert_allclose(ev("P(true)", env, W), [1.0, 1.0, 1.0])
    # a single 1-d weight vector is one row
    np.testing.assert_allclose(ev("E(a)", env, np.array([0.0, 0.0, 0.0, 1.0])), [4.0])


def test_weighted_quantile_matches_numpy_for_uniform_weights(rng):
    values = rng.normal(size=37)
    uniform = np.full((1, 37), 1 / 37)
    for q in [0.0, 0.1, 0.25, 0.5, 0.9, 1.0]:
        expected = np.quantile(values, q, method="inverted_cdf")
        assert weighted_quantile(values, uniform, q)[0] == expected


def test_weighted_quantile_with_bootstrap_counts(rng):
    values = rng.normal(size=20)
    counts = rng.multinomial(20, np.full(20, 1 / 20), size=5)
    got = weighted_quantile(values, counts / 20, 0.3)
    for row, count in zip(got, counts, strict=True):
        assert row == np.quantile(np.repeat(values, count), 0.3, method="inverted_cdf")


@pytest.mark.parametrize(
    ("text", "weights", "message"),
    [
        ("P(a) + a", None, "'a' is outside P, E or Q in a claim"),
        ("P(a > 1) > P(P(b) > 0)", None, "P(...) cannot be used inside P, E or Q"),
        ("E(a)", np.full((2, 3), 1 / 3), "'a' has 4 draws, expected 3"),
        ("E(a)", np.full((2, 4), 0.3), "each row of weights must sum to 1"),
        ("E(a)", np.array([[1.5, -0.5, 0, 0]]), "finite and not negative"),
        ("E(a)", np.ones((1, 2, 2, 1)), "weights must have shape (B, n_draws)"),
        ("E(a)", np.ones((1, 2, 2)), "grouped weights must sum to 1"),
        ("E(nope)", None, "unknown name 'nope'"),
        ("E(aa)", None, "unknown name 'aa': did you mean 'a'?"),
    ],
)
def test_evaluation_errors(text, weights, message, env):
    with pytest.raises(ExprEvalError) as info:
        ev(text, env, weights)
    assert message in str(info.value)


def test_outcome_with_reduction_fails_in_evaluate(env):
    assert ev("P(a > 2)", env).shape == (1,)  # a claim
    with pytest.raises(ExprEvalError, match="must be a 1-d array"):
        ev("m > 1", DictEnv({"m": np.ones((2, 2))}))


def test_date_literals_compare_with_date_values():
    days = np.array(["2026-05-01", "2026-09-01"], dtype="datetime64[D]")
    env = DictEnv({"ceasefire": days})
    np.testing.assert_array_equal(ev("ceasefire < 2026-08-10", env), [True, False])
    with pytest.raises(ExprEvalError, match="date was used as a number"):
        ev("ceasefire + 1", env)


def test_evaluate_and_check_accept_text(env):
    np.testing.assert_array_equal(evaluate("a + 1", env), A + 1)
    with pytest.raises(ExprSyntaxError, match="expected a value after"):
        evaluate("a +", env)


@pytest.mark.parametrize(
    ("text", "english"),
    [
        (
            "P(world_war) > P(russia_climbdown) > P(us_climbdown)",
            "the probability that world_war is greater than the probability that "
            "russia_climbdown, which is greater than the probability that us_climbdown",
        ),
        (
            "P(ukraine_defeat by 2026-12-31) < 10%",
            "the probability that ukraine_defeat as of 2026-12-31 is less than 0.1",
        ),
        (
            "E(a by 2026-06-30) - E(a) >= 0",
            "the expected value of a as of 2026-06-30 minus the expected value of a is at least 0",
        ),
        ("Q(x, 0.9) != max(a, b)", "the 90% quantile of x differs from the largest of a, b"),
        (
            "not (a or b) and -c == abs(x)",
            "not (a or b) and minus c equals the absolute value of x",
        ),
        ("(a + b) * (c by 2026-06-30)", "(a plus b) times c as of 2026-06-30"),
    ],
)
def test_describe(text, english):
    assert describe(parse(text)) == english
