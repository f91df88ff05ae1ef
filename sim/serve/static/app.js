// coalition-sim classroom: plain JavaScript, no libraries, nothing from the network.
// Names from scenarios are always set with textContent (never innerHTML), so they stay text.
"use strict";

const params = new URLSearchParams(location.search);
const CODE = params.get("code") || "";
const SVGNS = "http://www.w3.org/2000/svg";
const MAX_FRAMES = 5000;
const MAX_ROWS = 3000;
let scenarios = [];
const views = [];

function api(path, body, method) {
  const headers = { "Content-Type": "application/json" };
  if (CODE) headers["X-Session-Code"] = CODE;
  return fetch(path, {
    method: method || (body === undefined ? "GET" : "POST"),
    headers, body: body === undefined ? undefined : JSON.stringify(body),
  }).then(async (r) => {
    let data = {};
    try { data = await r.json(); } catch (e) { data = { error: "the server sent no JSON" }; }
    return { ok: r.ok, status: r.status, data };
  });
}

function wsUrl(path) {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  return `${proto}//${location.host}${path}${CODE ? "?code=" + encodeURIComponent(CODE) : ""}`;
}

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function status(text) { document.getElementById("status").textContent = text; }

// --- setup: scenarios and their parameters ---------------------------------------------------

async function loadScenarios() {
  const r = await api("/api/scenarios");
  if (!r.ok) { status(r.data.error || "cannot list scenarios"); return; }
  scenarios = r.data.scenarios;
  const select = document.getElementById("scenario");
  select.textContent = "";
  for (const s of scenarios) {
    const option = el("option", { value: s.name }, s.name + (s.error ? " (invalid)" : ""));
    if (s.error) option.disabled = true;
    select.appendChild(option);
  }
  const preferred = scenarios.find((s) => s.name === "sadr_returns" && !s.error);
  if (preferred) select.value = preferred.name;
  showParameters();
}

function currentScenario() {
  const name = document.getElementById("scenario").value;
  return scenarios.find((s) => s.name === name);
}

function showParameters() {
  const s = currentScenario();
  const box = document.getElementById("params");
  box.textContent = "";
  document.getElementById("description").textContent = s ? s.description : "";
  if (!s || !s.parameters) return;
  for (const p of s.parameters) {
    const label = el("label", { class: "param", title: p.description });
    label.appendChild(el("span", {}, p.name));
    const input = el("input", {
      type: "range", name: p.name, min: p.min, max: p.max, value: p.default,
      step: p.integer ? 1 : (p.max - p.min) / 100 || 0.01, "data-param": p.name,
    });
    const out = el("output", {}, String(p.default));
    input.addEventListener("input", () => { out.textContent = input.value; });
    label.appendChild(input);
    label.appendChild(out);
    box.appendChild(label);
  }
}

function settings() {
  const s = currentScenario();
  const parameters = {};
  for (const input of document.querySelectorAll("#params input[data-param]")) {
    parameters[input.dataset.param] = Number(input.value);
  }
  const seed = Math.max(0, Math.floor(Number(document.getElementById("seed").value) || 0));
  return { scenario: s ? s.name : "", seed, parameters };
}

async function startRun() {
  const body = settings();
  status("starting...");
  const r = await api("/api/runs", body);
  if (!r.ok) { status((r.data.errors || [r.data.error]).join("\n")); return; }
  status("");
  while (views.length >= 2) views[0].close();
  const view = new RunView(r.data.id, r.data.meta, `${body.scenario}, seed ${body.seed}`);
  views.push(view);
}

// --- one run on screen ---------------------------------------------------------------------

class RunView {
  constructor(id, meta, title) {
    this.id = id;
    this.meta = meta;
    this.frames = [];        // {n, date, t, frame}
    this.rows = new Map();   // event id -> <li>
    this.influence = [];     // [t, {actor: value}]
    this.cursor = -1;        // index into frames shown; -1 = follow live
    this.playing = false;
    const node = document.getElementById("view-template").content.firstElementChild
      .cloneNode(true);
    this.node = node;
    this.q(".view-title").textContent = title;
    document.getElementById("views").appendChild(node);
    this.wire();
    this.connect();
  }

  q(sel) { return this.node.querySelector(sel); }

