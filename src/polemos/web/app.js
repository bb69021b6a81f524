// polemos web page: pick or edit a scenario, validate it, run it, read the results.
// Plain ES module, no dependencies, talks only to this server's /api.

import { formStale, renderForm, setupForm } from "./form.js";

const $ = (id) => document.getElementById(id);

const state = {
  loadedName: "", // seed scenario whose text is in the editor
  loadedText: "", // that text as loaded (unchanged text runs by name)
  problemLines: new Set(),
  polling: null,
  undo: null, // the editor text before the last form edit
  picked: [], // run ids ticked for comparison: A, then B
  checks: 0, // validation requests sent (a late answer to an older text is ignored)
  validated: "", // the text last checked
  lastValidTitle: "",
  autoCheck: null, // timer: validate a moment after typing stops
};

// -- helpers ------------------------------------------------------------------------

function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
  })[c]);
}

function pct(p, digits = 1) {
  if (p === null || p === undefined) return "";
  if (p > 0 && p < 0.001) return "<0.1%";
  return `${(100 * p).toFixed(digits)}%`;
}

function signed(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return "";
  const s = Math.abs(x) >= 1000 || (Math.abs(x) < 0.01 && x !== 0)
    ? x.toExponential(2) : x.toPrecision(3);
  return x > 0 ? `+${s}` : s;
}

async function api(path, options = {}) {
  const res = await fetch(path, options);
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = { error: `${res.status} ${res.statusText}`, hint: "the server sent no JSON" };
  }
  return { ok: res.ok, status: res.status, body };
}

function showError(body) {
  const box = $("error");
  if (!body) {
    box.hidden = true;
    box.innerHTML = "";
    return;
  }
  box.innerHTML = `<strong>${esc(body.error || "Something went wrong")}</strong>`
    + (body.hint ? `<span class="hint">${esc(body.hint)}</span>` : "");
  box.hidden = false;
}

function setState(id, text, kind = "") {
  const el = $(id);
  el.textContent = text;
  el.className = `state ${kind}`;
}

// -- editor: line numbers, problems, jump to line ------------------------------------

function renderGutter() {
  const n = $("yaml").value.split("\n").length;
  const parts = [];
  for (let i = 1; i <= n; i += 1) {
    parts.push(state.problemLines.has(i) ? `<span class="bad">${i}</span>` : String(i));
  }
  $("gutter").innerHTML = parts.join("\n") + "\n";
  $("gutter").scrollTop = $("yaml").scrollTop;
}

function jumpTo(line, column) {
  const area = $("yaml");
  const lines = area.value.split("\n");
  const target = Math.min(Math.max(line, 1), lines.length);
  let start = 0;
  for (let i = 0; i < target - 1; i += 1) start += lines[i].length + 1;
  const end = start + lines[target - 1].length;
  area.focus();
  area.setSelectionRange(column ? Math.min(start + column - 1, end) : start, end);
  const lh = parseFloat(getComputedStyle(area).lineHeight) || 18;
  area.scrollTop = Math.max(0, (target - 1) * lh - area.clientHeight / 3);
  renderGutter();
}

function renderProblems(problems) {
  const list = $("problems");
  list.innerHTML = "";
  state.problemLines = new Set(problems.filter((p) => p.line).map((p) => p.line));
  for (const p of problems) {
    const li = document.createElement("li");
    const where = p.line ? `line ${p.line}${p.column ? `, col ${p.column}` : ""}` : "(no line)";
    li.innerHTML = `<button type="button"><span class="where">${esc(where)}</span>`
      + `${p.path ? ` <code>${esc(p.path)}</code>` : ""} ${esc(p.message)}`
      + `${p.hint ? `<span class="hint">→ ${esc(p.hint)}</span>` : ""}</button>`;
    const button = li.querySelector("button");
    if (p.line) {
      button.addEventListener("click", () => jumpTo(p.line, p.column));
      button.setAttribute("aria-label", `Go to ${where}: ${p.message}`);
    } else {
      button.disabled = true;
    }
    list.appendChild(li);
  }
  renderGutter();
}

// -- scenarios -----------------------------------------------------------------------

