"""KTAB's XML scenario format (``<Scenario>``, ``smpc``/``SMPQ``), read as it is."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from polemos.cli.app import app
from polemos.datasets.bargaining import (
    BargainingFormatError,
    parse_ktab_xml,
    read_bargaining_csv,
    read_bargaining_file,
    read_ktab_log,
)
from polemos.models.bargaining import smp


def _xml(inp, params: str = "", extra: str = "") -> str:
    """The KTAB XML layout of a scenario (as KTAB's examples/smp/doc/*.xml)."""
    actors = []
    for i, a in enumerate(inp.actors):
        coords = "".join(f"<dCoord>{v:g}</dCoord>" for v in inp.position[i])
        sals = "".join(f"<dSal>{100 * v:g}</dSal>" for v in inp.salience[i])
        actors.append(f"<Actor><name>{a}</name><description>{inp.actor_names[i]}</description>"
                      f"<capability>{inp.capability[i]:g}</capability>"
                      f"<Position>{coords}</Position><Salience>{sals}</Salience></Actor>")
    dims = "".join(f"<dName>{d}</dName>" for d in inp.dims)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Scenario><name>{inp.name}</name>'
            f"<desc>{inp.description}</desc><prngSeed>1</prngSeed>{params}"
            f"<Dimensions>{dims}</Dimensions><Actors>{''.join(actors)}</Actors>{extra}"
            "</Scenario>\n")


def test_xml_of_a_ktab_reference_case_reproduces_its_log(shared_data):
    root = shared_data / "bargaining" / "ktab"
    (inp,) = read_bargaining_csv(root / "dummyData_3Dim.csv").values()
    got = parse_ktab_xml(_xml(inp), "dummy.xml")
    assert got.actors == inp.actors and got.dims == inp.dims and not got.notes
    np.testing.assert_allclose(got.position, inp.position)
    np.testing.assert_allclose(got.salience, inp.salience)
    out = smp.run(got.capability[None], got.position[None], got.salience[None])
    log = read_ktab_log(root / "20170530_ref-dummyData_3Dim.txt")
    theirs = np.stack([log.probabilities[a] for a in got.actors], axis=1)
    assert np.abs(out["position_probability"][0] - theirs).max() <= 0.02


SMALL = """<?xml version="1.0"?>
<Scenario><name>Tiny</name><desc>three actors</desc>
 <ModelParameters><VictoryProbModel>Linear</VictoryProbModel>
  <StateTransitions>Stochastic</StateTransitions></ModelParameters>
 <Dimensions><dName>Tax</dName></Dimensions>
 <Actors>
  <Actor><name>A</name><description>a</description><capability>10</capability>
   <Position><dCoord>20</dCoord></Position><Salience><dSal>50</dSal></Salience></Actor>
  <Actor><name>B</name><description>b</description><capability>30</capability>
   <Position><dCoord>60</dCoord></Position><Salience><dSal>80</dSal></Salience></Actor>
  <Actor><name>C</name><description>c</description><capability>20</capability>
   <Position><dCoord>90</dCoord></Position><Salience><dSal>40</dSal></Salience></Actor>
 </Actors>
 <IdealAdjustment><iaPair><adjustingIdeal>A</adjustingIdeal><referencePos>B</referencePos>
  <adjust>0.1</adjust></iaPair></IdealAdjustment>
</Scenario>
"""


def test_non_default_parameters_become_notes(tmp_path):
    inp = parse_ktab_xml(SMALL, "tiny.xml")
    assert inp.dims == ["Tax"] and inp.actors == ["A", "B", "C"]
    assert any("StateTransitions=Stochastic" in n for n in inp.notes)
    assert any("IdealAdjustment" in n for n in inp.notes)
    path = tmp_path / "tiny.xml"
    path.write_text(SMALL)
    assert set(read_bargaining_file(path)) == {"Tiny"}
    res = CliRunner().invoke(app, ["bargain", str(path), "--model", "smp", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["model"] == "smp" and 20 <= doc["forecast"] <= 90


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("<Scenario><name>x</name>", "not well-formed"),
        ("<Other/>", "root element"),
        (SMALL.replace("<dCoord>60</dCoord>", "<dCoord></dCoord>"), "Actor 2 (B) Position dCoord 1"),
        (SMALL.replace("<dSal>40</dSal>", ""), "Actor 3 (C)"),
        (SMALL.replace("<dSal>80</dSal>", "<dSal>180</dSal>"), "0-100"),
        ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Scenario/>', "ENTITY"),
    ],
)
def test_bad_xml_is_located(text, what):
    with pytest.raises(BargainingFormatError, match="bad.xml") as err:
        parse_ktab_xml(text, "bad.xml")
    assert what in str(err.value)
