// The reviewers' workbench. Every piece of data from the server is put on the page with textContent (never
// innerHTML), so a film called "<script>" is shown as text. No inline script: the page's CSP forbids it.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { me: null, items: [], unidentified: [], selected: null, mode: 'review', ingestUrl: '', source: null };

async function api(path, options = {}) {
  const res = await fetch(path, Object.assign({ credentials: 'same-origin' }, options));
  let body = null;
  const text = await res.text();
  if (text) { try { body = JSON.parse(text); } catch (e) { body = { message: text }; } }
  if (!res.ok) {
    const err = new Error((body && body.message) || res.statusText);
    err.status = res.status;
    throw err;
  }
  return body;
}

function text(el, value) { el.textContent = value == null ? '' : String(value); }

function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }

async function start() {
  try {
    const cfg = await api('/api/config');
    state.ingestUrl = cfg.ingestUrl;
  } catch (e) { /* the upload form then posts nowhere useful; the rest still works */ }
  $('signin-form').addEventListener('submit', signIn);
  $('account-form').addEventListener('submit', createAccount);
  $('reset-form').addEventListener('submit', resetPassword);
  $('signout').addEventListener('click', signOut);
  $('confirm').addEventListener('click', () => decide('confirm'));
  $('reject').addEventListener('click', () => decide('reject'));
  $('different-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const label = $('different-label').value.trim();
    if (label) decide('confirm', label);
  });
  $('naming-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const label = $('naming-label').value.trim();
    if (label) decide('confirm', label);
  });
  $('toggle-pairs').addEventListener('change', () => renderCurrent());
  $('filter-film').addEventListener('input', debounce(load, 250));
  $('filter-vehicle').addEventListener('input', debounce(load, 250));
  $('filters').addEventListener('submit', (ev) => ev.preventDefault());
  $('upload-form').addEventListener('submit', upload);
  document.addEventListener('keydown', onKey);
  try {
    state.me = await api('/api/session');
    enter();
  } catch (e) {
    showSignIn();
  }
}

function showSignIn() {
  $('signin').hidden = false;
  $('workbench').hidden = true;
  $('proposals').hidden = true;
  $('admin').hidden = true;
  $('whoami').hidden = true;
}

async function signIn(ev) {
  ev.preventDefault();
  text($('signin-error'), '');
  try {
    state.me = await api('/api/session', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: $('signin-name').value, password: $('signin-password').value })
    });
    $('signin-password').value = '';
    enter();
  } catch (e) {
    text($('signin-error'), e.message);
  }
}

async function signOut() {
  try { await api('/api/session', { method: 'DELETE' }); } catch (e) { /* signed out anyway */ }
  if (state.source) state.source.close();
  state.me = null;
  showSignIn();
}

function enter() {
  $('signin').hidden = true;
  $('whoami').hidden = false;
  const roles = state.me.roles || [];
  text($('whoami-name'), state.me.name + ' (' + roles.join(', ') + ')');
  if (!roles.includes('reviewer')) {
    $('workbench').hidden = true;
    return;
  }
  $('workbench').hidden = false;
  $('proposals').hidden = false;
  if (roles.includes('admin')) { $('admin').hidden = false; loadAccounts(); }
  listen();
  load();
}

// The gallery's proposals: accept or reject a contributor's reference view.
async function loadProposals() {
  let proposals;
  try { proposals = await api('/api/proposals'); } catch (e) { text($('proposal-error'), e.message); return; }
  const list = $('proposal-list');
  clear(list);
  for (const v of proposals) {
    const p = v.proposal;
    const li = document.createElement('li');
    li.dataset.proposalId = p.proposalId;
    const img = document.createElement('img');
    img.src = '/api/images/' + p.blobKey;
    img.alt = 'proposed view of ' + p.label;
    img.className = 'thumb';
    const caption = document.createElement('div');
    text(caption, p.label + (p.make ? ' · ' + p.make : '') + (p.model ? ' ' + p.model : '')
      + ' — proposed by ' + p.proposedBy + (v.votes.length ? ' · ' + v.votes.length + ' vote(s)' : ''));
    li.appendChild(img);
    li.appendChild(caption);
    for (const [verdict, label] of [['confirm', 'Accept'], ['reject', 'Reject']]) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = verdict === 'confirm' ? 'ok' : 'no';
      text(b, label);
      b.addEventListener('click', () => voteProposal(p.proposalId, verdict));
      li.appendChild(b);
    }
    list.appendChild(li);
  }
}