async function loadScenarioList() {
  const { ok, body } = await api("/api/scenarios");
  const select = $("seed");
  select.innerHTML = "";
  if (!ok) {
    showError(body);
    return;
  }
  const custom = document.createElement("option");
  custom.value = "";
  custom.textContent = "(your own YAML)";
  select.appendChild(custom);
  for (const s of body.scenarios) {
    const opt = document.createElement("option");
    opt.value = s.name;
    opt.textContent = s.valid ? `${s.title}` : `${s.name} (invalid file)`;
    select.appendChild(opt);
  }
  const first = body.scenarios.find((s) => s.valid);
  if (first) {
    select.value = first.name;
    await loadScenario(first.name);
  } else if (!body.scenarios.length) {
    $("seed-meta").textContent = "This server lists no seed scenarios: paste or upload a scenario's YAML.";
  }
}

async function loadScenario(name) {
  if (!name) return;
  const { ok, body } = await api(`/api/scenarios/${encodeURIComponent(name)}`);
  if (!ok) {
    showError(body);
    if (body.problems) { // an invalid seed file: show its text and where it is wrong
      const res = await fetch(`/api/scenarios/${encodeURIComponent(name)}/yaml`);
      state.loadedName = "";
      $("yaml").value = res.ok ? await res.text() : "";
      $("seed-meta").textContent = "";
      renderProblems(body.problems);
      await validate(); // its form too, so it can be fixed there
    }
    return;
  }
  showError(null);
  state.checks += 1; // an older check in flight no longer applies
  state.loadedName = body.name;
  state.loadedText = body.yaml;
  $("yaml").value = body.yaml;
  $("yaml").scrollTop = 0;
  const m = body.scenario.meta;
  $("seed-meta").textContent = `${m.id} · as of ${m.as_of} · horizon ${m.horizon}`;
  renderProblems([]);
  setState("validate-state", "");
  state.validated = body.yaml;
  renderNames(body.names, m.title);
  await validate(); // the form of this text
}

// The state variables help follows the text in the editor: it lists the names of the
// last text that validated, and says so when the current text does not.
function renderNames(names, title) {
  $("names").innerHTML = Object.entries(names)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("");
  state.lastValidTitle = title;
  $("names-for").textContent = `Names of: ${title} (${Object.keys(names).length})`;
  $("names-for").className = "muted small";
}

function namesStale() {
  $("names-for").textContent = state.lastValidTitle
    ? `The text has problems; these names are from the last valid text (${state.lastValidTitle}).`
    : "The text has problems; fix them to see its names.";
  $("names-for").className = "small warn";
}

async function validate() {
  setState("validate-state", "checking…");
  const text = $("yaml").value;
  state.checks += 1;
  const mine = state.checks;
  const { ok, body } = await api("/api/validate", {
    method: "POST",
    headers: { "content-type": "text/plain; charset=utf-8" },
    body: text,
  });
  if (mine !== state.checks) return null; // the text changed meanwhile: a newer check runs
  state.validated = text;
  if (!ok) {
    setState("validate-state", `${body.error}${body.hint ? ` (${body.hint})` : ""}`, "bad");
    renderProblems(body.problems || []);
    namesStale();
    renderForm(null, text);
    return false;
  }
  showValidation(body, text);
  return body.valid;
}

// A validation result: problems by the editor, the header, the names help and the form.
function showValidation(body, text) {
  renderProblems(body.problems);
  if (body.valid) {
    const m = body.scenario;  // the header follows the text in the editor, not the last seed
    $("seed-meta").textContent = `${m.id} · as of ${m.as_of} · horizon ${m.horizon}`;
    setState("validate-state", `Valid: ${body.scenario.title}`, "ok");
    renderNames(body.names, m.title);
  } else {
    namesStale();
    const n = body.problems.length;
    setState("validate-state", `${n} problem${n === 1 ? "" : "s"} (click one to jump to its line)`, "bad");
  }
  renderForm(body.form, text);
}

// A form edit came back from the server: its text goes into the editor, validated.
function formEdited(body, before, line) {
  const area = $("yaml");
  const top = area.scrollTop;
  area.value = body.yaml;
  state.checks += 1; // a check of the old text in flight no longer applies
  state.validated = body.yaml;
  if (state.loadedName && body.yaml !== state.loadedText) $("seed").value = "";
  state.undo = before;
  $("form-undo").hidden = false;
  showValidation(body, body.yaml);
  const lh = parseFloat(getComputedStyle(area).lineHeight) || 18;
  const y = (line - 1) * lh;
  area.scrollTop = y < top || y > top + area.clientHeight - 2 * lh
    ? Math.max(0, y - area.clientHeight / 3) : top;
  renderGutter();
}