  wire() {
    this.q(".play").onclick = () => this.send({ cmd: "play" });
    this.q(".pause").onclick = () => this.send({ cmd: "pause" });
    this.q(".step").onclick = () => this.send({ cmd: "step" });
    this.q(".decision").onclick = () => this.send({ cmd: "decision" });
    this.q(".speed").onchange = (e) => this.send({ cmd: "speed", speed: Number(e.target.value) });
    this.q(".fork").onclick = () => this.fork();
    this.q(".save").onclick = () => this.save();
    this.q(".close").onclick = () => this.close();
    this.q(".inject").onclick = () => this.inject();
    this.q(".give").onclick = () => this.give();
    const box0 = this.q(".student-actors");
    for (const [a, info] of Object.entries(this.meta.actors).sort()) {
      if (!info.policy) continue;
      const label = el("label", { class: "param" });
      const input = el("input", { type: "checkbox", value: a });
      if (a === "sadrists" || a === "sol") input.checked = true;
      label.appendChild(input);
      label.appendChild(document.createTextNode(info.name));
      box0.appendChild(label);
    }
    this.q(".scrub").oninput = (e) => {
      const i = Number(e.target.value);
      this.cursor = i >= this.frames.length - 1 ? -1 : i;
      this.render();
    };
    const presets = [
      ["Sadr ends the boycott", "kind: end_boycott\nactor: sadrists"],
      ["Sadr boycotts", "kind: start_boycott\nactor: sadrists"],
      ["Sanction AAH", "kind: sanction\ntarget: aah"],
      ["Sudani + AAH alliance", "kind: form_alliance\nactors: [sudani, aah]"],
      ["Break SoL + AAH", "kind: break_alliance\nactors: [sol, aah]"],
      ["Call an election", "kind: election"],
      ["Change the law (2013)", "kind: change_law\nlaw: '2013'"],
    ];
    const box = this.q(".presets");
    for (const [label, text] of presets) {
      const b = el("button", { type: "button" }, label);
      b.onclick = () => { this.q(".action").value = text; };
      box.appendChild(b);
    }
  }

  connect() {
    this.ws = new WebSocket(wsUrl(`/api/runs/${this.id}/live`));
    this.ws.onmessage = (msg) => this.receive(JSON.parse(msg.data));
    this.ws.onclose = () => {
      this.q(".live-state").textContent = this.ended ? "ended" : "disconnected";
      this.setPlaying(false);
    };
  }

