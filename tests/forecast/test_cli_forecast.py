"""``polemos forecast freeze|resolve|verify|score`` end to end on a small scenario."""

from __future__ import annotations

import json
import shutil

import pytest

from polemos.cli.app import main

from .conftest import read_entries

RESOLUTIONS = """\
resolutions:
  - question: summit_held
    outcome: yes
    date: 2025-08-15
    sources: [{title: "Leaders meet", url: "https://example.org/meet", date: 2025-08-15}]
  - question: mini/truce_by_october
    outcome: no
    date: 2025-10-01
    sources: [{title: "No truce", url: "https://example.org/none", date: 2025-10-02}]
  - question: deal_by_new_year
    outcome: no
    date: 2026-01-01
    sources: [{title: "No deal", url: "https://example.org/nodeal", date: 2026-01-02}]
  - question: rus_resolve
    value: 0.7
    date: 2026-01-01
    sources: [{title: "Index", url: "https://example.org/index", date: 2026-01-05}]
references:
  - {question: truce_by_october, name: crowd, p: 0.2, date: 2025-08-10,
     source: {title: "A market", url: "https://example.org/market", date: 2025-08-10}}
"""


def test_freeze_records_dated_probabilities(frozen):
    entry = read_entries(frozen / "forecasts" / "register.jsonl")[0]
    assert entry["kind"] == "freeze" and entry["seq"] == 1 and entry["prev"] == "0" * 64
    assert len(entry["content_hash"]) == 64 and entry["as_of"] == "2025-08-10"
    assert entry["polemos_version"] and entry["frozen_at"] and entry["backtest"] is True
    assert entry["contaminated"] is False and entry["late_sources"] == []
    q = {x["id"]: x for x in entry["questions"]}
    # the summit is certain on 15 August, except in draws that ended (an absorbing
    # outcome) before it: their state is frozen at the end
    assert 0.98 <= q["summit_held"]["p"] <= 1.0
    assert q["summit_early"]["p"] == 0.0         # the second cannot have happened before its date
    assert q["summit_early"]["read_on"] == "2025-10-26"  # the end of the week holding 20 Oct
    # a 0.5 event, in the draws still running on its date (many end in a deal before)
    assert 0.0 < q["truce_by_october"]["p"] < 0.55
    lo, p, hi = (q["truce_by_october"][k] for k in ("p_low", "p", "p_high"))
    assert lo < p < hi
    spread = q["truce_by_october"]["spread"]  # 600 draws = 30 worlds x 20 paths
    assert spread["worlds"] == 30 and spread["paths"] == 20
    assert 0 <= spread["p05"] <= spread["p50"] <= spread["p95"] <= 1
    assert q["summit_early"]["spread"]["p95"] == 0.0
    assert len(q["rus_resolve"]["quantiles"]) == 100
    assert q["rus_resolve"]["quantiles"] == sorted(q["rus_resolve"]["quantiles"])
    store_copy = read_entries(frozen / "st" / "forecasts" / "register.jsonl")
    assert store_copy[0]["questions"] == entry["questions"]
    snap = frozen / "forecasts" / entry["snapshot"]  # the frozen scenario, re-runnable
    import hashlib

    assert hashlib.sha256(snap.read_bytes()).hexdigest() == entry["content_hash"]
    assert json.loads(snap.read_text())["meta"]["id"] == "mini"
    assert (frozen / "st" / "forecasts" / entry["snapshot"]).exists()