// -- runs ----------------------------------------------------------------------------

async function startRun() {
  showError(null);
  const draws = Number($("draws").value);
  const seed = Number($("seed-number").value);
  const text = $("yaml").value;
  const request = { draws, seed, design: $("design").value };
  if (state.loadedName && text === state.loadedText) request.scenario = state.loadedName;
  else request.yaml = text;
  $("run").disabled = true;
  setState("run-state", "starting…");
  const { ok, body } = await api("/api/runs", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(request),
  });
  if (!ok) {
    $("run").disabled = false;
    setState("run-state", "not started", "bad");
    showError(body);
    if (body.problems) renderProblems(body.problems.filter((p) => p.line !== undefined));
    return;
  }
  renderProblems([]);
  watch(body.run_id);
}

function watch(id) {
  if (state.polling) clearTimeout(state.polling);
  const bar = $("progress");
  bar.hidden = false;
  bar.value = 0;
  $("run").disabled = true;
  const tick = async () => {
    const { ok, body } = await api(`/api/runs/${encodeURIComponent(id)}`);
    if (!ok) {
      finish("failed", "bad");
      showError(body);
      return;
    }
    bar.value = body.progress || 0;
    if (body.status === "complete") {
      finish(`done: ${body.draws.toLocaleString()} draws`, "ok");
      renderRun(body);
      loadRecent();
      return;
    }
    if (body.status === "failed") {
      finish("failed", "bad");
      showError({ error: body.error || "the run failed", hint: "the server log has the details" });
      loadRecent();
      return;
    }
    setState("run-state", `${body.status} · ${Math.round(100 * (body.progress || 0))}%`);
    state.polling = setTimeout(tick, 400);
  };
  tick();
}

function finish(text, kind) {
  state.polling = null;
  $("run").disabled = false;
  $("progress").hidden = true;
  setState("run-state", text, kind);
}

function barChart(rows, kind) {
  const W = 600;
  const left = 6;
  const right = 178;
  const plotW = W - left - right;
  const rowH = 48;
  const top = 20;
  const H = top + rows.length * rowH;
  const x = (v) => left + Math.max(0, Math.min(1, v)) * plotW;
  const parts = [];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    const anchor = t === 0 ? "start" : t === 1 ? "end" : "middle";
    parts.push(`<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="${top - 4}" y2="${H}"/>`
      + `<text class="tick" x="${x(t)}" y="${top - 8}" text-anchor="${anchor}">${t * 100}%</text>`);
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const label = r.label.length > 72 ? `${r.label.slice(0, 70)}…` : r.label;
    const sp = r.spread;
    const across = sp ? `; across worlds ${pct(sp.p05)} to ${pct(sp.p95)}` : "";
    const desc = `${r.label}: ${pct(r.p)} (95% interval ${pct(r.low)} to ${pct(r.high)}${across})`;
    parts.push(`<g><title>${esc(desc)}</title>`
      + `<text class="label" x="${left}" y="${y + 17}">${esc(label)}</text>`
      + (sp ? `<rect class="spread" x="${x(sp.p05)}" y="${y + 40}" width="${Math.max(1, x(sp.p95) - x(sp.p05))}" height="3"><title>across worlds (5%-95%): ${esc(pct(sp.p05))} to ${esc(pct(sp.p95))}</title></rect>` : "")
      + `<rect class="track" x="${left}" y="${y + 24}" width="${plotW}" height="14" rx="2"/>`
      + `<rect class="bar ${kind}" x="${left}" y="${y + 24}" width="${Math.max(0, x(r.p) - left)}" height="14" rx="2"/>`
      + `<line class="whisker" x1="${x(r.low)}" x2="${x(r.high)}" y1="${y + 31}" y2="${y + 31}"/>`
      + `<line class="whisker" x1="${x(r.low)}" x2="${x(r.low)}" y1="${y + 26}" y2="${y + 36}"/>`
      + `<line class="whisker" x1="${x(r.high)}" x2="${x(r.high)}" y1="${y + 26}" y2="${y + 36}"/>`
      + `<text class="value" x="${W - right + 10}" y="${y + 36}">${esc(pct(r.p))}</text>`
      + `<text class="tick" x="${W - 4}" y="${y + 36}" text-anchor="end">[${esc(pct(r.low))}, ${esc(pct(r.high))}]</text>`
      + "</g>");
  });
  const summary = rows.map((r) => `${r.label} ${pct(r.p)}`).join("; ");
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(summary)}">${parts.join("")}</svg>`;
}

