"""The ``without`` modifier: parsing, printing, checking and evaluation."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from polemos.scenario.expr import (
    By,
    Call,
    DictEnv,
    ExprEvalError,
    ExprSyntaxError,
    Name,
    Num,
    Without,
    check,
    evaluate,
    lookups,
    parse,
)

D = dt.date(2026, 10, 24)


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("E(x without m)", Call("E", (Without(Name("x"), ("m",)),))),
        ("E(x by 2026-10-24 without m1, m2)",
         Call("E", (Without(By(Name("x"), D), ("m1", "m2")),))),
        ("P(a > 1 without e)", None),
        ("(x without m) > 1", None),
        ("Q((x without m), 0.9)", Call("Q", (Without(Name("x"), ("m",)), Num(0.9)))),
        ("min(a, b without c)", None),
        ("E(x) - E(x without us_rosneft_lukoil)", None),
        ("E((x without a) without b)", None),
    ],
)
def test_parses_and_round_trips(text, tree):
    e = parse(text)
    if tree is not None:
        assert e == tree
    assert e.to_text() == text
    assert parse(e.to_text()) == e


def test_withouts_and_lookups():
    e = parse("E(x) - E(x by 2026-10-24 without m2, m1) + P((y without e) > 0)")
    assert e.withouts() == {frozenset({"m1", "m2"}), frozenset({"e"})}
    assert lookups(e) == {("x", None, frozenset()), ("x", D, frozenset({"m1", "m2"})),
                          ("y", None, frozenset({"e"}))}
    inner = parse("E((x without a) without b)")
    assert lookups(inner) == {("x", None, frozenset({"a"}))}  # the innermost wins


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("E(x without)", 12, "after 'without'"),
        ("Q(x without m, 0.9)", 16, "without' list"),
        ("x without m", 3, "must close"),
        ("E(x without m + 1)", 15, "must come last"),
        ("E(x without 3)", 13, "after 'without'"),
        ("E(x without m,)", 15, "without' list"),
    ],
)
def test_syntax_errors_are_located(text, column, words):
    with pytest.raises(ExprSyntaxError) as err:
        parse(text)
    assert err.value.column == column
    assert words in err.value.message


def test_without_is_a_keyword_but_dotted_names_keep_it():
    assert parse("a.without > 0").names() == {"a.without"}
    with pytest.raises(ValueError):
        Without(Name("x"), ())
    with pytest.raises(ValueError):
        Without(Name("x"), ("by",))


def test_check_rejects_unknown_ids_with_a_suggestion():
    known = {"x": ""}
    ok = check("E(x without us_rosneft_lukoil) < E(x)", known, "claim",
               switchable=["us_rosneft_lukoil", "tomahawk_delivery"])
    assert ok == []
    bad = check("E(x without us_rosneft_lukoi) < E(x)", known, "claim",
                switchable=["us_rosneft_lukoil", "tomahawk_delivery"])
    assert len(bad) == 1
    assert "unknown measure or event id 'us_rosneft_lukoi'" in bad[0].message
    assert "us_rosneft_lukoil" in bad[0].hint
    twice = check("E(x without m, m) > 0", known, "claim", switchable=["m"])
    assert "twice" in twice[0].message


def test_check_takes_ids_from_known_names_or_skips_them():
    known = {"x": "", "measure.m1": "", "event.e1": ""}
    assert check("E(x without m1, e1) > 0", known, "claim") == []
    assert check("E(x without m2) > 0", known, "claim")
    # a plain `known` (no measure.<id> names, as before): ids are not checked here
    assert check("E(x without anything) > 0", {"x": ""}, "claim") == []


def test_check_rejects_without_in_outcomes():
    problems = check("(x without m) > 0", {"x": ""}, "outcome", switchable=["m"])
    assert any("belongs in claims" in p.message for p in problems)


def test_evaluate_reads_the_counterfactual_with_paired_rows():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    env = DictEnv({"x": x}, counterfactuals={frozenset({"m"}): {"x": x + 0.5}})
    assert evaluate("E(x without m) - E(x)", env)[0] == pytest.approx(0.5)
    w = np.array([[1.0, 0, 0, 0], [0, 0, 0, 1.0]])
    # any resample of the rows gives the same paired difference
    assert np.allclose(evaluate("E(x without m) - E(x)", env, w), 0.5)
    with pytest.raises(ExprEvalError, match="no counterfactual"):
        evaluate("E(x without other) > 0", env)


def test_plain_environments_are_called_as_before():
    class Env:
        def value(self, name, at):  # no `without` keyword
            return np.arange(3.0)

    assert evaluate("E(x by 2026-01-01) > 0", Env())[0]
