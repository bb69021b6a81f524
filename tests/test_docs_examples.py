"""The YAML examples in docs/scenario-format.md are valid against the schema."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from polemos.scenario.sections import discover_sections

DOC = Path(__file__).resolve().parents[1] / "docs" / "scenario-format.md"
BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC.read_text(), flags=re.S)


def _section_blocks():
    sections = discover_sections()
    for block in BLOCKS:
        data = yaml.safe_load(block)
        if isinstance(data, dict) and len(data) == 1:
            (name, value), = data.items()
            if name in sections:
                yield name, value


@pytest.mark.parametrize("name, value", list(_section_blocks()), ids=lambda x: x if isinstance(x, str) else "")
def test_family_section_example_validates(name, value):
    from pydantic import TypeAdapter

    TypeAdapter(discover_sections()[name].model).validate_python(value)


def test_every_family_section_has_an_example():
    documented = {name for name, _ in _section_blocks()}
    assert documented == set(discover_sections())
