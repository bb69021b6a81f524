"""The Wilson interval touches 0 and 1 exactly at the extremes (report error bars rely on it)."""

from polemos.engine.summary import wilson


def test_wilson_extremes_are_exact():
    assert wilson(0, 500)[0] == 0.0
    assert wilson(500, 500)[1] == 1.0
    low, high = wilson(3, 10)
    assert 0 < low < 0.3 < high < 1
