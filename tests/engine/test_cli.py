"""``polemos run`` and ``polemos runs``: JSON output, overrides, located errors."""

from __future__ import annotations

import json

from polemos.cli.app import main


def test_run_json_and_runs_commands(mini_path, tmp_path, capsys):
    store = str(tmp_path / "st")
    code = main(["run", str(mini_path), "--draws", "600", "--seed", "3", "--store", store, "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    ids = [o["id"] for o in out["outcomes"]]
    assert ids == ["deal", "ukr_breaks", "rus_tires", "none"]
    for o in out["outcomes"]:
        assert 0 <= o["low"] <= o["p"] <= o["high"] <= 1
    assert {c["verdict"] for c in out["claims"]} <= {"supported", "contradicted", "undecided", "fixed"}
    assert all(len(c["drivers"]) <= 3 for c in out["claims"])
    assert any(len(c["drivers"]) == 3 for c in out["claims"])

    assert main(["runs", "list", "--store", store, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["status"] == "complete" and rows[0]["draws"] == 600
    csv = tmp_path / "draws.csv"
    assert main(["runs", "export", "--store", store, "--out", str(csv)]) == 0
    assert len(csv.read_text().splitlines()) == 601


def test_set_override_changes_the_run_and_bad_paths_are_located(mini_path, tmp_path, capsys):
    store = str(tmp_path / "st")
    args = ["run", str(mini_path), "--draws", "500", "--store", store, "--json"]
    assert main(args + ["--set", "events.summit1.probability=0"]) == 0
    p_none = json.loads(capsys.readouterr().out)["outcomes"][-1]["p"]
    assert main(args) == 0
    p_base = json.loads(capsys.readouterr().out)["outcomes"][-1]["p"]
    assert p_none > p_base  # no first summit, fewer settlements
    assert main(args + ["--set", "actors.XXX.influence=3"]) == 2
    assert "XXX" in capsys.readouterr().err


def test_empty_store_and_unknown_run_are_reported_not_raised(tmp_path, capsys):
    store = ["--store", str(tmp_path / "empty")]
    assert main(["runs", "list", *store]) == 0
    assert main(["report", *store]) == 2
    assert "no runs" in capsys.readouterr().err
    assert main(["runs", "show", "nope", *store]) == 2


def test_bad_options_are_explained(mini_path, tmp_path, capsys):
    assert main(["run", str(mini_path), "--design", "grid", "--store", str(tmp_path)]) == 2
    assert "plain" in capsys.readouterr().err
    assert main(["run", str(mini_path), "--set", "nonsense", "--store", str(tmp_path)]) == 2
    assert "PATH=VALUE" in capsys.readouterr().err


def test_demo_runs_every_scenario_of_a_folder(mini_path, tmp_path, capsys):
    args = ["demo", "--scenarios", str(mini_path.parent), "--draws", "300", "--sensitivity", "4",
            "--store", str(tmp_path), "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert sorted(r["scenario"] for r in out) == ["full", "mini"]
    for r in out:
        assert r["report"].endswith("report.html")
        assert all(c["verdict"] in {"supported", "contradicted", "undecided", "fixed"} for c in r["claims"])


def test_demo_validates_and_shows_before_running(mini_path, tmp_path, capsys):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "mini.yaml").write_text(mini_path.read_text())
    args = ["demo", "--scenarios", str(folder), "--draws", "200", "--sensitivity", "0",
            "--store", str(tmp_path / "store")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Seed scenarios (validated" in out and "mini" in out
    (folder / "broken.yaml").write_text(mini_path.read_text().replace("actors:", "actorz:", 1))
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "broken.yaml:" in err and "unknown key 'actorz'" in err and "Traceback" not in err