function words(id) {
  return String(id ?? "").replace(/_/g, " ");
}

function num(x) {
  if (x === null || x === undefined) return "";
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString("en");
  if (a >= 10) return x.toFixed(1);
  return String(Number(x.toPrecision(3)));
}

// The verdict explained in plain words: the bar the stated confidence sets, the credence
// against it, what fixes a fixed claim, the conditions under which it holds, its drivers.
function whyClaim(c) {
  if (c.verdict === "error" || c.verdict === "n/a") {
    return c.error ? `<details class="why"><summary>Why</summary><p>${esc(c.error)}</p></details>` : "";
  }
  const parts = [];
  const level = c.level;
  const stated = `<em>${esc(words(c.confidence))}</em>`;
  const cred = c.credence ?? c.holds_share;
  const interval = c.credence_low !== null && c.credence_low !== undefined
    ? ` (95% interval ${pct(c.credence_low, 0)} to ${pct(c.credence_high, 0)})` : "";
  const holds = `It holds in ${pct(cred, 0)} of the plausible worlds sampled${interval}.`;
  if (level !== undefined && level !== null) {
    const bar = `Stated as ${stated}: supported if it holds in at least ${pct(level, 0)} of `
      + `plausible worlds, contradicted if in at most ${pct(1 - level, 0)}.`;
    parts.push(`<p class="why-bar">${bar} ${esc(holds)}</p>`);
  } else if (cred !== null && cred !== undefined) {
    parts.push(`<p>${esc(holds)}</p>`);
  }
  if (c.verdict === "fixed") {
    const as = { supported: "holds", contradicted: "fails" }[c.fixed_as] || "stays undecided";
    const [lo, hi] = c.credence_range || [null, null];
    const range = lo === null ? "" : lo === hi
      ? ` In every admissible world tried its credence is ${pct(lo, 0)}.`
      : ` Across the admissible worlds tried its credence stays between ${pct(lo, 0)} and ${pct(hi, 0)}.`;
    parts.push(`<p class="why-fixed"><strong>Fixed: an assumption, not a finding.</strong> `
      + `It ${as} whatever the uncertain inputs are, because ${esc(c.fixed_reason || "no admissible input changes its verdict")}.${esc(range)} `
      + "To test it, widen the inputs it rests on or change the model, not the number of draws.</p>");
  } else if (c.decidable) {
    const what = {
      supported: "The credence clears the bar.",
      contradicted: "The credence is below the bar for failing.",
      undecided: "The credence lies between the two bars.",
    }[c.verdict] || "";
    parts.push(`<p>${esc(what)} The inputs can move it: some admissible worlds show it holding and others failing.</p>`);
  }
  if (c.conditions && c.conditions.length) {
    const items = c.conditions.map((k) => {
      const label = esc(k.label || k.parameter);
      if (k.low !== null && k.high !== null) return `<li>${label} between ${esc(num(k.low))} and ${esc(num(k.high))}</li>`;
      if (k.low !== null) return `<li>${label} above ${esc(num(k.low))}</li>`;
      return `<li>${label} below ${esc(num(k.high))}</li>`;
    }).join("");
    const cov = c.coverage !== null && c.coverage !== undefined
      ? `<p class="muted">These conditions cover ${pct(c.coverage, 0)} of the worlds where it holds; `
        + `within them it holds in ${pct(c.density, 0)}.</p>` : "";
    parts.push(`<p>It holds mostly when:</p><ul class="conditions">${items}</ul>${cov}`);
  }
  const drivers = (c.drivers || []).map((d) => {
    const dir = d.effect >= 0 ? "raises" : "lowers";
    const pts = Math.abs(100 * d.effect).toFixed(0);
    const firm = (d.stability ?? 1) >= 0.5 ? "" : ` <span class="muted">(unsure: among the top three in ${pct(d.stability, 0)} of resamples)</span>`;
    return `<li>${esc(d.label || d.parameter)}: a high value ${dir} the credence by ${pts} points${firm}</li>`;
  }).join("");
  if (drivers) parts.push(`<p>What moves it most (worlds above against below each input's median):</p><ul class="drivers">${drivers}</ul>`);
  if (!parts.length) return "";
  return `<details class="why"><summary>Why this verdict</summary>${parts.join("")}</details>`;
}

