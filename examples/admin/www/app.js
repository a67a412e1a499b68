// app.js - the admin UI: logs in, shows the status live from the server's
// event stream (/api/events), edits the Wi-Fi settings, kicks clients and
// uploads firmware with progress.  No framework, no build step.
"use strict";
const $ = (sel) => document.querySelector(sel);
let events = null;  // the EventSource while logged in
let timer = null;   // polling, only when the server has no event stream

async function api(method, path, body) {
  const opts = { method, headers: {}, credentials: "same-origin" };
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const r = await fetch(path, opts);
  if (r.status === 401 && path !== "/api/login") showLogin();
  return r;
}

function showLogin() {
  stopStatus();
  $("#admin").hidden = true;
  $("#login-form").hidden = false;
}

// #status's text, and where it came from ("events" or "poll") for tests.
function showStatus(s, source) {
  const el = $("#status");
  el.textContent = `uptime ${s.uptime} s, load ${s.load}`;
  el.dataset.source = source;
}

async function pollStatus() {
  const r = await api("GET", "/api/status");
  if (r.ok) showStatus(await r.json(), "poll");
}

// Live status: a `status` event a second.  EventSource reconnects by
// itself after a drop; only a refused stream (404 on an older server, 401)
// ends CLOSED, and then the page polls instead.
function startStatus() {
  stopStatus();
  pollStatus();
  events = new EventSource("/api/events");
  events.addEventListener("status", (e) => showStatus(JSON.parse(e.data), "events"));
  events.onerror = () => {
    if (events && events.readyState === EventSource.CLOSED && !timer) {
      events = null;
      timer = setInterval(pollStatus, 1000);
    }
  };
}

function stopStatus() {
  if (events) events.close();
  events = null;
  clearInterval(timer);
  timer = null;
}

async function loadWifi() {
  const r = await api("GET", "/api/wifi");
  if (!r.ok) return;
  const w = await r.json();
  $("#wifi-form").ssid.value = w.ssid;
  $("#wifi-form").channel.value = w.channel;
}

async function loadClients() {
  const r = await api("GET", "/api/clients?limit=50");
  if (!r.ok) return;
  const list = $("#clients");
  list.replaceChildren();
  for (const c of await r.json()) {
    const li = document.createElement("li");
    li.dataset.mac = c.mac;
    li.textContent = `${c.name} (${c.mac})`;
    const b = document.createElement("button");
    b.className = "kick";
    b.textContent = "Kick";
    b.onclick = async () => {
      const k = await api("DELETE", "/api/clients/" + encodeURIComponent(c.mac));
      if (k.status === 204 || k.status === 404) li.remove();
    };
    li.append(b);
    list.append(li);
  }
}

async function showAdmin() {
  $("#login-form").hidden = true;
  $("#admin").hidden = false;
  startStatus();
  await Promise.all([loadWifi(), loadClients()]);
}

$("#login-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target;
  const r = await api("POST", "/api/login", { user: f.user.value, password: f.password.value });
  if (r.ok) {
    $("#login-error").textContent = "";
    showAdmin();
  } else {
    $("#login-error").textContent = r.status === 429 ? "Too many attempts; wait." : "Wrong user or password.";
  }
});

$("#wifi-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target;
  const r = await api("PUT", "/api/wifi", { ssid: f.ssid.value, channel: Number(f.channel.value) });
  const body = await r.json();
  $("#wifi-result").textContent = r.ok ? "Saved." : body.error;
});

// The upload: multipart, the file in part `firmware`.  XMLHttpRequest,
// not fetch, because only it reports upload progress.
$("#firmware-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const file = $("#firmware-file").files[0];
  const bar = $("#firmware-progress"), out = $("#firmware-result");
  if (!file) return;
  const data = new FormData();
  data.append("firmware", file, file.name);
  const xhr = new XMLHttpRequest();
  xhr.open("POST", "/api/firmware");
  xhr.upload.onprogress = (p) => { if (p.lengthComputable) bar.value = p.loaded / p.total; };
  xhr.onload = () => {
    let body = {};
    try { body = JSON.parse(xhr.responseText); } catch (_) { /* not JSON */ }
    if (xhr.status === 200) {
      bar.value = 1;
      out.dataset.sha256 = body.sha256;
      out.dataset.bytes = body.bytes;
      out.textContent = `${body.bytes} bytes, sha256 ${body.sha256}`;
    } else if (xhr.status === 401) {
      showLogin();
    } else {
      out.textContent = xhr.status === 413 ? "Too large (64 MiB at most)."
        : `Upload failed (${xhr.status}${body.error ? ": " + body.error : ""}).`;
    }
    out.dataset.status = xhr.status;
  };
  xhr.onerror = () => { out.textContent = "Upload failed (connection lost)."; out.dataset.status = "error"; };
  out.textContent = "Uploading…";
  out.dataset.status = "";
  out.dataset.sha256 = out.dataset.bytes = "";
  bar.value = 0;
  xhr.send(data);
});

$("#logout").addEventListener("click", async () => {
  stopStatus();
  await api("POST", "/api/logout");
  showLogin();
});

// Already logged in (a session cookie from before): go straight to the page.
fetch("/api/status", { credentials: "same-origin" }).then((r) => { if (r.ok) showAdmin(); });
