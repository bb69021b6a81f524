// polemos web page: the form views of the scenario in the editor (actors; each issue with
// every actor's position and salience). A change in a field is sent to POST /api/edit with
// the editor's text; the server makes it in the YAML (comments kept whenever it can) and
// validates the result; the page then shows the new text, its problems and a fresh form.
// Edits in the YAML reach the form through validation (POST /api/validate returns it).

const $ = (id) => document.getElementById(id);
let hooks = null; // { api, esc, text(): string, edited(body, before, line) }
let formText = null; // the editor text the form was drawn from
let lastForm = null;
let busy = false; // an edit is on its way: further changes wait for the new form
let sentKey = null; // the field whose edit is on its way (its new value comes from the server)
const pending = new Set(); // fields changed while an edit was on its way, sent after it

export function setupForm(given) {
  hooks = given;
  $("form").addEventListener("change", (e) => {
    if (e.target.matches("input[data-key]")) fieldChanged(e.target);
  });
  $("form").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && e.target.matches("input[data-key]")) {
      e.preventDefault();
      e.target.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
  $("add-actor").addEventListener("click", addActor);
}

function say(text, kind = "") {
  const el = $("form-state");
  el.textContent = text;
  el.className = `small ${kind}`;
}

// The editor's text changed: the form waits for it to validate.
export function formStale() {
  if (formText === null) return;
  $("form").disabled = true;
  say("The form follows the text once it has been checked…", "muted");
}

export function renderForm(form, text) {
  const { esc } = hooks;
  const box = $("form");
  const focused = document.activeElement && document.activeElement.dataset
    ? document.activeElement.dataset.key : null;
  const typing = {}; // what the user typed in other fields meanwhile survives the redraw
  for (const i of box.querySelectorAll("input[data-key]")) {
    if (i.value !== (i.dataset.was || "") && i.dataset.key !== sentKey) typing[i.dataset.key] = i.value;
  }
  formText = text;
  lastForm = form;
  if (!form) {
    box.disabled = true;
    $("form-actors").innerHTML = "";
    $("form-issues").innerHTML = "";
    say("The form needs YAML that can be read: fix the problem shown above the form.", "warn");
    return;
  }
  box.disabled = false;
  const field = (key, path, kind, value, label, extra = "") => `<input type="text" data-key="${esc(key)}"`
    + ` data-path='${esc(JSON.stringify(path))}' data-kind="${kind}" value="${esc(value)}"`
    + ` data-was="${esc(value)}" title="${esc(value)}" aria-label="${esc(label)}" spellcheck="false" autocomplete="off"${extra}>`;
  const actorIds = form.actors.map((a) => a.id);
  $("form-actors").innerHTML = `<table class="form-table" id="form-actors-table">`
    + `<caption>Actors <span class="muted">(influence: power in bargaining, any positive scale;`
    + ` a number or a distribution such as {dist: uniform, low: 50, high: 80})</span></caption>`
    + `<thead><tr><th scope="col">Id</th><th scope="col">Name</th><th scope="col">Influence</th></tr></thead><tbody>`
    + form.actors.map((a) => (a.bad
      ? `<tr><td colspan="3" class="warn">actors[${a.index}] is not a mapping: fix it in the YAML</td></tr>`
      : `<tr data-actor="${esc(a.id)}">`
        + `<td>${field(`a${a.index}.id`, ["actors", a.index, "id"], "value", a.id, `actor ${a.index + 1} id`, ' class="id"')}</td>`
        + `<td>${field(`a${a.index}.name`, ["actors", a.index, "name"], "value", a.name, `${a.id} name`)}</td>`
        + `<td>${field(`a${a.index}.influence`, ["actors", a.index, "influence"], "text", a.influence, `${a.id} influence`, ' class="qty" placeholder="(none)"')}</td></tr>`)).join("")
    + `</tbody></table>`;
  $("add-actor").disabled = !form.lists.actors;
  $("form-issues").innerHTML = form.issues.map((s) => {
    if (s.bad) return `<p class="warn">issues[${s.index}] is not a mapping: fix it in the YAML</p>`;
    const ids = [...actorIds, ...Object.keys(s.positions).filter((k) => !actorIds.includes(k))];
    const rows = ids.filter((id) => id).map((id) => {
      const st = s.positions[id];
      const base = ["issues", s.index, "positions", id];
      const mark = actorIds.includes(id) ? "" : ' <span class="warn">(not an actor)</span>';
      return `<tr data-actor="${esc(id)}" class="${st ? "" : "absent"}"><th scope="row">${esc(id)}${mark}</th>`
        + ["position", "salience"].map((k) => `<td>${field(`i${s.index}.${id}.${k}`, [...base, k], "stance",
          st ? st[k] : "", `${id} ${k} on ${s.id}`, ` class="qty" placeholder="${st ? "" : "—"}" data-issue="${s.index}" data-actor="${esc(id)}"`)}</td>`).join("")
        + "</tr>";
    }).join("");
    return `<table class="form-table" data-issue="${esc(s.id)}"><caption>Issue <strong>${esc(s.name || s.id)}</strong>`
      + ` <span class="muted">(${esc(s.id)}; positions and saliences on a 0-100 scale)</span><span class="sq">status quo `
      + `${field(`i${s.index}.sq`, ["issues", s.index, "status_quo"], "text", s.status_quo, `${s.id} status quo`, ' class="qty short" placeholder="(none)"')}</span></caption>`
      + `<thead><tr><th scope="col">Actor</th><th scope="col">Position</th><th scope="col">Salience</th></tr></thead>`
      + `<tbody>${rows}</tbody></table>`;
  }).join("") || `<p class="muted">No issues in this scenario.</p>`;
  for (const [key, value] of Object.entries(typing)) {
    const i = box.querySelector(`input[data-key="${CSS.escape(key)}"]`);
    if (i) i.value = value;
  }
  if (focused) {
    const again = box.querySelector(`input[data-key="${CSS.escape(focused)}"]`);
    if (again) again.focus();
  }
}