async function voteProposal(id, verdict) {
  text($('proposal-error'), '');
  try {
    await api('/api/proposals/' + encodeURIComponent(id) + '/review', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ verdict })
    });
  } catch (e) { text($('proposal-error'), e.message); }
  loadProposals();
}

// Admins: accounts, approvals, password resets.
async function loadAccounts() {
  let accounts;
  try { accounts = await api('/api/accounts'); } catch (e) { text($('admin-result'), e.message); return; }
  const rows = $('account-rows');
  clear(rows);
  for (const a of accounts) {
    const tr = document.createElement('tr');
    for (const value of [a.name, a.roles.join(', '), a.status]) {
      const td = document.createElement('td');
      text(td, value);
      tr.appendChild(td);
    }
    const actions = document.createElement('td');
    const next = a.status === 'active' ? ['disabled', 'Disable'] : ['active', a.status === 'pending' ? 'Approve' : 'Enable'];
    if (a.name !== state.me.name) {
      const b = document.createElement('button');
      b.type = 'button';
      text(b, next[1]);
      b.addEventListener('click', () => changeAccount(a.name, { status: next[0] }));
      actions.appendChild(b);
    }
    tr.appendChild(actions);
    rows.appendChild(tr);
  }
}

async function changeAccount(name, change) {
  try {
    await api('/api/accounts/' + encodeURIComponent(name), {
      method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(change)
    });
    text($('admin-result'), name + ': ' + JSON.stringify(change));
  } catch (e) { text($('admin-result'), e.message); }
  loadAccounts();
}

async function createAccount(ev) {
  ev.preventDefault();
  const roles = Array.from(document.querySelectorAll('#account-form input[name=role]:checked')).map((c) => c.value);
  try {
    await api('/api/accounts', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: $('account-name').value, password: $('account-password').value, roles })
    });
    text($('admin-result'), 'created ' + $('account-name').value);
    ev.target.reset();
  } catch (e) { text($('admin-result'), e.message); }
  loadAccounts();
}

async function resetPassword(ev) {
  ev.preventDefault();
  const name = $('reset-name').value;
  try {
    await api('/api/accounts/' + encodeURIComponent(name) + '/password', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ password: $('reset-password').value })
    });
    text($('admin-result'), 'password of ' + name + ' reset; their sessions ended');
    ev.target.reset();
  } catch (e) { text($('admin-result'), e.message); }
}

function listen() {
  if (state.source) state.source.close();
  const source = new EventSource('/api/events');
  source.addEventListener('open', () => $('live').classList.add('on'));
  source.addEventListener('error', () => {
    $('live').classList.remove('on');
    // The browser retries by itself unless the server refused the stream (e.g. notify restarted and the session
    // is gone): then check who we are and either sign in again or reconnect.
    if (source.readyState === EventSource.CLOSED) {
      setTimeout(async () => {
        try {
          await api('/api/session');
          if (state.source === source) { listen(); load(); }
        } catch (e) {
          if (e.status === 401) showSignIn(); else if (state.source === source) listen();
        }
      }, 3000);
    }
  });
  const refresh = debounce(load, 100);
  source.addEventListener('queue', refresh);
  source.addEventListener('references', refresh);
  source.addEventListener('proposals', debounce(loadProposals, 100));
  state.source = source;
}

async function load() {
  const params = new URLSearchParams();
  if ($('filter-film').value.trim()) params.set('film', $('filter-film').value.trim());
  if ($('filter-vehicle').value.trim()) params.set('vehicle', $('filter-vehicle').value.trim());
  let view;
  try {
    view = await api('/api/queue?' + params.toString());
  } catch (e) {
    if (e.status === 401) { showSignIn(); return; }
    text($('action-error'), e.message);
    return;
  }
  state.items = view.items;
  state.unidentified = view.unidentified;
  for (const [k, v] of Object.entries(view.counts)) {
    const el = $('count-' + k);
    if (el) text(el, v);
  }
  const all = state.items.concat(state.unidentified);
  if (!state.selected || !all.some((t) => t.stillId === state.selected)) {
    state.selected = state.items.length ? state.items[0].stillId
      : (state.unidentified.length ? state.unidentified[0].stillId : null);
  }
  renderLists();
  renderCurrent();
  loadProposals();
}

function renderLists() {
  const list = $('queue-list');
  clear(list);
  for (const t of state.items) list.appendChild(listItem(t, topLabel(t) + ' · ' + pct(t)));
  $('queue-empty').hidden = state.items.length > 0;
  const un = $('unidentified-list');
  clear(un);
  for (const t of state.unidentified) un.appendChild(listItem(t, t.status === 'REJECTED' ? 'rejected' : 'no match'));
}

