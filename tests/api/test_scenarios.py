"""Health, the seed scenarios, validation of YAML text, the schema, error shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from polemos.api import create_app
from polemos.api.scenarios import MAX_YAML_BYTES

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
SEED = "venezuela-2025-10"


def test_health(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["limits"]["draws"] == 200_000


def test_scenarios_lists_every_seed_file(client: TestClient) -> None:
    rows = client.get("/api/scenarios").json()["scenarios"]
    assert {r["name"] for r in rows} == {p.stem for p in SCENARIOS.glob("*.yaml")}
    for r in rows:
        assert r["valid"], r
        assert r["id"] and r["title"] and r["as_of"] < r["horizon"]


def test_scenarios_report_an_invalid_file_located(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text((SCENARIOS / f"{SEED}.yaml").read_text())
    (tmp_path / "bad.yaml").write_text("meta:\n  id: x\n  title: [unclosed\n")
    with TestClient(create_app(tmp_path / "store", tmp_path), base_url="http://localhost") as c:
        rows = {r["name"]: r for r in c.get("/api/scenarios").json()["scenarios"]}
    assert rows["good"]["valid"]
    bad = rows["bad"]
    assert not bad["valid"] and bad["problems"][0]["line"] is not None


def test_scenario_detail_has_data_and_names(client: TestClient) -> None:
    body = client.get(f"/api/scenarios/{SEED}").json()
    assert body["scenario"]["meta"]["id"] == "venezuela_2025_10"
    assert body["yaml"].lstrip().startswith(("#", "meta"))
    assert "week" in body["names"]
    for outcome in body["scenario"]["outcomes"]:
        assert outcome["id"] in body["names"]


def test_scenario_yaml_is_the_file_text(client: TestClient) -> None:
    r = client.get(f"/api/scenarios/{SEED}/yaml")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/yaml")
    assert r.text == (SCENARIOS / f"{SEED}.yaml").read_text()


def test_unknown_scenario_is_404_with_did_you_mean(client: TestClient) -> None:
    r = client.get("/api/scenarios/venezuela-2025-1")
    assert r.status_code == 404
    assert "did you mean 'venezuela-2025-10'" in r.json()["hint"]


def test_scenario_names_cannot_leave_the_directory(client: TestClient) -> None:
    assert client.get("/api/scenarios/..%2Fpyproject").status_code == 404


def test_validate_accepts_a_seed_scenario(client: TestClient) -> None:
    text = (SCENARIOS / f"{SEED}.yaml").read_text()
    body = client.post("/api/validate", content=text, headers={"content-type": "text/plain"}).json()
    assert body == {"valid": True, "problems": [], "scenario": body["scenario"],
                    "names": body["names"], "form": body["form"]}
    assert body["scenario"]["id"] == "venezuela_2025_10"
    assert body["names"] == client.get(f"/api/scenarios/{SEED}").json()["names"]


def test_validate_lists_the_names_of_the_text_sent(client: TestClient) -> None:
    text = (SCENARIOS / f"{SEED}.yaml").read_text().replace("maduro_rule", "who_rules")
    names = client.post("/api/validate", json={"yaml": text}).json()["names"]
    assert {"agreement.who_rules", "position.USA.who_rules", "week"} <= set(names)
    assert not any("maduro_rule" in n for n in names)
    bad = client.post("/api/validate", json={"yaml": text.replace("week >= 104", "week >=")})
    assert bad.json()["valid"] is False and "names" not in bad.json()


def test_validate_locates_a_yaml_syntax_error(client: TestClient) -> None:
    r = client.post("/api/validate", content="meta:\n  id: x\n  title: [a, b\nactors: []\n")
    assert r.status_code == 200
    body = r.json()
    assert body["valid"] is False
    p = body["problems"][0]
    assert p["line"] >= 3 and "YAML" in p["message"] and set(p) == {"line", "column", "path", "message", "hint"}


def test_validate_locates_schema_problems(client: TestClient) -> None:
    text = (SCENARIOS / f"{SEED}.yaml").read_text().replace("as_of: 2025-10-24", "as_of: someday", 1)
    body = client.post("/api/validate", json={"yaml": text}).json()
    assert body["valid"] is False
    assert any(p["path"] == "meta.as_of" and p["line"] for p in body["problems"]), body


@pytest.mark.parametrize("content", [b"", b"\xff\xfe not utf-8", b"- just\n- a list\n",
                                     b"a: *undefined_alias", b"!!python/object:os.system x"])
def test_validate_never_fails_on_bad_input(client: TestClient, content: bytes) -> None:
    r = client.post("/api/validate", content=content, headers={"content-type": "text/plain"})
    assert r.status_code in (200, 422)
    body = r.json()
    assert body.get("valid") is False or body.get("problems")


def test_validate_rejects_a_bad_json_envelope(client: TestClient) -> None:
    r = client.post("/api/validate", json={"text": "meta: {}"})
    assert r.status_code == 422 and "yaml" in r.json()["error"]


def test_oversized_body_is_413(client: TestClient) -> None:
    r = client.post("/api/validate", content=b"#" * (MAX_YAML_BYTES + 1))
    assert r.status_code == 413 and "bytes" in r.json()["error"]
    r = client.post("/api/validate", content=b"#" * (4 * MAX_YAML_BYTES))
    assert r.status_code == 413


def test_oversized_streamed_body_is_413(client: TestClient) -> None:
    chunks = iter([b"#" * MAX_YAML_BYTES, b"#" * MAX_YAML_BYTES])  # no content-length
    r = client.post("/api/validate", content=chunks)
    assert r.status_code == 413 and "bytes" in r.json()["error"]


def test_schema_is_a_json_schema(client: TestClient) -> None:
    doc = client.get("/api/schema").json()
    assert doc["title"] == "polemos scenario"
    assert "meta" in doc["properties"] and "actors" in doc["properties"]


def test_unknown_path_is_json_404(client: TestClient) -> None:
    r = client.get("/api/nothing-here")
    assert r.status_code == 404 and "error" in r.json()


def test_internal_errors_are_json_without_traceback(tmp_path: Path) -> None:
    app = create_app(tmp_path / "store", SCENARIOS)

    def boom() -> list:
        raise RuntimeError("secret internals")

    app.state.scenarios.catalog = boom
    with TestClient(app, raise_server_exceptions=False, base_url="http://localhost") as c:
        r = c.get("/api/scenarios")
    assert r.status_code == 500
    assert r.json()["error"] == "internal error (RuntimeError)"
    assert "Traceback" not in r.text and "secret" not in r.text