function renderRun(run) {
  $("empty").hidden = true;
  $("result").hidden = false;
  $("comparison").hidden = true;
  const when = (run.finished || run.created || "").replace("T", " ").slice(0, 16);
  $("run-meta").textContent = `${run.title} · ${run.draws.toLocaleString()} draws · seed ${run.seed}`
    + ` · ${run.design} · run ${run.run_id}${when ? ` · ${when} UTC` : ""}`;
  $("report-link").href = run.links.report;
  $("csv-link").href = run.links.csv;
  $("parquet-link").href = run.links.parquet;
  const ends = run.outcomes.filter((o) => o.absorbing);
  if (run.none && run.none.p > 0) ends.push(run.none);
  const events = run.outcomes.filter((o) => !o.absorbing);
  $("end-states").innerHTML = barChart(ends, "");
  $("events").innerHTML = events.length ? barChart(events, "event") : "";
  $("events-heading").hidden = events.length === 0;
  const body = $("claims").querySelector("tbody");
  body.innerHTML = (run.claims || []).map((c) => {
    const share = c.credence ?? c.holds_share;
    const ci = c.credence_low !== undefined && c.credence_low !== null
      ? `<span class="interval">[${esc(pct(c.credence_low, 0))}-${esc(pct(c.credence_high, 0))}]</span>` : "";
    const cred = share === null || share === undefined ? "" : `${esc(pct(share, 0))}${ci}`;
    const verdict = c.verdict === "fixed" && c.fixed_as ? `fixed (${c.fixed_as})` : c.verdict;
    const why = whyClaim(c);
    return `<tr data-claim="${esc(c.id)}" class="${why ? "has-why" : ""}"><td>${esc(c.text)}<span class="claim-meta">${esc(c.source)} · stated as `
      + `<em>${esc(words(c.confidence))}</em></span>`
      + `<code>${esc(c.expr)}</code></td>`
      + `<td><span class="verdict ${esc(c.verdict)}">${esc(verdict)}</span>`
      + `${c.error ? `<div class="small muted">${esc(c.error)}</div>` : ""}</td>`
      + `<td class="num">${cred}</td>`
      + `<td class="small">${esc(c.reading || "")}</td></tr>`
      + (why ? `<tr class="why-row" data-why="${esc(c.id)}"><td colspan="4">${why}</td></tr>` : "");
  }).join("") || `<tr><td colspan="4" class="muted">This scenario states no claims.</td></tr>`;
  history.replaceState(null, "", `#run=${encodeURIComponent(run.run_id)}`);
}

async function showRun(id) {
  showError(null);
  const { ok, body } = await api(`/api/runs/${encodeURIComponent(id)}`);
  if (!ok) {
    showError(body);
    return;
  }
  if (body.status === "complete") renderRun(body);
  else if (body.status === "failed") showError({ error: body.error || "the run failed" });
  else watch(id);
}

async function loadRecent() {
  const { ok, body } = await api("/api/runs?limit=30");
  const list = $("recent");
  if (!ok) return;
  const rows = body.runs;
  list.innerHTML = rows.length ? "" : `<li class="muted">No runs yet.</li>`;
  $("runs-count").textContent = body.total > rows.length
    ? `The newest ${rows.length} of ${body.total.toLocaleString()} runs in the store (polemos runs list shows them all).` : "";
  const known = new Set(rows.map((r) => r.run_id).filter(Boolean));
  state.picked = state.picked.filter((id) => known.has(id));
  for (const r of rows) {
    const li = document.createElement("li");
    const when = (r.created || "").replace("T", " ").slice(0, 16);
    const id = r.run_id || r.job_id;
    const label = `${r.title || r.scenario} · ${Number(r.draws).toLocaleString()} draws · seed ${r.seed}`;
    const pick = r.run_id && r.status === "complete"
      ? `<input type="checkbox" class="pick" aria-label="Compare ${esc(label)} (${esc(when)})">`
      : `<span class="pick-none" aria-hidden="true"></span>`;
    li.innerHTML = `${pick}<button type="button" data-run="${esc(id)}"><span>${esc(r.title || r.scenario)}`
      + ` <span class="muted">· ${Number(r.draws).toLocaleString()} draws · seed ${esc(r.seed)}`
      + ` · ${esc(r.status)}</span><span class="run-id">${esc(id)}</span></span>`
      + `<span class="when">${esc(when)}</span></button>`;
    li.querySelector("button").addEventListener("click", () => showRun(id));
    const box = li.querySelector("input.pick");
    if (box) {
      box.dataset.run = r.run_id;
      box.checked = state.picked.includes(r.run_id);
      box.addEventListener("change", () => pickRun(r.run_id, box.checked));
    }
    list.appendChild(li);
  }
  updatePicks();
}