function listItem(t, detail) {
  const li = document.createElement('li');
  li.dataset.stillId = t.stillId;
  if (t.stillId === state.selected) li.classList.add('selected');
  if (t.status === 'DISPUTED') li.classList.add('disputed');
  const film = document.createElement('div');
  text(film, (t.still.film || '(unknown film)') + (t.still.year ? ' (' + t.still.year + ')' : ''));
  const small = document.createElement('div');
  small.className = 'muted';
  text(small, detail);
  li.appendChild(film);
  li.appendChild(small);
  li.addEventListener('click', () => { state.selected = t.stillId; renderLists(); renderCurrent(); });
  return li;
}

function topLabel(t) { return t.candidates.length ? t.candidates[0].label : '?'; }

function pct(t) { return t.candidates.length ? Math.round(t.candidates[0].confidence * 100) + '%' : ''; }

function selectedTask() {
  return state.items.concat(state.unidentified).find((t) => t.stillId === state.selected) || null;
}

function renderCurrent() {
  const t = selectedTask();
  text($('action-error'), '');
  $('current').hidden = true;
  $('naming').hidden = true;
  if (!t) return;
  if (!t.candidates.length) { renderNaming(t); return; }
  const c = t.candidates[0];
  const section = $('current');
  section.hidden = false;
  section.dataset.stillId = t.stillId;
  text($('current-label'), c.label);
  const status = $('current-status');
  text(status, t.status.toLowerCase());
  status.className = 'status ' + t.status.toLowerCase();
  text($('current-score'), (c.confidence * 100).toFixed(1) + '%');
  text($('current-inliers'), evidenceText(c));
  text($('current-film'), t.still.film || '(unknown film)');
  text($('current-year'), t.still.year || '');
  text($('current-timecode'), t.still.timecode ? '@ ' + t.still.timecode : '');
  text($('current-note'), t.still.note || '');
  text($('current-votes'), t.votes.length
    ? 'votes: ' + t.votes.map((v) => v.reviewer + ' ' + v.verdict.toLowerCase() + ' ' + (v.label || '')).join(', ')
    : '');
  const others = $('other-candidates');
  clear(others);
  $('other-heading').hidden = t.candidates.length < 2;
  for (const o of t.candidates.slice(1)) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    text(b, 'Confirm ' + o.label);
    b.addEventListener('click', () => decide('confirm', o.label));
    const span = document.createElement('span');
    text(span, ' ' + (o.confidence * 100).toFixed(1) + '% · ' + evidenceText(o) + ' ');
    li.appendChild(span);
    li.appendChild(b);
    others.appendChild(li);
  }
  drawMatch(t, c);
}

// What a candidate rests on: verified keypoints, or the number plate's characters alone (the same plate, which in a
// film may also be a prop moved between cars: worth a look at the rest of the car).
function evidenceText(c) {
  return c.evidence === 'plate'
    ? c.inliers + ' number-plate characters alike (plate only)'
    : c.inliers + ' inliers';
}

function renderNaming(t) {
  $('naming').hidden = false;
  $('naming').dataset.stillId = t.stillId;
  $('naming-image').src = '/api/images/' + t.still.blobKey;
  text($('naming-film'), t.still.film || '(unknown film)');
  text($('naming-year'), t.still.year || '');
  text($('naming-timecode'), t.still.timecode ? '@ ' + t.still.timecode : '');
  const hints = $('naming-hint-list');
  clear(hints);
  const nearMisses = t.nearMisses || [];
  $('naming-hints').hidden = nearMisses.length === 0;
  for (const h of nearMisses) {
    const li = document.createElement('li');
    if (h.referenceBlobKey) {
      const img = document.createElement('img');
      img.src = '/api/images/' + h.referenceBlobKey;
      img.alt = 'reference of ' + h.label;
      img.className = 'hint-reference';
      li.appendChild(img);
    }
    const span = document.createElement('span');
    text(span, ' ' + h.label + ' · ' + (h.confidence * 100).toFixed(1) + '% · ' + evidenceText(h) + ' ');
    li.appendChild(span);
    const b = document.createElement('button');
    b.type = 'button';
    text(b, 'It is ' + h.label);
    b.addEventListener('click', () => decide('confirm', h.label));
    li.appendChild(b);
    hints.appendChild(li);
  }
}

