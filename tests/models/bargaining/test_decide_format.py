"""The decide-exchange-model input format (#A / #P / #M / #D rows), read as it is."""

from __future__ import annotations

import csv
import io
import json
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from polemos.cli.app import app
from polemos.datasets.bargaining import (
    BargainingFormatError,
    is_decide,
    parse_decide,
    read_bargaining_file,
)

SAMPLE = (
    '#/\t"A small two-issue test file written for polemos"\n'
    "#A\tNL\tNetherlands\n"
    '#A\tDE\t"Germany, Federal Republic"\n'
    "#A\tFR\tFrance\tfounding member\n"
    '#P\tdelay\t"Years of delay\tbefore the standard applies"\n'
    "#P\tfund\tFund size\n"
    "#M\tdelay\t0\tno delay\n"
    "#M\tdelay\t10\tten years\n"
    "#D\tNL\tdelay\t4\t0.8\t0.08\n"
    '#D\tDE\tdelay\t"4"\t0.8\t0.21\tstrict\n'
    "#D\tFR\tdelay\t10\t0.6\t0.21\n"
    "\n"
    "#D\tNL\tfund\t20\t0.3\t0.08\n"
    "#D\tFR\tfund\t80\t0.9\t0.30\n"
)


def test_sample_is_read_as_written():
    assert is_decide(SAMPLE)
    issues = parse_decide(SAMPLE, "sample.txt")
    assert list(issues) == ["delay", "fund"]
    d = issues["delay"]
    assert d.actors == ["NL", "DE", "FR"]
    assert d.actor_names == ["Netherlands", "Germany, Federal Republic", "France"]
    assert d.description == "Years of delay\tbefore the standard applies"
    np.testing.assert_array_equal(d.position[:, 0], [4, 4, 10])
    np.testing.assert_array_equal(d.salience[:, 0], [0.8, 0.8, 0.6])
    np.testing.assert_array_equal(d.capability, [0.08, 0.21, 0.21])
    assert d.scale == (0.0, 10.0)  # from the #M rows
    f = issues["fund"]
    assert f.actors == ["NL", "FR"] and f.scale == (0.0, 100.0)  # the program's default


def test_semicolon_layout_reads_the_same():
    semi = SAMPLE.replace("\t", ";").replace('"Years of delay;before', '"Years of delay;before')
    a, b = parse_decide(SAMPLE), parse_decide(semi)
    for k in a:
        np.testing.assert_array_equal(a[k].position, b[k].position)
        np.testing.assert_array_equal(a[k].capability, b[k].capability)


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ("#A\tNL\tN\n#P\tx\tX\n#D\tNL\tx\tfour\t0.5\t0.5\n", ":3", "position"),
        ("#A\tNL\tN\n#P\tx\tX\n#D\tNL\tx\t4\t1.5\t0.5\n", ":3", "salience and power"),
        ("#A\tNL\tN\n#P\tx\tX\n#D\tBE\tx\t4\t0.5\t0.5\n", ":3", "no #A row"),
        ("#A\tNL\tN\n#D\tNL\ty\t4\t0.5\t0.5\n", ":2", "no #P row"),
        ("#A\tNL\tN\n#P\tx\tX\n#D\tNL\tx\t4\t0.5\n", ":3", "needs 6 fields"),
        ("#A\tNL\tN\n#P\tx\tX\n#Q\tNL\n", ":3", "row key"),
        ("#A\tNL\tN\n#P\tx\tX\n", "", "no #D rows"),
        ("#A\tNL\tN\n#P\tx\tX\n#D\tNL\tx\t4\t0.5\t0.5\n#D\tNL\tx\t5\t0.5\t0.5\n", ":4", "second"),
    ],
)
def test_bad_files_say_where_and_what(text, where, what):
    with pytest.raises(BargainingFormatError) as err:
        parse_decide(text, "bad.txt")
    msg = str(err.value)
    assert f"bad.txt{where}" in msg and what in msg


def _write(rows, delimiter, quote_all):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n",
                   quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    w.writerows(rows)
    return buf.getvalue()


NAMES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
                min_size=1, max_size=8).filter(lambda s: not s.startswith("#"))


@settings(max_examples=40, deadline=None)
@given(
    actors=st.lists(NAMES, min_size=2, max_size=6, unique=True),
    data=st.data(),
    delimiter=st.sampled_from(["\t", ";", ","]),
    quote_all=st.booleans(),
)
def test_round_trip(actors, data, delimiter, quote_all):
    n = len(actors)
    pos = data.draw(st.lists(st.floats(-50, 150, allow_nan=False), min_size=n, max_size=n))
    sal = data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))
    power = data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))
    rows = [["#A", a, f"name of {a}"] for a in actors] + [["#P", "q", "an issue, with a comma"]]
    rows += [["#D", a, "q", repr(p), repr(s), repr(w)]
             for a, p, s, w in zip(actors, pos, sal, power, strict=True)]
    (inp,) = parse_decide(_write(rows, delimiter, quote_all)).values()
    assert inp.actors == actors
    np.testing.assert_array_equal(inp.position[:, 0], pos)
    np.testing.assert_array_equal(inp.salience[:, 0], sal)
    np.testing.assert_array_equal(inp.capability, power)
    assert inp.scale[0] <= min(pos) and inp.scale[1] >= max(pos)


@pytest.mark.parametrize("suffix", [".txt", ".csv", ".decide", ""])
def test_polemos_bargain_reads_decide_files(tmp_path, suffix):
    path = tmp_path / f"eu{suffix}"
    path.write_text(SAMPLE, encoding="utf-8")
    assert set(read_bargaining_file(path)) == {"delay", "fund"}
    res = CliRunner().invoke(app, ["bargain", str(path), "--model", "all", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert {(d["issue"], d["model"]) for d in doc} == {
        (i, m) for i in ("delay", "fund") for m in ("compromise", "median", "nash", "eum", "smp")}
    for d in doc:
        lo, hi = (0, 10) if d["issue"] == "delay" else (0, 100)
        assert lo <= d["forecast"] <= hi


def test_polemos_bargain_refuses_a_bad_decide_file(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("#A\tNL\tN\n#P\tx\tX\n#D\tNL\tx\t4\t1.5\t0.5\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["bargain", str(path)])
    assert res.exit_code != 0
    flat = re.sub(r"[\s\u2502]", "", res.output)  # the panel may wrap a long path
    assert "bad.txt:3" in flat and "Traceback" not in res.output


HOSTILE = st.lists(st.sampled_from(list("#ADPM\t;,\" \n\r0123456789.-eE<>/abc=|")),
                   max_size=160).map("".join)


@settings(max_examples=150, deadline=None)
@given(text=HOSTILE, prefix=st.sampled_from(["", "#A\t", "#D\t", "#P\tq\t", "<Scenario>"]))
def test_hostile_text_gives_a_format_error_only(text, prefix):
    from polemos.datasets.bargaining import parse_ktab_xml

    for parse in (parse_decide, parse_ktab_xml):
        try:
            parse(prefix + text, "hostile.txt")
        except BargainingFormatError as exc:
            assert "hostile.txt" in str(exc)
