// app.js - the admin UI: logs in, then polls /api/status (live updates by
// server-sent events wait for issue 14), edits the Wi-Fi settings and
// kicks clients.  No framework, no build step.
"use strict";
const $ = (sel) => document.querySelector(sel);
let timer = null;

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
  clearInterval(timer);
  $("#admin").hidden = true;
  $("#login-form").hidden = false;
}

async function refreshStatus() {
  const r = await api("GET", "/api/status");
  if (!r.ok) return;
  const s = await r.json();
  $("#status").textContent = `uptime ${s.uptime} s, load ${s.load}`;
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
  await Promise.all([refreshStatus(), loadWifi(), loadClients()]);
  timer = setInterval(refreshStatus, 1000);
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

$("#logout").addEventListener("click", async () => {
  await api("POST", "/api/logout");
  showLogin();
});

// Already logged in (a session cookie from before): go straight to the page.
fetch("/api/status", { credentials: "same-origin" }).then((r) => { if (r.ok) showAdmin(); });