const images = new Map();
function image(key) {
  if (!images.has(key)) {
    images.set(key, new Promise((resolve, reject) => {
      const img = new Image();
      img.onload = () => resolve(img);
      img.onerror = () => reject(new Error('image ' + key + ' did not load'));
      img.src = '/api/images/' + key;
    }));
  }
  return images.get(key);
}

async function drawMatch(t, c) {
  const canvas = $('match-canvas');
  const ctx = canvas.getContext('2d');
  let still, ref;
  try {
    [still, ref] = await Promise.all([image(t.still.blobKey), c.referenceBlobKey ? image(c.referenceBlobKey) : null]);
  } catch (e) {
    text($('action-error'), e.message);
    return;
  }
  if (state.selected !== t.stillId) return;
  const height = 400;
  const gap = 16;
  const s = height / still.naturalHeight;
  const sw = still.naturalWidth * s;
  const r = ref ? height / ref.naturalHeight : 0;
  const rw = ref ? ref.naturalWidth * r : 0;
  canvas.width = Math.round(sw + gap + rw);
  canvas.height = height;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(still, 0, 0, sw, height);
  if (ref) ctx.drawImage(ref, sw + gap, 0, rw, height);
  if (c.outline && c.outline.length) {
    ctx.strokeStyle = '#3f3';
    ctx.lineWidth = 3;
    ctx.beginPath();
    c.outline.forEach((p, i) => (i ? ctx.lineTo(p.x * s, p.y * s) : ctx.moveTo(p.x * s, p.y * s)));
    ctx.closePath();
    ctx.stroke();
  }
  if (ref && $('toggle-pairs').checked && c.inlierPairs) {
    ctx.lineWidth = 1;
    ctx.strokeStyle = 'rgba(255, 210, 0, 0.7)';
    for (const pair of c.inlierPairs) {
      ctx.beginPath();
      ctx.moveTo(pair.still.x * s, pair.still.y * s);
      ctx.lineTo(sw + gap + pair.reference.x * r, pair.reference.y * r);
      ctx.stroke();
    }
  }
}

async function decide(verdict, label) {
  const t = selectedTask();
  if (!t) return;
  const body = { verdict };
  if (label) body.label = label;
  try {
    await api('/api/reviews/' + encodeURIComponent(t.stillId), {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
    });
  } catch (e) {
    text($('action-error'), e.message);
    return;
  }
  $('different-label').value = '';
  $('naming-label').value = '';
  const list = state.items.some((x) => x.stillId === t.stillId) ? state.items : state.unidentified;
  const i = list.findIndex((x) => x.stillId === t.stillId);
  list.splice(i, 1);
  const next = list[Math.min(i, list.length - 1)];
  state.selected = next ? next.stillId : null;
  renderLists();
  renderCurrent();
  load();
}

function move(step) {
  const list = state.items.concat(state.unidentified);
  if (!list.length) return;
  const i = list.findIndex((t) => t.stillId === state.selected);
  const next = list[Math.max(0, Math.min(list.length - 1, i + step))];
  state.selected = next.stillId;
  renderLists();
  renderCurrent();
}

function onKey(ev) {
  const tag = ev.target && ev.target.tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (!state.me || $('workbench').hidden) return;
  const t = selectedTask();
  if (ev.key === 'y' && t && t.candidates.length) { ev.preventDefault(); decide('confirm'); }
  else if (ev.key === 'n' && t && t.candidates.length) { ev.preventDefault(); decide('reject'); }
  else if (ev.key === 'j') { ev.preventDefault(); move(1); }
  else if (ev.key === 'k') { ev.preventDefault(); move(-1); }
}

async function upload(ev) {
  ev.preventDefault();
  const out = $('upload-result');
  text(out, 'uploading…');
  try {
    // The session cookie goes along (ingest allows this page's origin with credentials): the upload is ours.
    const res = await fetch(state.ingestUrl + '/api/stills',
      { method: 'POST', body: new FormData(ev.target), credentials: 'include' });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.message || res.statusText);
    const id = body.id || body.stillId || 'a new still';
    text(out, body.duplicate ? 'already received as ' + id
      : 'received as ' + id + (body.duplicateOf ? ' (a near-duplicate of ' + body.duplicateOf + ')' : '')
        + '; it will appear here once identified');
    ev.target.reset();
  } catch (e) {
    text(out, 'upload failed: ' + e.message);
  }
}

function debounce(fn, ms) {
  let timer = null;
  return () => { clearTimeout(timer); timer = setTimeout(fn, ms); };
}

document.addEventListener('DOMContentLoaded', start);