  send(obj) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(obj));
  }

  receive(m) {
    if (m.type === "hello") {
      const speed = this.q(".speed");
      speed.textContent = "";
      for (const s of m.speeds) {
        speed.appendChild(el("option", { value: s }, s === 0 ? "as fast as it computes"
          : `${s} events/s`));
      }
      speed.value = "10";
      this.setPlaying(false);
      this.addEvents(m.events);
      this.addFrame(m.frame);
    } else if (m.type === "tick") {
      this.addEvents(m.events);
      this.addFrame(m.frame);
    } else if (m.type === "state") {
      this.setPlaying(m.playing);
    } else if (m.type === "end") {
      this.ended = true;
      this.setPlaying(false);
      this.q(".live-state").textContent = "ended";
    } else if (m.type === "error") {
      this.q(".live-state").textContent = m.message;
    } else if (m.type === "waiting") {
      this.q(".live-state").textContent =
        `waiting for ${m.student} (${this.name(m.actor)}): ${m.seconds} s`;
    }
  }

  setPlaying(on) {
    this.playing = on;
    this.node.dataset.playing = on ? "yes" : "no";
    this.q(".play").disabled = on || !!this.ended;
    this.q(".pause").disabled = !on;
    for (const sel of [".inject", ".fork"]) this.q(sel).disabled = on || !!this.ended;
    this.q(".step").disabled = !!this.ended;
    this.q(".decision").disabled = !!this.ended;
    if (!this.ended) this.q(".live-state").textContent = on ? "playing" : "paused";
  }

  async give() {
    const actors = [...this.node.querySelectorAll(".student-actors input:checked")]
      .map((i) => i.value);
    const seconds = Number(this.q(".student-seconds").value);
    const r = await api(`/api/runs/${this.id}/students`, { actors, seconds });
    const box = this.q(".join");
    if (!r.ok) { box.textContent = (r.data.errors || [r.data.error]).join("\n"); return; }
    const url = `${location.origin}/?join=${r.data.code}${CODE ? "&code=" + CODE : ""}`;
    box.textContent = `Class code ${r.data.code}: students open ${url}`;
    box.dataset.code = r.data.code;
    this.q(".give").disabled = true;
  }

  addEvents(events) {
    const list = this.q(".timeline");
    for (const e of events) {
      const li = el("li", { value: e.id, "data-n": e.id, "data-kind": e.kind, id: `${this.id}-e${e.id}` });
      if (e.kind === "intervention") li.classList.add("intervention");
      li.appendChild(el("span", { class: "when" }, e.date));
      li.appendChild(el("span", { class: "text" }, e.text || e.kind));
      if (e.cause !== null && e.cause !== undefined) {
        const a = el("a", { href: "#", class: "why" }, `why: #${e.cause}`);
        a.onclick = (ev) => { ev.preventDefault(); this.highlight(e.cause); };
        li.appendChild(a);
      }
      list.appendChild(li);
      this.rows.set(e.id, li);
      if (this.rows.size > MAX_ROWS) {
        const first = this.rows.keys().next().value;
        this.rows.get(first).remove();
        this.rows.delete(first);
      }
    }
    if (this.cursor < 0) list.scrollTop = list.scrollHeight;
  }

  highlight(id) {
    for (const li of this.node.querySelectorAll(".timeline li.hl")) li.classList.remove("hl");
    const li = this.rows.get(id);
    if (li) { li.classList.add("hl"); li.scrollIntoView({ block: "center" }); }
  }

  addFrame(frame) {
    this.frames.push(frame);
    this.influence.push([frame.t, frame.influence]);
    if (this.frames.length > MAX_FRAMES) { this.frames.shift(); this.influence.shift(); }
    const scrub = this.q(".scrub");
    scrub.max = String(this.frames.length - 1);
    if (this.cursor < 0) scrub.value = scrub.max;
    this.render();
  }

  frame() {
    return this.cursor < 0 ? this.frames[this.frames.length - 1] : this.frames[this.cursor];
  }

  render() {
    const f = this.frame();
    if (!f) return;
    this.q(".date").textContent = `${f.date} (day ${Math.floor(f.t)}, ${f.n} events)`;
    this.q(".students").hidden = f.n > 1 && !this.q(".join").dataset.code;
    for (const li of this.rows.values()) {
      li.classList.toggle("future", Number(li.dataset.n) >= f.n);
    }
    drawHemicycle(this.q(".hemicycle"), f, this.meta);
    drawNetwork(this.q(".network"), f, this.meta);
    drawInfluence(this.q(".influence"), this.q(".legend"), this.influence, f, this.meta);
    drawMinistries(this.q(".ministries tbody"), f, this.meta);
    const out = this.q(".outcome");
    const pm = f.pm ? this.name(f.pm) : "none";
    out.textContent = `Prime minister: ${pm}${f.caretaker ? " (caretaker)" : ""}; law ${f.law};`
      + ` casualties ${f.casualties}` + (f.boycotting.length ? `; boycotting: ${f.boycotting.map((a) => this.name(a)).join(", ")}` : "");
  }

  name(a) { return (this.meta.actors[a] || {}).name || a; }

  async inject() {
    const box = this.q(".inject-errors");
    box.textContent = "";
    const r = await api(`/api/runs/${this.id}/inject`, { action: this.q(".action").value });
    if (!r.ok) { box.textContent = (r.data.errors || [r.data.error]).join("\n"); return; }
    this.addEvents(r.data.events);
    this.addFrame(r.data.frame);
  }

  async fork() {
    const r = await api(`/api/runs/${this.id}/fork`, {});
    if (!r.ok) { this.q(".saved").textContent = r.data.error; return; }
    while (views.length >= 2) views.find((v) => v !== this).close();
    const branch = new RunView(r.data.id, r.data.meta,
      `Branch of ${this.q(".view-title").textContent} at ${this.frame().date}`);
    branch.influence = this.influence.filter(([t]) => t < this.frame().t);  // shared past
    views.push(branch);
  }

  async save() {
    const r = await api(`/api/runs/${this.id}/save`, {});
    this.q(".saved").textContent = r.ok
      ? `Saved to ${r.data.path} (sim report ${r.data.path})` : (r.data.errors || [r.data.error]).join("\n");
  }

  close() {
    if (this.ws) this.ws.close();
    this.node.remove();
    const i = views.indexOf(this);
    if (i >= 0) views.splice(i, 1);
  }
}