// Two ticked runs, in the order ticked: A (baseline) then B; a third tick drops the oldest.
function pickRun(id, on) {
  state.picked = state.picked.filter((x) => x !== id);
  if (on) state.picked.push(id);
  if (state.picked.length > 2) state.picked = state.picked.slice(-2);
  updatePicks();
}

function updatePicks() {
  for (const box of document.querySelectorAll("#recent input.pick")) {
    const at = state.picked.indexOf(box.dataset.run);
    box.checked = at >= 0;
    box.closest("li").dataset.pick = at === 0 ? "A" : at === 1 ? "B" : "";
  }
  $("compare").disabled = state.picked.length !== 2;
  setState("compare-state", state.picked.length === 1 ? "A chosen; tick B" : "");
}

async function compareRuns(a, b) {
  showError(null);
  setState("compare-state", "comparing…");
  const q = `a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`;
  const { ok, body } = await api(`/api/compare?${q}`);
  if (!ok) {
    setState("compare-state", "not compared", "bad");
    showError(body);
    return;
  }
  setState("compare-state", "");
  renderComparison(body);
  history.replaceState(null, "", `#compare=${encodeURIComponent(a)},${encodeURIComponent(b)}`);
}

function runLine(side, r) {
  const when = (r.created || "").replace("T", " ").slice(0, 16);
  const over = Object.entries(r.overrides || {}).map(([k, v]) => `${k} = ${v}`).join(", ");
  return `${side}: ${r.title} · ${Number(r.draws).toLocaleString()} draws · seed ${r.seed} · `
    + `${r.design} · run ${r.run_id}${when ? ` · ${when} UTC` : ""}${over ? ` · changed: ${over}` : ""}`;
}

function verdictCell(v, fixedAs, cred, low, high) {
  const label = v === "fixed" && fixedAs ? `fixed (${fixedAs})` : v;
  const ci = low !== null && low !== undefined ? ` [${pct(low, 0)}-${pct(high, 0)}]` : "";
  const c = cred === null || cred === undefined ? "" : `<span class="interval">credence ${esc(pct(cred, 0))}${esc(ci)}</span>`;
  return `<span class="verdict ${esc(v)}">${esc(label)}</span>${c}`;
}

function renderComparison(cmp) {
  $("empty").hidden = true;
  $("result").hidden = true;
  $("comparison").hidden = false;
  $("compare-meta").innerHTML = `${esc(runLine("A", cmp.a))}<br>${esc(runLine("B", cmp.b))}`;
  $("compare-outcomes").querySelector("tbody").innerHTML = cmp.outcomes.map((o) => {
    const sure = o.low !== null && (o.low > 0 || o.high < 0);
    const ci = o.low === null ? "" : `<span class="interval">[${esc(signedPct(o.low))}, ${esc(signedPct(o.high))}]</span>`;
    return `<tr data-outcome="${esc(o.id)}" class="${sure ? "differs" : ""}"><td>${esc(o.label)}`
      + `${o.absorbing ? "" : ' <span class="muted small">(event)</span>'}</td>`
      + `<td class="num">${esc(pct(o.a))}</td><td class="num">${esc(pct(o.b))}</td>`
      + `<td class="num">${esc(signedPct(o.diff))}${ci}</td></tr>`;
  }).join("") || `<tr><td colspan="4" class="muted">The runs share no outcome.</td></tr>`;
  const notes = [];
  notes.push(cmp.paired
    ? `Paired draws (same seed, design and draws): the interval of B − A is a paired bootstrap over ${cmp.draws.toLocaleString()} draws; rows in bold differ beyond sampling error.`
    : "Not paired (the runs differ in seed, design or draws): B − A is shown without an interval; run both with the same seed and draws for a paired comparison.");
  if (cmp.outcomes_only_a.length) notes.push(`Only in A: ${cmp.outcomes_only_a.join(", ")}.`);
  if (cmp.outcomes_only_b.length) notes.push(`Only in B: ${cmp.outcomes_only_b.join(", ")}.`);
  if (cmp.claims_only_a.length) notes.push(`Claims only in A: ${cmp.claims_only_a.join(", ")}.`);
  if (cmp.claims_only_b.length) notes.push(`Claims only in B: ${cmp.claims_only_b.join(", ")}.`);
  $("compare-note").textContent = notes.join(" ");
  $("compare-claims").querySelector("tbody").innerHTML = cmp.claims.map((c) => `<tr data-claim="${esc(c.id)}" class="${c.changed ? "changed" : ""}">`
    + `<td>${esc(c.text)}${c.changed ? ' <strong class="changed-mark">verdict changed</strong>' : ""}</td>`
    + `<td>${verdictCell(c.verdict_a, c.fixed_as_a, c.credence_a, c.credence_low_a, c.credence_high_a)}</td>`
    + `<td>${verdictCell(c.verdict_b, c.fixed_as_b, c.credence_b, c.credence_low_b, c.credence_high_b)}</td></tr>`).join("")
    || `<tr><td colspan="3" class="muted">No claim in common.</td></tr>`;
  $("comparison").scrollIntoView({ block: "start" });
}