// One field changed: the edit it makes, or a message when it cannot make one yet.
function editFor(input) {
  const path = JSON.parse(input.dataset.path);
  const value = input.value.trim();
  if (input.dataset.kind === "value") {
    if (!value) return { error: "an id or a name cannot be empty" };
    return { path, value };
  }
  if (input.dataset.kind === "text") {
    if (value) return { path, text: value };
    return input.dataset.was ? { path, delete: true } : null;
  }
  // a stance: both position and salience, or neither (the actor takes no part)
  const row = input.closest("tr");
  const [pos, sal] = [...row.querySelectorAll("input")].map((i) => i.value.trim());
  const stance = path.slice(0, -1);
  const had = !row.classList.contains("absent");
  if (!pos && !sal) return had ? { path: stance, delete: true } : null;
  if (!pos || !sal) return { error: `${input.dataset.actor}: give both a position and a salience (or clear both to leave the issue)` };
  if (had) return value ? { path, text: value } : null;
  return { path: stance, text: `{position: ${pos}, salience: ${sal}}` };
}

async function fieldChanged(input) {
  if (busy) {
    pending.add(input.dataset.key);
    return;
  }
  if (formText === null || formText !== hooks.text()) return; // stale: the form is redrawn soon
  if (input.value.trim() === (input.dataset.was || "").trim()
      && !(input.dataset.kind === "stance" && input.closest("tr").classList.contains("absent"))) return;
  const edit = editFor(input);
  if (!edit) return;
  if (edit.error) {
    input.setAttribute("aria-invalid", "true");
    say(edit.error, "warn");
    return;
  }
  await send([edit], input);
}

async function addActor() {
  const id = $("new-actor-id").value.trim();
  const name = $("new-actor-name").value.trim();
  if (!id || !name) {
    say("A new actor needs an id (e.g. MEX) and a name.", "warn");
    return;
  }
  const n = lastForm ? lastForm.actors.length : 0;
  if (await send([{ path: ["actors", n], value: { id, name } }], null)) {
    $("new-actor-id").value = "";
    $("new-actor-name").value = "";
  }
}

async function send(edits, input) {
  const before = hooks.text();
  busy = true;
  sentKey = input ? input.dataset.key : null;
  $("form").setAttribute("aria-busy", "true");
  say("Updating the YAML…", "muted");
  const { ok, body } = await hooks.api("/api/edit", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ yaml: before, edits }),
  });
  busy = false;
  $("form").removeAttribute("aria-busy");
  if (!ok) {
    sentKey = null;
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
    }
    say(`${body.error}${body.hint ? ` (${body.hint})` : ""}`, "bad");
    return false;
  }
  if (hooks.text() !== before) { // the YAML was typed in meanwhile: it wins
    sentKey = null;
    pending.clear();
    say("The YAML changed while the form edit was on its way; the edit was not applied.", "warn");
    return false;
  }
  const line = firstDifference(before, body.yaml);
  hooks.edited(body, before, line);
  sentKey = null;
  say(body.kept_comments
    ? `The YAML was updated at line ${line}; comments and layout kept.`
    : "The YAML was rewritten for this edit: its comments and layout were lost. Undo brings the previous text back.",
  body.kept_comments ? "ok" : "warn");
  const queued = [...pending];
  pending.clear();
  for (const key of queued) {
    const next = $("form").querySelector(`input[data-key="${CSS.escape(key)}"]`);
    if (next) await fieldChanged(next);
  }
  return true;
}

function firstDifference(a, b) {
  const x = a.split("\n");
  const y = b.split("\n");
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i += 1;
  return i + 1;
}