def test_resolve_verify_score_and_tampering(frozen, tmp_path, capsys):
    root = tmp_path / "copy"
    shutil.copytree(frozen, root)
    fdir = str(root / "forecasts")
    res = tmp_path / "res.yaml"
    res.write_text(RESOLUTIONS)
    assert main(["forecast", "resolve", str(res), "--dir", fdir, "--store", str(root / "st")]) == 0
    assert main(["forecast", "verify", fdir, "--store", str(root / "st")]) == 0
    capsys.readouterr()
    assert main(["forecast", "score", fdir, "--json", "--plot", str(tmp_path / "rel.png")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n_resolved"] == 4 and out["n_binary"] == 3 and out["n_numeric"] == 1
    assert {"brier", "log_score", "baselines", "by_question"} <= set(out)
    assert set(out["baselines"]) == {"coin", "base_rate", "reference:crowd"}
    by = {r["question"]: r for r in out["by_question"]}
    assert by["mini/summit_held"]["brier"] < 0.001
    assert by["mini/rus_resolve"]["crps"] >= 0
    assert (tmp_path / "rel.png").stat().st_size > 1000
    assert main(["forecast", "score", fdir]) == 0  # the tables

    reg = root / "forecasts" / "register.jsonl"
    lines = reg.read_text().splitlines()
    first = json.loads(lines[0])
    first["questions"][2]["p"] = 0.01  # make the forecast look better after the fact
    reg.write_text("\n".join([json.dumps(first)] + lines[1:]) + "\n")
    capsys.readouterr()
    assert main(["forecast", "verify", fdir]) == 1
    err = capsys.readouterr().err
    assert "entry 1" in err and "freeze of mini" in err and "content changed" in err
    assert main(["forecast", "score", fdir, "--json"]) == 1
    reg.write_text("\n".join(lines) + "\n")  # restored: intact again
    assert main(["forecast", "verify", fdir]) == 0
    snap = root / "forecasts" / first["snapshot"]
    snap.write_text(snap.read_text().replace('"mini"', '"mino"'))
    capsys.readouterr()
    assert main(["forecast", "verify", fdir]) == 1
    assert "snapshot" in capsys.readouterr().err


def test_bad_resolutions_are_located(frozen, tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("resolutions:\n  - question: sumit_held\n    outcome: yes\n    date: 2025-08-15\n"
                   "    sources: [{title: t, url: 'https://x.org', date: 2025-08-15}]\n"
                   "  - question: rus_resolve\n    outcome: no\n    date: 2025-08-15\n"
                   "    sources: [{title: t, url: 'https://x.org', date: 2025-08-15}]\n"
                   "  - question: summit_early\n    outcome: yes\n    date: 2025-11-01\n"
                   "    sources: [{title: t, url: 'https://x.org', date: 2025-08-15}]\n")
    assert main(["forecast", "resolve", str(bad), "--dir", str(frozen / "forecasts")]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:2:" in err and "did you mean 'summit_held'" in err
    assert "is numeric" in err and "after mini/summit_early's resolution date" in err
    bad.write_text("resolutions:\n  - question: summit_held\n    outcome: yes\n    date: 2025-08-15\n"
                   "    sources: [{title: t, url: 'ftp:x', date: 2025-08-15}]\n")
    assert main(["forecast", "resolve", str(bad), "--dir", str(frozen / "forecasts")]) == 2
    assert "not a web address" in capsys.readouterr().err


def test_late_sources_warn_in_validate_and_block_freeze(mini_q_path, tmp_path, capsys):
    text = mini_q_path.read_text().replace(
        "kind: dataset, date: 2025-01-01", "kind: dataset, date: 2025-09-01")
    path = tmp_path / "late.yaml"
    path.write_text(text)
    assert main(["validate", str(path)]) == 0
    err = capsys.readouterr().err
    assert "warning: meta.sources[1].date: source 'census' is dated 2025-09-01" in err
    assert "questions.summit_held.reference_class" in err
    assert main(["validate", str(path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)[str(path)]
    late = [r for r in rows if r["path"] == "meta.sources[1].date"]
    assert late and late[0]["severity"] == "warning" and late[0]["line"] == 9
    fdir = str(tmp_path / "fc")
    assert main(["forecast", "freeze", str(path), "-n", "50", "--dir", fdir,
                 "--store", str(tmp_path / "st")]) == 2
    assert "refused" in capsys.readouterr().err
    assert main(["forecast", "freeze", str(path), "-n", "50", "--dir", fdir,
                 "--store", str(tmp_path / "st"), "--contaminated", "--json"]) == 0
    entry = json.loads((tmp_path / "fc" / "register.jsonl").read_text().splitlines()[-1])
    assert entry["contaminated"] is True and entry["late_sources"][0]["id"] == "census"


@pytest.mark.parametrize("edit, message", [
    ("    event: summit1\n    resolves: 2025-08-16", "exactly one of when, value, outcome, event"),
    ("    resolves: 2025-08-16\n", None),
])
def test_question_needs_one_target(mini_q_path, tmp_path, capsys, edit, message):
    text = mini_q_path.read_text()
    if message is None:
        text = text.replace("    event: summit1\n    resolves: 2025-08-16", "    when: \"event.summit1 and\"\n    resolves: 2025-08-16")
        message = "expression does not parse"
    else:
        text = text.replace(edit, "    event: summit1\n    when: \"true\"\n    resolves: 2025-08-16", 1)
    path = tmp_path / "q.yaml"
    path.write_text(text)
    assert main(["validate", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_question_references_and_dates_are_checked(mini_q_path, tmp_path, capsys):
    text = (mini_q_path.read_text().replace("event: truce", "event: truse")
            .replace("outcome: deal", "outcome: deel").replace("resolves: 2026-01-01\n    criteria: \"The",
                                                                 "resolves: 2027-01-01\n    criteria: \"The"))
    path = tmp_path / "q.yaml"
    path.write_text(text)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "unknown event id 'truse'" in err and "did you mean 'truce'" in err
    assert "unknown outcome id 'deel'" in err and "after as_of" in err


def test_a_forged_but_chained_register_is_refused_not_crashed(tmp_path, capsys):
    from polemos.forecast import register as R

    reg = tmp_path / "register.jsonl"
    R.append(reg, {"kind": "freeze", "scenario_id": "x", "frozen_at": "t", "as_of": "a",
                   "questions": [{"id": "q", "kind": "binary"}]})
    R.append(reg, {"kind": "resolution", "question": "q", "outcome": True})
    assert main(["forecast", "verify", str(reg)]) == 0  # the chain itself is intact
    assert main(["forecast", "score", str(reg), "--json"]) == 1
    assert "lacks what scoring needs" in capsys.readouterr().err
