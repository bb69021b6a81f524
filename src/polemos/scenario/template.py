"""The commented template written by ``polemos new NAME``; it validates as written."""

from __future__ import annotations

import re

TEMPLATE = """\
# polemos scenario: {title}
# Reference: docs/scenario-format.md. Validate with `polemos validate {slug}.yaml`.
# Any number may be a plain value or a distribution with its sources, e.g.
#   {{dist: triangular, low: 250000, mode: 300000, high: 350000, sources: [iiss]}}

meta:
  id: {ident}
  title: "{title}"
  as_of: 2025-10-24          # the date the scenario describes (YYYY-MM-DD)
  horizon: 2026-10-24        # the last date simulated
  description: >
    One paragraph: what situation this is and what question it asks.
  sources:
    - id: analyst
      title: "Analyst's own estimates"
      author: "Your name"
      date: 2025-10-24
      kind: estimate

actors:
  - id: A
    name: "Actor A"
    kind: state              # state | bloc | organisation | faction
    influence: 60            # bargaining clout, any positive scale
    capabilities:
      personnel_deployed:
        value: {{dist: triangular, low: 250000, mode: 300000, high: 350000}}
        unit: personnel
        sources: [analyst]
    attributes:
      resolve: {{value: 0.7, unit: index 0-1}}
  - id: B
    name: "Actor B"
    influence: 40

issues:
  - id: territory
    name: "Territorial settlement"
    anchors: {{0: "A keeps everything", 100: "B gets everything"}}
    positions:
      A: {{position: 10, salience: 90}}
      B: {{position: {{dist: uniform, low: 70, high: 90}}, salience: 80}}

negotiation:                 # how the engine bargains at summits and negotiations
  model: compromise          # compromise | median | eum | smp | nash
  rounds: 10                 # rounds of offers (eum) or turns (smp) per negotiation
  continuous: false          # true: also bargain every `every_weeks` weeks

relations:
  - {{kind: rivalry, source: A, target: B, intensity: 0.8}}

events:
  - id: talks
    date: 2025-11-15
    kind: summit
    actors: [A, B]
    description: "A scheduled summit"

outcomes:
  - id: settled
    label: "Negotiated settlement"
    when: "settlement"

claims:
  - id: talks_fail
    text: "The talks produce no settlement within the year."
    source: analyst
    expr: "P(settled) < 0.2"
    confidence: likely
"""


def render(name: str) -> str:
    """The template for a scenario called ``name``."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "scenario"
    ident = re.sub(r"[^A-Za-z0-9_]", "_", slug)
    if not re.match(r"[A-Za-z_]", ident):
        ident = "s_" + ident
    return TEMPLATE.format(title=name.replace('"', "'"), slug=slug, ident=ident)