function signedPct(x) {
  if (x === null || x === undefined) return "";
  const s = `${(100 * Math.abs(x)).toFixed(1)} pt`;
  return x > 0 ? `+${s}` : x < 0 ? `−${s}` : "0.0 pt";
}

// -- wiring --------------------------------------------------------------------------

function init() {
  const area = $("yaml");
  area.addEventListener("input", () => {
    if (state.problemLines.size) state.problemLines = new Set();
    renderGutter();
    if (state.loadedName && area.value !== state.loadedText) $("seed").value = "";
    formStale();
    clearTimeout(state.autoCheck);
    state.autoCheck = setTimeout(() => {
      if (area.value !== state.validated) validate();
    }, 700);
  });
  area.addEventListener("scroll", () => { $("gutter").scrollTop = area.scrollTop; });
  let tabLeaves = false; // after Esc, Tab moves focus on (no keyboard trap)
  area.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      tabLeaves = true;
      return;
    }
    if (e.key === "Tab" && !tabLeaves && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
      e.preventDefault(); // two spaces, as YAML wants
      area.setRangeText("  ", area.selectionStart, area.selectionEnd, "end");
      renderGutter();
    }
    tabLeaves = false;
  });
  $("seed").addEventListener("change", (e) => {
    if (e.target.value) loadScenario(e.target.value);
    else state.loadedName = "";
  });
  $("validate").addEventListener("click", validate);
  $("upload").addEventListener("change", async (e) => {
    const file = e.target.files && e.target.files[0];
    if (!file) return;
    $("yaml").value = await file.text();
    $("yaml").dispatchEvent(new Event("input"));
    state.loadedName = "";
    await validate();
  });
  $("download").addEventListener("click", () => {
    const blob = new Blob([$("yaml").value], { type: "application/x-yaml" });
    const a = document.createElement("a");
    const id = (/^\s*id:\s*([A-Za-z0-9_-]+)/m.exec($("yaml").value) || [, "scenario"])[1];
    a.href = URL.createObjectURL(blob);
    a.download = `${id}.yaml`;
    a.click();
    URL.revokeObjectURL(a.href);
  });
  $("run").addEventListener("click", startRun);
  setupForm({ api, esc, text: () => $("yaml").value, edited: formEdited });
  $("form-undo").addEventListener("click", () => {
    if (state.undo === null) return;
    $("yaml").value = state.undo;
    state.undo = null;
    $("form-undo").hidden = true;
    $("yaml").dispatchEvent(new Event("input"));
  });
  api("/api/health").then(({ ok, body }) => {
    if (ok) {
      $("version").textContent = body.version;
      $("draws").max = body.limits.draws;
    }
  });
  loadScenarioList();
  loadRecent();
  $("compare").addEventListener("click", () => compareRuns(state.picked[0], state.picked[1]));
  const m = location.hash.match(/^#run=(.+)$/);
  if (m) showRun(decodeURIComponent(m[1]));
  const c = location.hash.match(/^#compare=([^,]+),(.+)$/);
  if (c) compareRuns(decodeURIComponent(c[1]), decodeURIComponent(c[2]));
}

init();
