"""``polemos show FILE``: a scenario as readable tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from polemos.cli.output import console, emit_json


def _q(q: Any) -> str:
    from polemos.scenario.quantities import _Dist

    if q is None:
        return ""
    if isinstance(q, _Dist):
        params = {k: v for k, v in q.model_dump(exclude={"sources", "note", "dist"}).items() if v is not None}
        inner = ", ".join(f"{k}={_num(v)}" for k, v in params.items())
        return f"{getattr(q, 'dist', '?')}({inner})"
    return _num(q)


def _num(v: Any) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return f"{int(v):,}"
    if isinstance(v, float):
        return f"{v:,.4g}"
    if isinstance(v, list):
        return "[" + ", ".join(_num(x) for x in v) + "]"
    return str(v)


def show(
    file: Path = typer.Argument(..., help="Scenario YAML file."),
    names: bool = typer.Option(False, "--names", help="List the state variables expressions may use."),
    json_out: bool = typer.Option(False, "--json", help="Print the validated scenario as JSON."),
) -> None:
    """Show actors, issues and positions, events, outcomes, claims and sources."""
    from polemos.scenario.load import load_scenario, scenario_data
    from polemos.scenario.names import state_names

    sc = load_scenario(file)
    if json_out:
        emit_json(scenario_data(sc))
        return
    m = sc.meta
    console.rule(f"[bold]{m.title}[/bold]  ({m.id})")
    console.print(f"as of {m.as_of}, horizon {m.horizon}, step {m.step}")
    if m.description:
        console.print(m.description.strip(), style="dim")

    t = Table(title="Actors", show_lines=False)
    for col in ("id", "name", "kind", "influence", "capabilities", "attributes"):
        t.add_column(col)
    for a in sc.actors:
        caps = "\n".join(f"{k}: {_q(v.value)} {v.unit}" for k, v in a.capabilities.items())
        attrs = "\n".join(f"{k}: {_q(v.value)}" for k, v in a.attributes.items())
        t.add_row(a.id, a.name, str(a.kind), _q(a.influence), caps, attrs)
    console.print(t)

    for issue in sc.issues:
        t = Table(title=f"Issue {issue.id}: {issue.name}")
        t.add_column("actor")
        t.add_column("position (0-100)")
        t.add_column("salience (0-100)")
        for actor_id, st in issue.positions.items():
            t.add_row(actor_id, _q(st.position), _q(st.salience))
        if issue.anchors:
            t.caption = "; ".join(f"{k} = {v}" for k, v in sorted(issue.anchors.items()))
        console.print(t)

    if sc.relations:
        t = Table(title="Relations")
        for col in ("kind", "source", "target", "support", "intensity"):
            t.add_column(col)
        for r in sc.relations:
            t.add_row(str(r.kind), r.source, r.target, ", ".join(map(str, r.support)), _q(r.intensity))
        console.print(t)

    if sc.events:
        t = Table(title="Events")
        for col in ("date", "id", "kind", "actors", "p", "description"):
            t.add_column(col)
        for e in sorted(sc.events, key=lambda e: e.date):
            t.add_row(str(e.date), e.id, str(e.kind), ", ".join(e.actors), _q(e.probability), e.description)
        console.print(t)

    if sc.outcomes:
        t = Table(title="Outcomes")
        for col in ("id", "label", "when", "absorbing"):
            t.add_column(col)
        for o in sc.outcomes:
            t.add_row(o.id, o.label, o.when, "yes" if o.absorbing else "no")
        console.print(t)

    if sc.claims:
        t = Table(title="Claims of the sources (paraphrased)")
        for col in ("id", "claim", "as proposition", "confidence", "source"):
            t.add_column(col)
        for c in sc.claims:
            t.add_row(c.id, c.text, c.expr, str(c.confidence), c.source)
        console.print(t)

    sections = [n for n in ("theatres", "economy", "escalation", "structure") if sc.section(n) is not None]
    if sections:
        console.print("Model sections: " + ", ".join(sections))

    t = Table(title="Sources")
    for col in ("id", "title", "author", "date", "kind"):
        t.add_column(col)
    for s in m.sources:
        t.add_row(s.id, s.title, s.author, str(s.date or ""), str(s.kind))
    console.print(t)

    if names:
        t = Table(title="State variables for expressions")
        t.add_column("name")
        t.add_column("meaning")
        for k, v in sorted(state_names(sc).items()):
            t.add_row(k, v)
        console.print(t)


def register(app: typer.Typer) -> None:
    app.command("show")(show)
