// fabsim console: renders the Server-Sent Events of the console's one sampler; actions are POSTed
// with the per-run token after a confirmation. No framework, no external asset.
'use strict';

const WINDOW_MS = 5 * 60 * 1000;
const COLORS = ['#1f5fbf', '#d9480f', '#2b8a3e', '#862e9c', '#c2255c', '#0b7285', '#5c940d', '#e67700'];
const token = document.querySelector('meta[name="fabsim-token"]').content;
const $ = (id) => document.getElementById(id);
let points = [];
let last = null;
let pending = null;

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const clock = (ms) => { const s = Math.floor(ms / 1000); return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`; };
const swatch = (color) => `<svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" rx="2" fill="${color}"/></svg>`;
function put(id, html) { const el = $(id); if (el.dataset.html !== html) { el.innerHTML = html; el.dataset.html = html; } }

function colorOf(doc, node) {
  for (const ch of doc.channels) for (const org of ch.orgs) {
    const i = org.peers.findIndex((p) => p.name === node);
    if (i >= 0) return COLORS[i % COLORS.length];
  }
  return '#333';
}

function peerCell(p) {
  if (!p.up) return `<div class="cell down"><div class="name">${esc(p.name)}</div><span class="badge down">DOWN</span></div>`;
  const behind = p.behind > 0 ? `<span class="behind${p.behind > 5 ? ' far' : ''}">${p.behind} behind</span>` : '<span class="behind">in step</span>';
  const stream = p.delivering ? `<div class="stream">&#x2190; streams from ${esc(p.streamingFrom || 'an orderer')}</div>` : '';
  return `<div class="cell${p.leader ? ' leader' : ''}" data-peer="${esc(p.name)}">
    <div class="name">${esc(p.name)} ${p.leader ? '<span class="badge">LEADER</span>' : ''}</div>
    <div><span class="height">${p.height}</span> ${behind}</div>${stream}</div>`;
}

function renderChannels(doc) {
  put('channel-grids', doc.channels.map((ch) => {
    const width = Math.max(...ch.orgs.map((o) => o.peers.length), 1);
    const rows = ch.orgs.map((org) => `<tr data-org="${esc(org.name)}"><th scope="row">${esc(org.name)}<br>
      <span class="muted small">leader: <strong class="leader-name">${esc(org.leader || 'none')}</strong></span></th>
      ${org.peers.map((p) => `<td>${peerCell(p)}</td>`).join('')}${'<td></td>'.repeat(width - org.peers.length)}</tr>`).join('');
    return `<h3>Channel ${esc(ch.name)} <span class="muted">&middot; orderer height ${ch.ordererHeight}</span></h3>
      <table class="grid" data-channel="${esc(ch.name)}"><tbody>${rows}</tbody></table>`;
  }).join(''));
}

function renderTimeline(doc) {
  const now = doc.t;
  const from = now - WINDOW_MS;
  const W = 1000; const left = 90; const right = 10; const chartH = 110;
  const x = (t) => left + ((t - from) / WINDOW_MS) * (W - left - right);
  const window = points.filter((p) => p.t >= from);
  const faults = doc.events.filter((e) => e.atMillis >= from);
  put('timeline-charts', doc.channels.map((ch) => {
    const lanes = ch.orgs.map((o) => o.name);
    const H = 24 + chartH + 16 + lanes.length * 26 + 22;
    const nodes = Object.keys((window.at(-1) || { heights: {} }).heights[ch.name] || {});
    const hs = window.flatMap((p) => Object.values(p.heights[ch.name] || {})).filter((h) => h >= 0);
    const lo = hs.length ? Math.min(...hs) : 0; const hi = Math.max(...hs, lo + 1);
    const y = (h) => 24 + chartH - ((h - lo) / Math.max(1, hi - lo)) * chartH;
    let svg = `<line class="axis" x1="${left}" x2="${W - right}" y1="${24 + chartH}" y2="${24 + chartH}"/>`;
    svg += `<text x="${left - 8}" y="${y(hi) + 4}" text-anchor="end">${hi}</text><text x="${left - 8}" y="${y(lo)}" text-anchor="end">${lo}</text>`;
    svg += `<text x="4" y="${24 + chartH / 2}" class="lane-label">height</text>`;
    for (const node of nodes) {
      const pts = window.filter((p) => (p.heights[ch.name] || {})[node] >= 0).map((p) => `${x(p.t).toFixed(1)},${y(p.heights[ch.name][node]).toFixed(1)}`);
      const orderer = doc.orderers.some((o) => o.name === node);
      if (pts.length > 1) svg += `<polyline fill="none" stroke="${orderer ? '#1d2330' : colorOf(doc, node)}" stroke-width="${orderer ? 2.5 : 1.5}" points="${pts.join(' ')}"><title>${esc(node)}</title></polyline>`;
    }
    lanes.forEach((org, i) => {
      const top = 24 + chartH + 16 + i * 26;
      svg += `<text x="4" y="${top + 16}" class="lane-label">${esc(org)}</text>`;
      svg += `<rect x="${left}" y="${top}" width="${W - left - right}" height="20" fill="#eef0f3"/>`;
      for (let k = 0; k < window.length; k++) {
        const leader = window[k].leaders[`${ch.name}/${org}`];
        if (!leader) continue;
        const end = k + 1 < window.length ? window[k + 1].t : now;
        svg += `<rect x="${x(window[k].t).toFixed(1)}" y="${top}" width="${Math.max(1, x(end) - x(window[k].t)).toFixed(1)}" height="20" fill="${colorOf(doc, leader)}"><title>${esc(leader)}</title></rect>`;
      }
    });
    for (let m = 0; m <= 5; m++) {
      const t = from + m * 60000;
      svg += `<text x="${x(t)}" y="${H - 4}" text-anchor="${m === 0 ? 'start' : m === 5 ? 'end' : 'middle'}">${m === 5 ? 'now' : `\u2212${5 - m} min`}</text>`;
    }
    faults.forEach((e, i) => {
      svg += `<line class="fault" x1="${x(e.atMillis)}" x2="${x(e.atMillis)}" y1="14" y2="${H - 20}"/>`;
      const nearEnd = x(e.atMillis) > W - 160;
      svg += `<text class="fault-label" x="${x(e.atMillis) + (nearEnd ? -4 : 4)}" y="${10 + (i % 2) * 11}" text-anchor="${nearEnd ? 'end' : 'start'}">${esc(e.action)} ${esc(e.node)}</text>`;
    });
    const legend = ch.orgs.flatMap((o) => o.peers).map((p) => `<span>${swatch(colorOf(doc, p.name))}${esc(p.name)}</span>`).join('')
      + `<span>${swatch('#1d2330')}orderers</span>`;
    return `<h3>Channel ${esc(ch.name)}</h3><div class="legend">${legend}</div>
      <svg viewBox="0 0 ${W} ${H}" role="img" aria-label="heights and leaders of channel ${esc(ch.name)} over the last 5 minutes">${svg}</svg>`;
  }).join(''));
}

function renderTables(doc) {
  put('failover-rows', doc.failovers.slice().reverse().map((f) => `<tr><td><time>${clock(f.atMillis)}</time></td><td>${esc(f.channel)}</td>
    <td>${esc(f.org)}</td><td>${esc(f.from)} &rarr; <strong>${esc(f.to)}</strong></td><td>${esc(f.cause)}</td><td class="num">${f.millis} ms</td></tr>`).join('')
    || '<tr><td colspan="6" class="muted">none yet: kill or pause a leader below</td></tr>');
  put('log-rows', doc.events.slice().reverse().map((e) => `<li class="${e.ok ? '' : 'fail'}"><time>${clock(e.atMillis)}</time>
    ${esc(e.outcome)}${e.ok ? '' : ` (${esc(e.action)} ${esc(e.node)} failed)`}</li>`).join('') || '<li class="muted">no action yet</li>');
  put('orderer-tables', `<table><thead><tr><th scope="col">orderer</th><th scope="col">state</th><th scope="col">channels: height, block cutting</th><th scope="col">load (tx/s per channel)</th></tr></thead><tbody>`
    + doc.orderers.map((o) => {
      const node = doc.nodes.find((n) => n.name === o.name) || { actions: [] };
      const can = (a) => node.actions.find((x) => x.action === a) || { enabled: false, reason: 'not available' };
      const btn = (a, label, ch) => `<button data-action="${a}" data-node="${esc(o.name)}" data-channel="${esc(ch)}" ${can(a).enabled ? '' : `disabled title="${esc(can(a).reason)}"`}>${label}</button>`;
      const channels = o.channels.map((c) => `<div><strong>${esc(c.name)}</strong> ${c.height >= 0 ? c.height : '&ndash;'} &middot; ${esc(c.cutting)}
        ${c.cutting === 'paused' ? btn('resume-cutting', 'resume cutting', c.name) : btn('pause-cutting', 'pause cutting', c.name)}</div>`).join('');
      const load = o.load ? `${o.load.rate} <span class="muted small">(${o.load.submitted} sent)</span>
        <div><label>new rate <input type="number" min="0" max="1000000" value="${o.load.rate}" data-rate-for="${esc(o.name)}"></label>
        <button data-action="load-rate" data-node="${esc(o.name)}">set</button></div>` : `<span class="muted">${esc(can('load-rate').reason)}</span>`;
      return `<tr><th scope="row">${esc(o.name)}</th><td>${o.up ? 'running' : '<span class="badge down">DOWN</span>'}</td><td>${channels}</td><td>${load}</td></tr>`;
    }).join('') + '</tbody></table>');
  const reasons = new Map();
  put('node-rows', doc.nodes.map((n) => {
    const buttons = n.actions.filter((a) => !a.action.includes('cutting') && a.action !== 'load-rate').map((a) => {
      if (!a.enabled) reasons.set(a.label, a.reason);
      return `<button data-action="${a.action}" data-node="${esc(n.name)}" class="${a.action === 'kill' ? 'danger' : ''}" ${a.enabled ? '' : `disabled title="${esc(a.reason)}"`}>${esc(a.label)}</button>`;
    }).join('');
    return `<tr data-node-row="${esc(n.name)}"><th scope="row">${esc(n.name)}</th><td>${esc(n.org || '')}</td><td>${esc(n.role)} (${esc(n.implementation)})</td>
      <td>${n.running ? 'running' : '<span class="badge down">STOPPED</span>'}</td><td>${buttons}</td></tr>`;
  }).join(''));
  put('node-notes', [...reasons].map(([label, why]) => `<span>${esc(label)}: ${esc(why)}.</span>`).join(' '));
}

function render(doc) {
  last = doc;
  $('network').textContent = `${doc.dir}${doc.netns ? ' (network namespaces)' : ''}`;
  renderChannels(doc);
  renderTimeline(doc);
  renderTables(doc);
}

document.addEventListener('click', (ev) => {
  const b = ev.target.closest('button[data-action]');
  if (!b || b.disabled) return;
  const request = { action: b.dataset.action, node: b.dataset.node };
  if (b.dataset.channel) request.channel = b.dataset.channel;
  if (request.action === 'load-rate') request.rate = Number(document.querySelector(`input[data-rate-for="${CSS.escape(request.node)}"]`).value);
  pending = request;
  $('confirm-text').textContent = `${b.textContent.trim()} on ${request.node}${request.channel ? `, channel ${request.channel}` : ''}${request.action === 'load-rate' ? ` to ${request.rate} tx/s per channel` : ''}?`;
  $('confirm').showModal();
});

$('confirm').addEventListener('close', async () => {
  const request = pending;
  pending = null;
  if ($('confirm').returnValue !== 'ok' || !request) return;
  $('last-result').textContent = `${request.action} ${request.node}\u2026`;
  try {
    const response = await fetch('/api/actions', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Fabsim-Token': token }, body: JSON.stringify(request) });
    const body = await response.json();
    $('last-result').textContent = response.ok ? body.message : `refused (${response.status}): ${body.error}`;
  } catch (e) {
    $('last-result').textContent = `failed: ${e}`;
  }
});

function connect() {
  const events = new EventSource('/events');
  events.addEventListener('open', () => { $('connection').textContent = 'live'; $('connection').className = 'pill live'; });
  events.addEventListener('error', () => { $('connection').textContent = 'reconnecting'; $('connection').className = 'pill lost'; });
  events.addEventListener('history', (e) => { points = JSON.parse(e.data); });
  events.addEventListener('snapshot', (e) => {
    const doc = JSON.parse(e.data);
    points.push(doc.point);
    while (points.length && points[0].t < doc.t - WINDOW_MS) points.shift();
    render(doc);
  });
}
connect();
