"""The hash-chained register: intact chains verify, every kind of tampering is named."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from polemos.forecast import register as R

bodies = st.lists(st.dictionaries(st.sampled_from(["kind", "p", "question", "note"]),
                                  st.one_of(st.integers(-5, 5), st.text(max_size=8),
                                            st.floats(0, 1)), min_size=1),
                  min_size=1, max_size=6)


def _write(tmp_path, items):
    path = tmp_path / "register.jsonl"
    if path.exists():
        path.unlink()
    for body in items:
        R.append(path, body)
    return path


@settings(max_examples=40, deadline=None)
@given(items=bodies, which=st.integers(0, 5))
def test_any_changed_entry_is_named(tmp_path_factory, items, which):
    path = _write(tmp_path_factory.mktemp("r"), items)
    assert R.verify(path) == []
    lines = path.read_text().splitlines()
    i = which % len(lines)
    entry = json.loads(lines[i])
    entry["note"] = "changed" if entry.get("note") != "changed" else "changed again"
    lines[i] = json.dumps(entry)
    path.write_text("\n".join(lines) + "\n")
    breaks = R.verify(path)
    assert breaks and breaks[0].seq == i + 1 and "content changed" in breaks[0].what


def test_removed_and_reordered_entries_break_the_chain(tmp_path):
    path = _write(tmp_path, [{"kind": "resolution", "question": f"q{i}"} for i in range(4)])
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:1] + lines[2:]) + "\n")  # remove entry 2
    b = R.verify(path)
    assert b[0].seq == 3 and "sequence" in b[0].what and "chain" in b[0].what
    path.write_text("\n".join([lines[1], lines[0]] + lines[2:]) + "\n")  # swap 1 and 2
    assert [x.seq for x in R.verify(path)][:2] == [2, 1]
    assert "resolution of q1" in R.verify(path)[0].label


def test_appending_never_rewrites_earlier_lines(tmp_path):
    path = _write(tmp_path, [{"kind": "x", "n": 1}])
    before = path.read_bytes()
    R.append(path, {"kind": "x", "n": 2})
    assert path.read_bytes().startswith(before)
    second = R.entries(path)[1]
    assert second["prev"] == R.entries(path)[0]["hash"] and second["seq"] == 2


def test_a_line_that_is_not_json_is_a_clear_error(tmp_path):
    path = tmp_path / "register.jsonl"
    path.write_text('{"seq": 1}\nnot json\n')
    try:
        R.read(path)
    except R.RegisterError as exc:
        assert ":2:" in str(exc) and "restore it from git" in str(exc)
    else:
        raise AssertionError("no error")


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=300))
def test_any_resolution_file_is_valid_or_a_located_error(tmp_path_factory, text):
    from polemos.forecast.resolutions import load_resolutions
    from polemos.scenario.errors import ScenarioError

    path = tmp_path_factory.mktemp("res") / "r.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_resolutions(path)
    except ScenarioError as exc:
        assert exc.problems and all(p.file == str(path) for p in exc.problems)


@settings(max_examples=40, deadline=None)
@given(lines=st.lists(st.one_of(st.text(max_size=40), st.just('{"seq": 1}'),
                                st.just('{"kind": "freeze"}')), max_size=5))
def test_any_register_text_verifies_or_reports(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("reg") / "register.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        R.verify(path)
    except R.RegisterError as exc:
        assert str(path) in str(exc)
