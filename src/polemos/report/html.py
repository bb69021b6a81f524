"""One self-contained HTML file per run: figures inlined as base64 PNG, no scripts, no CDN."""

from __future__ import annotations

import base64
import datetime as dt
import io
from pathlib import Path
from typing import Any

import jinja2

from polemos.report.figures import CAPTIONS, FIGURES
from polemos.report.palette import VERDICT_TEXT_COLOURS, Palette
from polemos.store import Store

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>polemos - {{ rec.title }}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;color:#222;padding:0 1em;overflow-wrap:break-word}
table{border-collapse:collapse;font-size:0.85em;margin:0.5em 0 1.5em}
td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#f3f3f3} .num{text-align:right;font-variant-numeric:tabular-nums}
{% for v, c in verdict_colours.items() %}.{{ v }}{color:{{ c }};font-weight:600}{% endfor %}.error{color:#b60}
img{max-width:100%} .small{font-size:0.8em;color:#555} code{font-size:0.9em}
figure{margin:0.5em 0 1.5em} figcaption{font-size:0.8em;color:#444;max-width:880px;margin-top:0.2em}
table{width:100%;table-layout:fixed} td,th{overflow-wrap:anywhere} td.num{white-space:nowrap}
caption{caption-side:bottom;text-align:left;font-size:0.8em;color:#444;padding-top:0.3em}
</style></head><body>
<h1>{{ rec.title }}</h1>
<p class="small">Run <code>{{ s.run_id }}</code> &middot; scenario <code>{{ rec.scenario_id }}</code>
(content hash <code>{{ rec.content_hash[:12] }}</code>) &middot; {{ "{:,}".format(s.draws) }} draws,
seed {{ rec.seed }}, design {{ rec.design }} &middot; from {{ as_of }} to the horizon {{ horizon }}
({{ s.weeks }} weeks) &middot; overrides: {{ overrides }} &middot; generated {{ now }}</p>

<h2>Summary</h2>
<div class="summary">
<p>{{ summary_lines[0] }}</p>
<ul>{% for line in summary_lines[1:] %}<li>{{ line }}</li>{% endfor %}</ul>
<p class="small">These are the models' results under the scenario's stated assumptions
({{ s.parameters|length }} uncertain inputs and {{ (s.fixed_inputs or [])|length }} fixed ones,
each listed below with its source), not forecasts of the authors of this tool.</p>
</div>

<h2>Outcomes</h2>
<p class="small">P: the share of all draws in which the outcome happens, with its 95% Monte
Carlo interval (the error from the number of draws).{% if s.worlds %} Across worlds: the 5% and
95% points of P(outcome | world) over the {{ "{:,}".format(s.worlds) }} sampled worlds (the
spread that comes from the uncertain inputs, {{ s.paths }} paths per world).{% endif %}</p>
<table><caption>P: share of all draws. 95% interval: the Monte Carlo error of P from the
number of draws (Wilson).{% if s.worlds %} Across worlds: 90% of the sampled worlds give a
P(outcome | world) inside this range (its 5% and 95% points).{% endif %}</caption>
<colgroup><col><col style="width:7.5em"><col style="width:5em"><col style="width:8.5em">{% if s.worlds %}<col style="width:8.5em">{% endif %}</colgroup>
<tr><th>outcome</th><th>absorbing</th><th class="num">P</th><th class="num">95% interval</th>{% if s.worlds %}<th class="num">across worlds 5%-95%</th>{% endif %}</tr>
{% for o in s.outcomes + [s.none] %}<tr><td>{{ o.label }} <span class="small">({{ o.id }})</span></td>
<td>{{ "yes" if o.absorbing else ("-" if o.absorbing is none else "no") }}</td>
<td class="num">{{ "%.3f"|format(o.p) }}</td><td class="num">{{ "%.3f"|format(o.low) }} - {{ "%.3f"|format(o.high) }}</td>{% if s.worlds %}<td class="num">{% if o.spread %}{{ "%.3f"|format(o.spread.p05) }} - {{ "%.3f"|format(o.spread.p95) }}{% endif %}</td>{% endif %}</tr>{% endfor %}
</table>
{% for key, title, img in figs %}{% if key in ["outcomes", "time_to_outcome"] %}<figure><img alt="{{ title }}" src="data:image/png;base64,{{ img }}"><figcaption>{{ captions[key] }}</figcaption></figure>{% endif %}{% endfor %}

<h2>Claims ledger</h2>
<p class="small">Each claim is judged in each sampled world (one vector of the uncertain
inputs) on that world's probabilities, with the world's own sampling error carried by a
Bayesian bootstrap of its paths. <b>Credence</b>: the share of plausible worlds in which the
claim holds, with its 95% interval. Verdict: <b>supported</b> when credence reaches the level
of the stated confidence c (certain 0.99, very likely 0.95, likely 0.90, otherwise 0.75),
<b>contradicted</b> when it falls to 1 - c, <b>undecided</b> between; <b>fixed</b> when no admissible
input can change the verdict: the claim is then an assumption of the scenario or the model,
not a finding, and the reason is given. Conditions: the inputs and thresholds under which a
decidable claim holds (coverage: share of the worlds where it holds that meet them;
density: share of the worlds meeting them where it holds). Moved most by: the inputs whose
upper half against lower half changes the credence most, with their stability across
resamples of the worlds.</p>
<table><caption>Credence [95%]: the share of plausible worlds in which the claim holds,
and the 95% interval of that share from resampling the worlds (how much it would move with
another sample of worlds of the same size).</caption>
<colgroup><col style="width:32%"><col style="width:8.5em"><col style="width:10.5em"><col><col style="width:22%"></colgroup>
<tr><th>claim</th><th>verdict</th><th class="num">credence [95%]</th><th>what it means</th><th>moved most by</th></tr>
{% for c in s.claims %}<tr><td>{{ c.text }} <span class="small">({{ c.id }}; {{ c.source }}; {{ c.confidence }})<br><code>{{ c.expr }}</code></span></td>
<td class="{{ c.verdict }}">{{ c.verdict }}{% if c.verdict == "fixed" and c.fixed_as %} <span class="small">({{ c.fixed_as }})</span>{% endif %}{% if c.error %}<br><span class="small">{{ c.error }}</span>{% endif %}</td>
<td class="num">{% if c.credence is not none %}{{ "%.0f"|format(100 * c.credence) }}% [{{ "%.0f"|format(100 * c.credence_low) }}-{{ "%.0f"|format(100 * c.credence_high) }}%]{% elif c.holds_share is not none %}{{ "%.0f"|format(100 * c.holds_share) }}%{% endif %}</td>
<td class="small">{{ c.reading or "" }}{% if c.conditions_text %}<br><i>{{ conditions_note(c) }}</i>{% endif %}</td>
<td class="small">{% for d in c.drivers %}{{ d.label or label(d.parameter) }} ({{ "%+.2f"|format(d.effect) }}{% if d.stability is defined %}, stable in {{ "%.0f"|format(100 * d.stability) }}%{% endif %}){% if not loop.last %}<br>{% endif %}{% else %}-{% endfor %}
{% if c.drivers_global %}<br><i>global:</i> {% for d in c.drivers_global %}{{ label(d.parameter) }}{% if not loop.last %}, {% endif %}{% endfor %}{% endif %}</td></tr>{% endfor %}
</table>
{% for key, title, img in figs %}{% if key == "claims" %}<figure><img alt="{{ title }}" src="data:image/png;base64,{{ img }}"><figcaption>{{ captions[key] }}</figcaption></figure>{% endif %}{% endfor %}

<h2>Trajectories</h2>
{% for key, title, img in figs %}{% if key not in ["outcomes", "time_to_outcome", "claims", "tornado"] %}
<h3>{{ title }}</h3><figure><img alt="{{ title }}" src="data:image/png;base64,{{ img }}"><figcaption>{{ captions[key] }}</figcaption></figure>{% endif %}{% endfor %}
{% if missing %}<p class="small">Not shown (the scenario has no such state): {{ missing|join(", ") }}.</p>{% endif %}

<h2>Sensitivity</h2>
{% if s.sensitivity %}<p class="small">Global indices from SALib ({{ s.sensitivity_method }}) over
the unit hypercube of the inputs; targets are each outcome's indicator and each claim's
per-draw margin. The simulator's own weekly randomness is not an input.</p>{% else %}
<p class="small">First-order indices estimated from the run's own worlds: how much of the
spread across worlds of each outcome's probability each input explains alone (correlation
ratio over deciles of the input{% if s.sensitivity_worlds %}, {{ "{:,}".format(s.sensitivity_worlds) }} worlds{% else %}, first {{ "{:,}".format(s.sensitivity_draws) }} draws{% endif %};
inputs no model reads are left out); run with <code>--sensitivity N</code> for Sobol or
Morris indices.</p>{% endif %}
{% for key, title, img in figs %}{% if key == "tornado" %}<figure><img alt="{{ title }}" src="data:image/png;base64,{{ img }}"><figcaption>{{ captions[key] }}</figcaption></figure>{% endif %}{% endfor %}
{% if s.sensitivity %}<table><caption>ST: total-order Sobol index (the share of the target's
variance an input explains, with its interactions); S1: its first-order part; mu*: Morris'
mean absolute elementary effect. Point estimates; no interval is shown.</caption>
<colgroup><col style="width:30%"><col></colgroup>
<tr><th>target</th><th>three most influential inputs</th></tr>
{% for target, entry in s.sensitivity.items() %}<tr><td>{{ target_name(target) }}</td><td class="small">
{% for r in entry["indices"][:3] %}{{ label(r["parameter"]) }} ({% if "ST" in r %}ST {{ "%.2f"|format(r["ST"]) }}, S1 {{ "%.2f"|format(r["S1"]) }}{% else %}mu* {{ "%.3g"|format(r["mu_star"]) }}{% endif %}){% if not loop.last %}; {% endif %}{% endfor %}</td></tr>{% endfor %}
</table>{% endif %}

<h2>Assumptions and their sources</h2>
<p class="small">Every uncertain input of the scenario (the Monte Carlo parameters), with its
distribution and the sources it cites.</p>
<table><caption>Median: the middle of the input's distribution; the distribution's
parameters are those written in the scenario.</caption>
<colgroup><col style="width:3.5em"><col style="width:28%"><col style="width:22%"><col style="width:8.5em"><col></colgroup>
<tr><th>#</th><th>input</th><th>distribution</th><th class="num">median</th><th>sources</th></tr>
{% for p in s.parameters %}<tr><td class="num">{{ loop.index }}</td><td>{{ label(p.path) }}<br><code class="small">{{ p.path }}</code></td>
<td class="small">{{ p.dist }} {{ dist_text(p) }}</td><td class="num">{{ num(p.central) }}</td>
<td class="small">{{ (p.source_titles or p.sources or ["-"])|join("; ")|nopath }}{% if p.note %}<br>{{ p.note }}{% endif %}</td></tr>{% endfor %}
</table>
{% if s.fixed_inputs %}<h3>Fixed inputs</h3>
<p class="small">Every number the scenario states as a single value, with the sources of the
object that holds it.</p>
<table><colgroup><col style="width:40%"><col style="width:8.5em"><col></colgroup>
<tr><th>input</th><th class="num">value</th><th>sources</th></tr>
{% for p in s.fixed_inputs %}<tr><td>{{ label(p.path) }}<br><code class="small">{{ p.path }}</code></td><td class="num">{{ num(p.value) }}</td>
<td class="small">{{ (p.sources or ["-"])|join("; ")|nopath }}</td></tr>{% endfor %}
</table>{% endif %}
<h3>Sources</h3>
<table><colgroup><col style="width:20%"><col><col style="width:20%"><col style="width:7.5em"><col style="width:8em"></colgroup>
<tr><th>id</th><th>title</th><th>author</th><th>date</th><th>kind</th></tr>
{% for src in sources %}<tr><td>{{ src.id }}</td><td>{{ src.title|nopath }}</td><td>{{ src.author|nopath }}</td>
<td>{{ src.date or "" }}</td><td>{{ src.kind }}</td></tr>{% endfor %}
</table>
<p class="small">Made by polemos. This file is self-contained: it loads nothing from the network.</p>
</body></html>
"""

SKIP = {"path", "central", "dist", "sources", "note", "source_titles"}


def _dist_text(p: dict[str, Any]) -> str:
    """``low=640,000, mode=700,000, high=720,000``: a distribution's parameters, readable."""
    return ", ".join(f"{k}={readable(v) if isinstance(v, int | float) else v}"
                     for k, v in p.items() if k not in SKIP)


def _png(fig: Any) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def write_report(store: Store, run_id: str, out: Path | None = None) -> Path:
    """Write ``report.html`` and the PNG figures; return the HTML path."""
    summary = store.summary(run_id)
    out = Path(out) if out is not None else store.run_dir(run_id) / "report"
    out.mkdir(parents=True, exist_ok=True)
    cfg = store.config(run_id)
    lab = _labeller(cfg["scenario"])
    palette = Palette.from_scenario(cfg["scenario"], input_label=lab)
    figs, missing = [], []
    for key, title, make in FIGURES:
        fig = make(summary, palette)
        if fig is None:
            missing.append(title.lower())
            continue
        data = _png(fig)
        (out / f"{key}.png").write_bytes(data)
        figs.append((key, title, base64.b64encode(data).decode("ascii")))
    sources = cfg["scenario"]["meta"].get("sources", [])
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["nopath"] = no_paths
    from polemos.engine.claims import N_BOOT

    meta = cfg["scenario"]["meta"]
    html = env.from_string(TEMPLATE).render(
        label=lab, num=readable, summary_lines=plain_summary(summary, lab),
        as_of=meta.get("as_of", summary["dates"][0]),
        horizon=meta.get("horizon", summary["dates"][-1]),
        overrides=_overrides_text(summary["record"].get("overrides")),
        captions=CAPTIONS, target_name=palette.target_name, s=_Dot(summary),
        rec=_Dot(summary["record"]), figs=figs, missing=missing,
        verdict_colours=VERDICT_TEXT_COLOURS, conditions_note=conditions_note,
        sources=[_Dot(x) for x in sources], dist_text=_dist_text, n_boot=N_BOOT,
        now=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
    path = out / "report.html"
    path.write_text(html, encoding="utf-8")
    return path


def readable(x: Any) -> str:
    """``689000.0`` -> ``689,000``; ``0.01234`` -> ``0.01234``; never ``6.89e+05``."""
    if x is None:
        return "-"
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if v != v:
        return "-"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if v == int(v):
        return f"{int(v)}"
    if abs(v) >= 0.001:
        return f"{v:.4g}"
    return f"{float(f'{v:.2g}'):.12f}".rstrip("0").rstrip(".") if v else "0"


def no_paths(text: Any) -> str:
    """Drop machine paths (``/work/shared/seeds/001_*.txt``) from text shown to readers."""
    import re

    if text is None:
        return ""
    return re.sub(r",?\s*(?:[A-Za-z]:)?[/\\](?:[\w.*-]+[/\\])+[\w.*-]*", "", str(text))


def _labeller(data: dict[str, Any]) -> Any:
    from polemos.scenario.labels import Labeller

    lab = Labeller(None)
    lab.__dict__["data"] = data  # the scenario as stored with the run (plain data)
    return lab


def conditions_note(claim: dict[str, Any]) -> str:
    """A claim's conditions under its reading: only their coverage and density when the
    reading already states them (the same sentence is not printed twice)."""
    text = claim.get("conditions_text") or ""
    head, sep, tail = text.partition(" (coverage")
    if sep and head in (claim.get("reading") or ""):
        return f"these conditions: coverage{tail.rstrip(')')}"
    return text


def _overrides_text(raw: Any) -> str:
    import json

    try:
        items = json.loads(raw) if isinstance(raw, str) else (raw or {})
    except ValueError:
        return str(raw)
    return "; ".join(f"{k} = {v}" for k, v in items.items()) if items else "none"


def plain_summary(summary: dict[str, Any], lab: Any) -> list[str]:
    """What the run says in plain words: the likeliest end, then each claim and its mover."""
    outs = sorted((o for o in summary["outcomes"] if o.get("absorbing", True)),
                  key=lambda o: -o["p"])
    lines = []
    if outs:
        top = outs[0]
        rest = ", ".join(f"{o['label']} ({o['p']:.0%})" for o in outs[1:3])
        lines.append(f"The likeliest end by the horizon is: {top['label']}, in "
                     f"{top['p']:.0%} of the simulated draws (95% interval "
                     f"{top['low']:.0%} to {top['high']:.0%})."
                     + (f" Next: {rest}." if rest else ""))
    else:
        lines.append("The scenario defines no absorbing outcome.")
    for c in summary["claims"]:
        verdict = {"supported": "is supported", "contradicted": "is contradicted",
                   "undecided": "is left undecided", "fixed": "is fixed by the assumptions",
                   }.get(c["verdict"], f"has no verdict ({c['verdict']})")
        text = f"The claim \u201c{c['text']}\u201d {verdict}."
        if c.get("reading"):
            text += f" {c['reading']}"
        drivers = c.get("drivers") or []
        if drivers:
            d = drivers[0]
            text += f" What would change it most: {d.get('label') or lab(d['parameter'])}."
        lines.append(text)
    return lines


class _Dot(dict):
    """A dict whose keys read as attributes in the template (missing keys are None)."""

    def __getattr__(self, name: str) -> Any:
        value = self.get(name)
        if isinstance(value, dict):
            return _Dot(value)
        if isinstance(value, list):
            return [_Dot(v) if isinstance(v, dict) else v for v in value]
        return value
