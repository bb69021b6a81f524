"""The commented template written by ``polemos new NAME``; it validates and runs as written.

Every section a scenario can have is filled in with a small, consistent example (two
sides and a patron, one issue, one front, a war economy with one sanction, an escalation
ladder, dated events, outcomes, claims and a forecast question), dated from today so the
events and claims fall inside the simulated window. Replace the numbers with your own,
each with its source.
"""

from __future__ import annotations

import datetime as dt
import re

TEMPLATE = """\
# polemos scenario: {title}
# Written by `polemos new` on {today}. Reference: docs/scenario-format.md; a walk-through:
# docs/tutorial.md. Check it with `polemos validate {slug}.yaml`, list the variables
# outcomes and claims may use with `polemos show {slug}.yaml --names`, and run it with
# `polemos run {slug}.yaml --report`.
#
# Any number may be a plain value or a distribution with its sources, e.g.
#   {{dist: triangular, low: 250000, mode: 300000, high: 350000, sources: [analyst]}}
# (dist: uniform | triangular | normal | lognormal | beta). Replace every number below
# with your own and cite where it comes from: the report lists each one with its source.

meta:
  id: {ident}
  title: "{title}"
  as_of: {as_of}             # the date the scenario describes (YYYY-MM-DD)
  horizon: {horizon}         # the last date simulated (claims are judged by then)
  description: >
    One paragraph: what situation this is and what question it asks. (Example: side A
    presses a territorial claim against side B, which a patron P supports.)
  descriptive:               # inputs kept for the reader that no model reads (glob patterns)
    - "actors.*.capabilities.*"
    - "relations[*].intensity"
  sources:
    - id: analyst
      title: "Analyst's own estimates"
      author: "Your name"
      date: {as_of}
      kind: estimate         # estimate | essay | news | official | dataset | research

actors:
  - id: A
    name: "Side A"
    kind: state              # state | bloc | organisation | faction
    influence: 60            # bargaining clout, any positive scale
    capabilities:
      personnel_deployed:
        value: {{dist: triangular, low: 250000, mode: 300000, high: 350000, sources: [analyst]}}
        unit: personnel
        sources: [analyst]
    attributes:
      resolve: {{value: {{dist: uniform, low: 0.5, high: 0.8, sources: [analyst]}}, unit: index 0-1}}
      risk_acceptance: {{value: 0.5, unit: index 0-1}}
  - id: B
    name: "Side B"
    influence: 40
    attributes:
      resolve: {{value: {{dist: uniform, low: 0.5, high: 0.9, sources: [analyst]}}, unit: index 0-1}}
  - id: P
    name: "Patron of B"
    influence: 80
    attributes:
      resolve: {{value: 0.6, unit: index 0-1}}

issues:                      # bargaining dimensions on a 0-100 scale
  - id: territory
    name: "Territorial settlement"
    anchors: {{0: "A keeps everything it holds", 100: "B gets everything back"}}
    positions:               # position and salience (0-100) of each actor
      A: {{position: 10, salience: 90}}
      B: {{position: {{dist: uniform, low: 70, high: 90, sources: [analyst]}}, salience: 80}}
      P: {{position: 70, salience: 40}}

negotiation:                 # how the engine bargains at summits and negotiations
  model: compromise          # compromise | median | eum | smp | nash
  rounds: 10                 # rounds of offers (eum) or turns (smp) per negotiation
  continuous: false          # true: also bargain every `every_weeks` weeks

relations:
  - {{kind: rivalry, source: A, target: B, intensity: 0.8}}
  - {{kind: support, source: P, target: B, support: [arms, money], intensity: 0.6}}

theatres:                    # the war on land (Lanchester attrition; `polemos war`)
  - id: front
    name: "The A-B front"
    law: linear              # square | linear | logarithmic | mixed | helmbold | ...
    attacker: A
    front_km: 600
    advance: {{max_km_per_week: 0.5, defender_posture: prepared}}   # km a week at most
    sides:
      - actor: A
        forces: {{dist: triangular, low: 250000, mode: 300000, high: 350000, sources: [analyst]}}
        losses_per_week: {{dist: triangular, low: 800, mode: 1200, high: 2000, sources: [analyst]}}
        recruits_per_week: 1000
        training_weeks: 8
      - actor: B
        forces: {{dist: triangular, low: 150000, mode: 200000, high: 250000, sources: [analyst]}}
        losses_per_week: 900
        recruits_per_week: 700
    towns:                   # named places that fall when the front reaches them
      - {{name: Northtown, distance_km: {{dist: uniform, low: 5, high: 20}}, effort: 2}}
      - {{name: Rivercity, distance_km: 60, effort: 4}}

economy:                     # war economies and economic measures (`polemos economy`)
  actors:
    A:
      currency: USD
      fx_per_usd: 1
      oil: {{crude_exports_mbd: 1.0, product_exports_mbd: 0.3, production_mbd: 2.0,
            benchmark_usd: 65, price_volatility: 0.3, discount_usd: 5, tax_take: 0.5}}
      budget: {{non_oil_gas_revenue: 300, spending: 500, defence_share: 0.3,
               reserve_fund: 100, fiscal_rule_price_usd: 60, borrowing_cap: 100}}
  measures:                  # sanction | price_cap | tariff | secondary_tariff | export_ban
    - {{id: oil_sanction, kind: sanction, sender: P, target: A, start: {sanction},
       coverage: 0.5, compliance: {{dist: beta, a: 5, b: 3, sources: [analyst]}},
       volume_cut: 0.1, discount_usd: 10, lag_weeks: 4, sources: [analyst]}}

escalation:                  # the escalation ladder (`polemos escalate`)
  ladder:                    # rungs from the lowest; severity is the cost of being there
    - {{id: pressure, name: "Threats and sanctions", level: 0, severity: 0}}
    - {{id: strikes, name: "Strikes behind the front", level: 1, severity: 0.5}}
    - {{id: wider_war, name: "The patron enters the war", level: 2, severity: 5}}
  start: pressure
  rationality: {{dist: uniform, low: 1, high: 3, sources: [analyst]}}   # QRE lambda
  accident_hazard: 0.001     # chance a week of an unintended step up
  actors:
    - {{actor: A, side: a, red_line: wider_war}}
    - {{actor: P, side: b, red_line: strikes}}
  moves:
    - {{id: deep_strikes, actor: A, rung: strikes, gain: 0.8, cost: 0.4}}
    - {{id: intervene, actor: P, rung: wider_war, gain: 1.0, cost: 6.0, sustain: false}}
    - {{id: talks_offer, actor: A, rung: pressure, deescalate: true, gain: 0.3, cost: 0.5}}

events:                      # a dated timeline; models act on events by id
  - id: talks
    date: {talks}
    kind: summit             # summit | negotiation | sanctions_imposed | strike | ...
    actors: [A, B, P]
    probability: 0.6         # chance it happens at all
    description: "A scheduled summit"
  - id: sanction_day
    date: {sanction}
    kind: sanctions_imposed
    actors: [P, A]
    description: "P's oil sanction on A takes effect"

outcomes:                    # end states, each an expression over state variables
  - id: settled
    label: "Negotiated settlement"
    when: "settlement"
  - id: wider_war
    label: "The patron enters the war"
    when: "escalation.reached.wider_war"
  - id: rivercity_falls
    label: "Rivercity falls"
    when: "town.front.rivercity"
    absorbing: false         # recorded, but the draw goes on

claims:                      # a source's claims as propositions; the run gives verdicts
  - id: talks_fail
    text: "The talks produce no settlement within the year."
    source: analyst
    expr: "P(settled by {horizon}) < 0.5"
    confidence: likely       # certain | very_likely | likely | about_even | unlikely | ...
  - id: no_wider_war
    text: "The patron stays out of the war."
    source: analyst
    expr: "P(wider_war) < P(settled)"
    confidence: about_even

questions:                   # resolvable forecasts (`polemos forecast`)
  - id: rivercity_by_mid_year
    text: "Will Rivercity fall by {mid}?"
    resolves: {mid}
    criteria: "Reputable reporting that A controls the centre of Rivercity."
    outcome: rivercity_falls
"""


def render(name: str, today: dt.date | None = None) -> str:
    """The template for a scenario called ``name``, dated ``today`` (default: today)."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "scenario"
    ident = re.sub(r"[^A-Za-z0-9_]", "_", slug)
    if not re.match(r"[A-Za-z_]", ident):
        ident = "s_" + ident
    title = "".join(ch for ch in name if ch.isprintable() and ch not in '{}"\\').strip()
    day = today or dt.date.today()
    weeks = dt.timedelta(weeks=1)
    return TEMPLATE.format(
        title=title or slug, slug=slug,
        ident=ident, today=day, as_of=day, horizon=day + 52 * weeks, talks=day + 6 * weeks,
        sanction=day + 4 * weeks, mid=day + 26 * weeks)