// --- drawings -------------------------------------------------------------------------------

function actorOrder(meta, seats) {
  // by bloc then seats: parties of one camp sit together
  const ids = Object.keys(seats).filter((a) => seats[a] > 0);
  const bloc = (a) => (meta.actors[a] || {}).bloc || a;
  const blocSeats = {};
  for (const a of ids) blocSeats[bloc(a)] = (blocSeats[bloc(a)] || 0) + seats[a];
  return ids.sort((a, b) => (blocSeats[bloc(b)] - blocSeats[bloc(a)])
    || bloc(a).localeCompare(bloc(b)) || seats[b] - seats[a] || a.localeCompare(b));
}

function drawHemicycle(node, f, meta) {
  node.textContent = "";
  const total = Object.values(f.seats).reduce((x, y) => x + y, 0);
  if (!total) return;
  const rows = Math.max(3, Math.min(12, Math.round(Math.sqrt(total / 4))));
  const R = 190, r0 = R * 0.4, cx = 200, cy = 200;
  const radii = [];
  for (let i = 0; i < rows; i++) radii.push(r0 + (R - r0) * (i + 0.5) / rows);
  const sum = radii.reduce((x, y) => x + y, 0);
  const counts = radii.map((r) => Math.floor(total * r / sum));
  let left = total - counts.reduce((x, y) => x + y, 0);
  for (let i = rows - 1; left > 0; i = (i - 1 + rows) % rows, left--) counts[i]++;
  const spots = [];
  radii.forEach((r, i) => {
    for (let k = 0; k < counts[i]; k++) {
      const ang = Math.PI * (counts[i] === 1 ? 0.5 : k / (counts[i] - 1));
      spots.push([Math.PI - ang, cx + r * Math.cos(Math.PI - ang), cy - r * Math.sin(Math.PI - ang)]);
    }
  });
  spots.sort((a, b) => b[0] - a[0]);
  const dot = Math.max(1.5, Math.min(6, (R - r0) / rows * 0.42));
  let i = 0;
  const gov = new Set(f.government);
  for (const a of actorOrder(meta, f.seats)) {
    const colour = (meta.actors[a] || {}).colour || "#999";
    for (let k = 0; k < f.seats[a]; k++, i++) {
      const [, x, y] = spots[i];
      const c = svg("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: dot, fill: colour,
        stroke: gov.has(a) ? "#000" : "none", "stroke-width": 0.8, "data-actor": a });
      c.appendChild(svg("title", {}, `${(meta.actors[a] || {}).name || a}: ${f.seats[a]}`));
      node.appendChild(c);
    }
  }
  node.appendChild(svg("text", { x: cx, y: cy - 4, "text-anchor": "middle", "font-size": 22 },
    String(total)));
  node.appendChild(svg("text", { x: cx, y: cy + 12, "text-anchor": "middle", "font-size": 10,
    fill: "#555" }, "outlined: in government"));
}

function drawNetwork(node, f, meta) {
  node.textContent = "";
  const ids = Object.keys(meta.actors).filter((a) => meta.actors[a].policy
    || (f.seats[a] || 0) > 0).sort();
  const pos = {};
  ids.forEach((a, i) => {
    const ang = 2 * Math.PI * i / ids.length - Math.PI / 2;
    pos[a] = [200 + 95 * Math.cos(ang), 150 + 118 * Math.sin(ang)];
  });
  const allied = new Set(f.alliances.map(([a, b]) => `${a}|${b}`));
  for (const [a, b, w] of f.ties) {
    if (!pos[a] || !pos[b]) continue;
    const ally = allied.has(`${a}|${b}`) || allied.has(`${b}|${a}`);
    node.appendChild(svg("line", { x1: pos[a][0], y1: pos[a][1], x2: pos[b][0], y2: pos[b][1],
      stroke: w > 0 ? "#2a8a3a" : "#c0392b", "stroke-width": (ally ? 2 : 0.6) + 2.5 * Math.abs(w),
      "stroke-opacity": 0.55 }));
  }
  for (const a of ids) {
    const [x, y] = pos[a];
    const size = 4 + Math.sqrt(f.seats[a] || 0) * 1.2;
    node.appendChild(svg("circle", { cx: x, cy: y, r: size, fill: meta.actors[a].colour,
      stroke: "#333", "stroke-width": 0.5 }));
    const right = x >= 200;
    node.appendChild(svg("text", { x: x + (right ? size + 2 : -size - 2), y: y + 3,
      "text-anchor": right ? "start" : "end", "font-size": 9 },
    short(meta.actors[a].name)));
  }
}

