"""``polemos schema``: the scenario JSON Schema, for editors' autocompletion."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def schema(
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to a file."),
) -> None:
    """Print the JSON Schema of scenario files (core and every model family's section)."""
    from polemos.scenario.schema import scenario_model

    doc = scenario_model().model_json_schema()
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["title"] = "polemos scenario"
    text = json.dumps(doc, indent=2)
    if output is None:
        print(text)
    else:
        output.write_text(text + "\n")


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