function short(name) { return name.length > 18 ? name.slice(0, 17) + "\u2026" : name; }

function drawInfluence(node, legend, history, f, meta) {
  node.textContent = "";
  legend.textContent = "";
  const upto = history.filter(([t]) => t <= f.t);
  if (!upto.length) return;
  const top = Object.entries(f.influence).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([a]) => a);
  const X = (t) => 30 + 360 * t / Math.max(meta.horizon, 1);
  let max = 0.05;
  for (const [, inf] of upto) for (const a of top) max = Math.max(max, inf[a] || 0);
  const Y = (v) => 185 - 170 * v / max;
  node.appendChild(svg("line", { x1: 30, y1: 185, x2: 390, y2: 185, stroke: "#999" }));
  node.appendChild(svg("text", { x: 2, y: 20, "font-size": 9 }, max.toFixed(2)));
  const step = Math.max(1, Math.floor(upto.length / 400));
  for (const a of top) {
    const pts = [];
    for (let i = 0; i < upto.length; i += step) pts.push(`${X(upto[i][0]).toFixed(1)},${Y(upto[i][1][a] || 0).toFixed(1)}`);
    const last = upto[upto.length - 1];
    pts.push(`${X(last[0]).toFixed(1)},${Y(last[1][a] || 0).toFixed(1)}`);
    node.appendChild(svg("polyline", { points: pts.join(" "), fill: "none",
      stroke: meta.actors[a].colour, "stroke-width": 1.6 }));
    const span = el("span");
    const sw = el("i");
    sw.style.background = meta.actors[a].colour;
    span.appendChild(sw);
    span.appendChild(document.createTextNode(`${meta.actors[a].name} ${(f.influence[a] || 0).toFixed(2)}`));
    legend.appendChild(span);
  }
}

function drawMinistries(body, f, meta) {
  body.textContent = "";
  for (const [post, holder] of Object.entries(f.ministries)) {
    const tr = el("tr");
    tr.appendChild(el("td", {}, post.replace(/_/g, " ")));
    const td = el("td");
    if (holder) {
      const sw = el("span", { class: "swatch" });
      sw.style.background = (meta.actors[holder] || {}).colour || "#999";
      td.appendChild(sw);
    }
    td.appendChild(document.createTextNode(holder ? ((meta.actors[holder] || {}).name || holder) : "vacant"));
    tr.appendChild(td);
    body.appendChild(tr);
  }
}

// --- replications -----------------------------------------------------------------------------

function replicate() {
  const body = settings();
  body.n = Math.max(1, Math.min(200, Math.floor(Number(document.getElementById("rep-n").value) || 1)));
  const pmBox = document.getElementById("rep-pm");
  const daysBox = document.getElementById("rep-days");
  const st = document.getElementById("rep-status");
  pmBox.textContent = "";
  daysBox.textContent = "";
  const counts = {};
  const days = [];
  let done = 0;
  const ws = new WebSocket(wsUrl("/api/replicate"));
  ws.onopen = () => ws.send(JSON.stringify(body));
  ws.onmessage = (msg) => {
    const m = JSON.parse(msg.data);
    if (m.type === "error") { st.textContent = m.message; return; }
    if (m.type === "done") { st.textContent = `${done} runs done`; return; }
    if (m.type !== "outcome") return;
    done++;
    const key = m.government_formed === false ? "no government formed" : (m.prime_minister || "none");
    counts[key] = (counts[key] || 0) + 1;
    if (m.days_to_government !== null && m.days_to_government !== undefined) days.push(m.days_to_government);
    st.textContent = `${done} of ${body.n}`;
    pmBox.textContent = "";
    pmBox.appendChild(el("div", {}, "Prime minister at the end:"));
    for (const [k, v] of Object.entries(counts).sort((a, b) => b[1] - a[1])) {
      const row = el("div");
      row.appendChild(el("span", { style: "min-width:12em;display:inline-block" }, k));
      const bar = el("b");
      bar.style.width = `${Math.round(300 * v / done)}px`;
      row.appendChild(bar);
      row.appendChild(el("span", {}, `${Math.round(100 * v / done)}%`));
      pmBox.appendChild(row);
    }
    if (days.length) {
      const sorted = [...days].sort((a, b) => a - b);
      daysBox.textContent = `Days to government: median ${sorted[Math.floor(sorted.length / 2)]}, `
        + `range ${sorted[0]} to ${sorted[sorted.length - 1]} (${days.length} runs formed one)`;
    }
  };
}

// --- teaching panels ----------------------------------------------------------------------------

async function loadGovernorate() {
  const err = document.getElementById("alloc-error");
  const view = views[views.length - 1];
  if (!view) { err.textContent = "run a scenario first: the votes come from the run shown"; return; }
  const r = await api(`/api/runs/${view.id}/governorates`);
  if (!r.ok) { err.textContent = r.data.error; return; }
  const select = document.getElementById("alloc-gov");
  const chosen = select.value;
  if (select.options.length <= 1 || !chosen) {
    select.textContent = "";
    for (const g of Object.keys(r.data.governorates)) select.appendChild(el("option", { value: g }, g));
    if (!chosen) { err.textContent = "pick a governorate, then load its votes"; return; }
  }
  const gov = r.data.governorates[chosen];
  document.getElementById("alloc-votes").value = Object.entries(gov.votes)
    .map(([p, v]) => `${r.data.names[p] || p}=${v}`).join("\n");
  document.getElementById("alloc-seats").value = String(gov.seats);
  err.textContent = "";
}

async function allocate() {
  const err = document.getElementById("alloc-error");
  const out = document.getElementById("alloc-out");
  err.textContent = "";
  out.textContent = "";
  const votes = {};
  const lines = document.getElementById("alloc-votes").value.split("\n");
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    const at = line.lastIndexOf("=");
    const name = line.slice(0, at).trim();
    const v = Number(line.slice(at + 1).trim());
    if (at < 1 || !name || !Number.isInteger(v) || v < 0) {
      err.textContent = `line ${i + 1}: expected NAME=VOTES, got ${JSON.stringify(line)}`;
      return;
    }
    votes[name] = v;
  }
  const seats = Math.floor(Number(document.getElementById("alloc-seats").value));
  const r = await api("/api/teach/allocate", { votes, seats });
  if (!r.ok) { err.textContent = r.data.error; return; }
  for (const res of r.data.results) {
    out.appendChild(el("h4", {}, `${res.method}: ` + Object.entries(res.seats).map(([p, s]) => `${p} ${s}`).join(", ")));
    if (res.divisors.length) {
      const t = el("table", { class: "quot" });
      const head = el("tr");
      head.appendChild(el("th", {}, "party"));
      for (const d of res.divisors.slice(0, 10)) head.appendChild(el("th", {}, `/ ${+d.toFixed(2)}`));
      t.appendChild(head);
      for (const [p, cells] of Object.entries(res.table)) {
        const tr = el("tr");
        tr.appendChild(el("th", {}, p));
        for (const [q, seat] of cells.slice(0, 10)) {
          tr.appendChild(el("td", seat ? { class: "won" } : {},
            `${Math.round(q).toLocaleString()}${seat ? ` (#${seat})` : ""}`));
        }
        t.appendChild(tr);
      }
      out.appendChild(t);
    }
    for (const note of res.notes) out.appendChild(el("p", {}, note));
  }
}

async function power() {
  const err = document.getElementById("power-error");
  const out = document.getElementById("power-out");
  err.textContent = "";
  out.textContent = "";
  const view = views[views.length - 1];
  const f = view && view.frame();
  if (!f) { err.textContent = "run a scenario first: the panel uses the parliament shown"; return; }
  const weights = {};
  for (const [a, s] of Object.entries(f.seats)) if (s > 0) weights[view.name(a)] = s;
  const r = await api("/api/teach/power", { weights, quotas: [165, 220] });
  if (!r.ok) { err.textContent = r.data.error; return; }
  for (const res of r.data.results) {
    out.appendChild(el("h4", {}, `Quota ${res.quota}`));
    for (const p of res.parties) out.appendChild(el("p", {}, p.sentence));
  }
}

// --- a student's page -------------------------------------------------------------------------

function studentPage(join) {
  for (const id of ["setup", "description"]) document.getElementById(id).hidden = true;
  document.querySelector("main").hidden = true;
  const panel = document.getElementById("student");
  panel.hidden = false;
  const status = document.getElementById("st-status");
  const ws = new WebSocket(wsUrl(`/api/join/${encodeURIComponent(join)}`));
  let timer = null;
  const showKnows = (k) => {
    const box = document.getElementById("st-knows");
    box.textContent = "";
    const lines = [
      `Date: ${k.date}`, `Seats: ${k.seats}` + (k.support !== null ? `, potential vote ${(100 * k.support).toFixed(1)}%` : ""),
      `Boycotting: ${k.boycotting ? "yes" : "no"}; in government: ${k.in_government ? "yes" : "no"}; sanctioned: ${k.sanctioned ? "yes" : "no"}`,
      `Prime minister: ${k.prime_minister || "none"}`,
      `Friends: ${k.friends.map(([n, w]) => `${n} (${w})`).join(", ") || "none"}`,
      `Rivals: ${k.rivals.map(([n, w]) => `${n} (${w})`).join(", ") || "none"}`,
    ];
    for (const line of lines) box.appendChild(el("div", {}, line));
  };
  ws.onmessage = (msg) => {
    const m = JSON.parse(msg.data);
    if (m.type === "welcome") {
      const box = document.getElementById("st-choices");
      for (const a of m.actors) {
        const b = el("button", { type: "button", "data-actor": a.id }, `Play ${a.name}`);
        b.disabled = a.taken;
        b.onclick = () => ws.send(JSON.stringify({ cmd: "claim", actor: a.id,
          name: document.getElementById("st-name").value }));
        box.appendChild(b);
      }
    } else if (m.type === "assigned") {
      document.getElementById("st-actor").textContent = m.name;
      document.getElementById("st-claim").hidden = true;
      status.textContent = "Waiting for your actor's next decision...";
    } else if (m.type === "view") {
      showKnows(m.knows);
    } else if (m.type === "decide") {
      showKnows(m.knows);
      const box = document.getElementById("st-options");
      box.textContent = "";
      for (const o of m.options) {
        const b = el("button", { type: "button", class: "option" }, o.label);
        b.onclick = () => ws.send(JSON.stringify({ cmd: "choose", option: o.id }));
        box.appendChild(b);
      }
      document.getElementById("st-decide").hidden = false;
      let left = Math.round(m.seconds);
      const cd = document.getElementById("st-countdown");
      cd.textContent = `(${left} s left; no answer: your advisers decide)`;
      clearInterval(timer);
      timer = setInterval(() => {
        left = Math.max(0, left - 1);
        cd.textContent = `(${left} s left; no answer: your advisers decide)`;
      }, 1000);
      status.textContent = "";
    } else if (m.type === "chosen") {
      clearInterval(timer);
      document.getElementById("st-decide").hidden = true;
      status.textContent = "Decision sent. Waiting for the next one...";
    } else if (m.type === "end") {
      clearInterval(timer);
      document.getElementById("st-decide").hidden = true;
      status.textContent = "The run has ended.";
    } else if (m.type === "error") {
      status.textContent = m.message;
    }
  };
  ws.onclose = () => { if (!status.textContent) status.textContent = "disconnected"; };
}

const JOIN = params.get("join");
if (JOIN) {
  studentPage(JOIN);
} else {
  document.getElementById("scenario").addEventListener("change", showParameters);
  document.getElementById("run").addEventListener("click", startRun);
  document.getElementById("rep-run").addEventListener("click", replicate);
  document.getElementById("alloc-run").addEventListener("click", allocate);
  document.getElementById("alloc-load").addEventListener("click", loadGovernorate);
  document.getElementById("power-run").addEventListener("click", power);
  loadScenarios();
}
