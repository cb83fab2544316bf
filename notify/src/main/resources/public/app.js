// The reviewers' workbench. Every piece of data from the server is put on the page with textContent (never
// innerHTML), so a film called "<script>" is shown as text. No inline script: the page's CSP forbids it.
'use strict';

const $ = (id) => document.getElementById(id);
const state = {
  me: null, items: [], unidentified: [], recent: [], labels: [], selected: null, ingestUrl: '', source: null,
  vehicles: {}, view: 0, candidate: 0, pairs: false, hoverPairs: false, zoom: null, skipped: new Set(), toastTimer: null, undo: null
};

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
  $('confirm').addEventListener('click', () => decideShown('confirm'));
  $('reject').addEventListener('click', () => decideShown('reject'));
  $('different-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const label = $('different-label').value.trim();
    if (label) decide('confirm', label);
  });
  $('naming-form').addEventListener('submit', nameVehicle);
  $('no-vehicle').addEventListener('click', noVehicle);
  $('skip').addEventListener('click', skip);
  $('toggle-pairs').addEventListener('change', () => { state.pairs = $('toggle-pairs').checked; drawCurrent(); });
  $('zoom').addEventListener('click', () => toggleZoom());
  for (const id of ['rectified-canvas', 'reference-canvas']) {
    $(id).addEventListener('click', (ev) => {
      const r = ev.target.getBoundingClientRect();
      toggleZoom((ev.clientX - r.left) / r.width, (ev.clientY - r.top) / r.height);
    });
  }
  $('match-canvas').addEventListener('mouseenter', () => { state.hoverPairs = true; drawCurrent(); });
  $('match-canvas').addEventListener('mouseleave', () => { state.hoverPairs = false; drawCurrent(); });
  $('prev-candidate').addEventListener('click', () => flip(-1));
  $('prev-view').addEventListener('click', () => flipView(-1));
  $('next-view').addEventListener('click', () => flipView(1));
  $('reopen-form').addEventListener('submit', (ev) => reopen(ev, 'reopen-reason'));
  $('naming-reopen-form').addEventListener('submit', (ev) => reopen(ev, 'naming-reopen-reason'));
  $('next-candidate').addEventListener('click', () => flip(1));
  $('toast-undo').addEventListener('click', undo);
  $('help-button').addEventListener('click', () => showHelp(true));
  $('help-close').addEventListener('click', () => showHelp(false));
  $('filter-film').addEventListener('input', debounce(load, 250));
  $('filter-vehicle').addEventListener('input', debounce(load, 250));
  $('filters').addEventListener('submit', (ev) => ev.preventDefault());
  $('upload-form').addEventListener('submit', upload);
  window.addEventListener('hashchange', applyView);
  document.addEventListener('keydown', onKey);
  try {
    state.me = await api('/api/session');
    enter();
  } catch (e) {
    showSignIn();
  }
}

// Signed out, the page shows the sign-in form and nothing else (no empty workbench, no counts of 0).
function showSignIn() {
  $('signin').hidden = false;
  for (const id of ['workbench', 'proposals', 'admin', 'whoami', 'counts', 'live', 'help-button', 'upload', 'toast',
    'views', 'films']) {
    $(id).hidden = true;
  }
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
  if (window.Films) window.Films.close();
  state.me = null;
  showSignIn();
}

function enter() {
  $('signin').hidden = true;
  $('whoami').hidden = false;
  $('views').hidden = false;
  const roles = state.me.roles || [];
  text($('whoami-name'), state.me.name + ' (' + roles.join(', ') + ')');
  applyView();
  if (!roles.includes('reviewer')) return;
  if (roles.includes('admin')) loadAccounts();
  listen();
  load();
}

// Two views: the workbench (for a contributor, the still upload) and the films (#films, films.js).
function applyView() {
  if (!state.me) return;
  const films = location.hash === '#films';
  const roles = state.me.roles || [];
  const reviewer = roles.includes('reviewer');
  $('films').hidden = !films;
  $('upload').hidden = films;
  $('workbench').hidden = films || !reviewer;
  $('proposals').hidden = films || !reviewer;
  $('admin').hidden = films || !roles.includes('admin');
  for (const id of ['counts', 'live', 'help-button']) $(id).hidden = films || !reviewer;
  text($('view-review'), reviewer ? 'Review' : 'Upload a still');
  $('view-review').setAttribute('aria-current', films ? 'false' : 'page');
  $('view-films').setAttribute('aria-current', films ? 'page' : 'false');
  if (window.Films) { if (films) window.Films.open(); else window.Films.close(); }
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
      + (p.variant ? ' ' + p.variant : '') + (p.yearFrom || p.yearTo ? ' · built ' + (p.yearFrom || '?') + '\u2013'
      + (p.yearTo || '') : '')
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
  // Skipped stills go to the end of the list for this session.
  state.unidentified = view.unidentified.filter((t) => !state.skipped.has(t.stillId))
    .concat(view.unidentified.filter((t) => state.skipped.has(t.stillId)));
  if (view.labels) setLabels(view.labels);
  state.recent = view.recent || [];
  state.vehicles = view.vehicles || {};
  for (const [k, v] of Object.entries(view.counts)) {
    const el = $('count-' + k);
    if (el) text(el, v);
  }
  const all = state.items.concat(state.unidentified, state.recent);
  if (state.pendingSelect && all.some((t) => t.stillId === state.pendingSelect)) {
    select(state.pendingSelect);
    state.pendingSelect = null;
  }
  if (!state.selected || !all.some((t) => t.stillId === state.selected)) {
    select(state.items.length ? state.items[0].stillId
      : (state.unidentified.length ? state.unidentified[0].stillId : null));
  }
  renderLists();
  // Something changed (a decision, a reopening, a new identification): the shown still's history is read again.
  historyFor = null;
  renderCurrent();
  loadProposals();
}

function filtering() { return !!($('filter-film').value.trim() || $('filter-vehicle').value.trim()); }

function renderLists() {
  const list = $('queue-list');
  clear(list);
  for (const t of state.items) list.appendChild(listItem(t, topLabel(t) + ' · ' + pct(t)));
  // An empty list says why: nothing at all, or nothing the filters let through.
  text($('queue-empty'), filtering() ? 'No match for these filters.'
    : 'Nothing waiting. New matches appear here by themselves.');
  $('queue-empty').hidden = state.items.length > 0;
  const un = $('unidentified-list');
  clear(un);
  for (const t of state.unidentified) {
    un.appendChild(listItem(t, (state.skipped.has(t.stillId) ? 'skipped · ' : '')
      + (t.status === 'REJECTED' ? 'every match rejected' : 'no match')));
  }
  text($('unidentified-empty'), filtering() ? 'No match for these filters.' : 'Nothing to name.');
  $('unidentified-empty').hidden = state.unidentified.length > 0;
  const recent = $('recent-list');
  clear(recent);
  for (const t of state.recent) recent.appendChild(listItem(t, recentText(t)));
}

// A decided still in words: where it stands, and this reviewer's own vote when it still counts.
function recentText(t) {
  const mine = t.votes.find((v) => v.reviewer === state.me.name);
  const where = t.status === 'CONFIRMED' ? 'confirmed ' + (t.label || '')
    : t.status === 'REJECTED' ? (t.rejected.includes('label:no vehicle') && !t.candidates.length ? 'no vehicle'
      : 'rejected') : t.status.toLowerCase();
  return where + (mine && t.status !== 'CONFIRMED' ? ' · you: ' + mine.verdict.toLowerCase() + ' ' + (mine.label || '') : '');
}

function listItem(t, detail) {
  const li = document.createElement('li');
  li.dataset.stillId = t.stillId;
  li.setAttribute('role', 'option');
  li.tabIndex = 0;
  const selected = t.stillId === state.selected;
  li.setAttribute('aria-selected', String(selected));
  if (selected) li.classList.add('selected');
  if (t.status === 'DISPUTED') li.classList.add('disputed');
  const img = document.createElement('img');
  img.src = '/api/images/' + t.still.blobKey;
  img.alt = '';
  img.loading = 'lazy';
  const words = document.createElement('div');
  const film = document.createElement('div');
  text(film, (t.still.film || '(unknown film)') + (t.still.year ? ' (' + t.still.year + ')' : ''));
  const small = document.createElement('div');
  small.className = 'muted';
  text(small, detail);
  words.appendChild(film);
  words.appendChild(small);
  li.appendChild(img);
  li.appendChild(words);
  const open = () => { select(t.stillId); renderLists(); renderCurrent(); };
  li.addEventListener('click', open);
  li.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); open(); focusSelected(); }
  });
  return li;
}

function focusSelected() {
  const li = document.querySelector('aside li[data-still-id="' + CSS.escape(state.selected || '') + '"]');
  if (li) li.focus();
}

function select(stillId) {
  if (state.selected !== stillId) { state.candidate = 0; state.zoom = null; state.view = 0; }
  state.selected = stillId;
}

function setLabels(labels) {
  if (labels.length === state.labels.length && labels.every((l, i) => l === state.labels[i])) return;
  state.labels = labels;
  const list = $('gallery-labels');
  clear(list);
  for (const l of labels) {
    const o = document.createElement('option');
    o.value = l;
    list.appendChild(o);
  }
}

function topLabel(t) { return t.candidates.length ? t.candidates[0].label : '?'; }

function pct(t) { return t.candidates.length ? Math.round(t.candidates[0].confidence * 100) + '%' : ''; }

function selectedTask() {
  return state.items.concat(state.unidentified, state.recent).find((t) => t.stillId === state.selected) || null;
}

// Looking again at a decided still. A vote still counting is replaced by a new decision. An outcome reached by
// consensus (a confirmation, or a rejection that left nothing to propose) is set aside only by "Reopen", with a
// reason: the still goes back to every reviewer's queue for a fresh round, and a reopened confirmation's reference
// leaves the gallery and its appearance the catalogue until reviewers decide again.
function reopenNote(t) {
  if (t.status === 'CONFIRMED') {
    return 'Confirmed as ' + t.label + ' by consensus. If that is wrong, reopen it and say why: it goes back to '
      + 'every reviewer for a fresh round, and leaves the gallery and the catalogue until they decide again.';
  }
  if (t.status === 'REJECTED') {
    return 'Rejected by consensus. Reopen it and say why to put its rejected candidates (or a \u201cno vehicle\u201d) '
      + 'back to every reviewer for a fresh round.';
  }
  return state.recent.some((x) => x.stillId === t.stillId) ? 'Decided before: a new decision replaces your vote.' : '';
}

function reopenable(t) {
  return t.status === 'CONFIRMED' || t.status === 'REJECTED';
}

async function reopen(ev, input) {
  ev.preventDefault();
  const t = selectedTask();
  const reason = $(input).value.trim();
  if (!t || !reason) return;
  try {
    await api('/api/reviews/' + encodeURIComponent(t.stillId) + '/reopen', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ reason })
    });
  } catch (e) {
    text(t.candidates.length ? $('action-error') : $('naming-error'), e.message);
    return;
  }
  $(input).value = '';
  $(input).blur();
  toast('Reopened ' + (t.label || (t.still.film || 'the still')) + ': back in the queue');
  state.selected = null;
  state.pendingSelect = t.stillId;
  await load();
}

function shownCandidate(t) {
  if (!t || !t.candidates.length) return null;
  return t.candidates[Math.min(state.candidate, t.candidates.length - 1)];
}

function renderCurrent() {
  const t = selectedTask();
  text($('action-error'), '');
  $('current').hidden = true;
  $('naming').hidden = true;
  if (!t) { $('history').hidden = true; return; }
  loadHistory(t.stillId);
  if (!t.candidates.length) { renderNaming(t); return; }
  const c = shownCandidate(t);
  const section = $('current');
  section.hidden = false;
  section.dataset.stillId = t.stillId;
  section.dataset.candidate = c.label;
  text($('current-label'), c.label);
  const status = $('current-status');
  text(status, t.status.toLowerCase());
  status.className = 'status ' + t.status.toLowerCase();
  text($('current-score'), (c.confidence * 100).toFixed(1) + '%');
  const line = thresholdOf(t, c);
  text($('current-threshold'), line == null ? '' : '(accepted at \u2265 ' + percent(line) + ')');
  text($('current-inliers'), evidenceText(c));
  text($('current-explain'), explain(c, line));
  text($('current-film'), t.still.film || '(unknown film)');
  text($('current-year'), t.still.year || '');
  text($('current-timecode'), t.still.timecode ? '@ ' + t.still.timecode : '');
  text($('current-note'), t.still.note || '');
  text($('current-votes'), t.votes.length
    ? 'votes so far: ' + t.votes.map((v) => v.reviewer + ' ' + v.verdict.toLowerCase() + ' ' + (v.label || '')).join(', ')
    : '');
  const note = reopenNote(t);
  text($('reopen-note'), note);
  $('reopen-note').hidden = !note;
  const final = t.status === 'CONFIRMED';
  for (const id of ['confirm', 'reject', 'different-form']) $(id).hidden = final;
  $('reopen-form').hidden = !reopenable(t);
  renderVehicle(t, c);
  $('candidate-flip').hidden = t.candidates.length < 2;
  text($('candidate-position'), 'candidate ' + (Math.min(state.candidate, t.candidates.length - 1) + 1)
    + ' of ' + t.candidates.length + ((t.anachronisms || []).includes(c.label) ? ' \u00b7 anachronism, ranked below the others' : ''));
  $('compare').classList.toggle('zoomed', !!state.zoom);
  $('zoom').setAttribute('aria-pressed', String(!!state.zoom));
  drawCurrent();
}

// What a candidate rests on: verified keypoints, or the number plate's characters alone (the same plate, which in a
// film may also be a prop moved between cars: worth a look at the rest of the car).
function evidenceText(c) {
  return c.evidence === 'plate'
    ? c.inliers + ' number-plate characters alike (plate only)'
    : c.inliers + ' inliers';
}

// The acceptance threshold identify applied to this kind of evidence, sent with the identification (null when it
// was not: an identification written before identify sent it, or the exhaustive matcher, which has none).
function thresholdOf(t, c) {
  const v = (t.acceptThresholds || {})[c.evidence || 'features'];
  return typeof v === 'number' ? v : null;
}

function percent(p) {
  const x = p * 100;
  return (Math.abs(x - Math.round(x)) < 0.05 ? Math.round(x) : x.toFixed(1)) + '%';
}

// The numbers in plain words: the score is identify's calibrated probability; identify proposes a vehicle only at
// or above its acceptance threshold, so every candidate here passed it, and the page says by how much; the evidence
// is either features under one perspective transform or a number plate's characters.
function explain(c, line) {
  const p = Math.round(c.confidence * 100);
  const kind = c.evidence === 'plate' ? 'number-plate evidence, with every character alike' : 'feature evidence';
  const above = Math.round((c.confidence - (line || 0)) * 100);
  const score = 'Score ' + p + '%: identify\u2019s calibrated probability that this is the same vehicle '
    + '(of matches scored like this, about ' + p + ' in 100 were right). '
    + (line == null ? 'It passed identify\u2019s acceptance threshold (not sent with this match), or it would not '
      + 'be proposed. '
      : 'identify proposes a match only at ' + percent(line) + ' or more (its acceptance threshold for ' + kind
        + '); this one is ' + (above > 0 ? above + ' points above it' : 'just on it') + '. ');
  const evidence = c.evidence === 'plate'
    ? 'Evidence: ' + c.inliers + ' characters of the number plate read alike, and nothing else. A plate can be '
      + 'moved between cars in a film: check the body too.'
    : 'Evidence: ' + c.inliers + ' distinctive points of the still line up with the reference under one '
      + 'perspective (features, verified geometrically); more points, stronger evidence.';
  return score + evidence;
}

function renderNaming(t) {
  $('naming').hidden = false;
  $('naming').dataset.stillId = t.stillId;
  text($('naming-error'), '');
  const note = reopenNote(t);
  text($('naming-reopen-note'), note);
  $('naming-reopen-note').hidden = !note;
  $('naming-reopen-form').hidden = !reopenable(t);
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
    const line = thresholdOf(t, h);
    text(span, ' ' + h.label + ' · ' + (h.confidence * 100).toFixed(1) + '%'
      + (line == null ? '' : ' (accepted at \u2265 ' + percent(line) + ')') + ' · ' + evidenceText(h) + ' ');
    li.appendChild(span);
    const b = document.createElement('button');
    b.type = 'button';
    text(b, 'It is ' + h.label);
    b.addEventListener('click', () => decide('confirm', h.label));
    li.appendChild(b);
    hints.appendChild(li);
  }
}

// The still's story: who sent it, each identification, every vote with who and when.
let historyFor = null;
async function loadHistory(stillId) {
  if (historyFor === stillId) return;
  historyFor = stillId;
  let story;
  try { story = await api('/api/submissions/' + encodeURIComponent(stillId)); } catch (e) { return; }
  if (historyFor !== stillId) return;
  const list = $('history-list');
  clear(list);
  const add = (line) => { const li = document.createElement('li'); text(li, line); list.appendChild(li); };
  const r = story.received;
  add(when(r.submittedAt) + ' · submitted by ' + (r.contributor || 'someone unknown')
    + (r.duplicateOf ? ' (a near-duplicate of ' + r.duplicateOf + ')' : ''));
  for (const id of story.identifications) {
    add(when(id.identifiedAt) + ' · identified: ' + (id.candidates.length
      ? id.candidates.map((c) => c.label + ' ' + Math.round(c.confidence * 100) + '%').join(', ')
      : 'no match') + ' (gallery of ' + id.gallerySize + ')');
  }
  const said = { CONFIRM: 'confirmed', REJECT: 'rejected', RETRACT: 'took back their decision on', REOPEN: 'reopened' };
  for (const d of story.decisions) {
    add(when(d.decidedAt) + ' · ' + d.reviewer + ' ' + (said[d.verdict] || d.verdict.toLowerCase())
      + (d.label ? ' ' + d.label : ''));
  }
  $('history').hidden = false;
}

function when(iso) {
  if (!iso) return '?';
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toLocaleString();
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

function drawCurrent() {
  const t = selectedTask();
  const c = shownCandidate(t);
  if (t && c) drawMatch(t, c);
}

// The same-scale comparison: the still's region inside the candidate's outline (the reference's four corners mapped
// into the still by identify's homography, clockwise from top-left), warped back onto the reference's rectangle,
// beside the reference drawn at the same size. The warp is projective: the rectangle is cut into a grid of
// triangles, each drawn with the affine transform that maps its three corners exactly (fine enough that the
// piecewise-affine error is under a pixel at these sizes).
async function drawMatch(t, c) {
  let still, ref;
  try {
    [still, ref] = await Promise.all([image(t.still.blobKey), c.referenceBlobKey ? image(c.referenceBlobKey) : null]);
  } catch (e) {
    text($('action-error'), e.message);
    return;
  }
  if (state.selected !== t.stillId || shownCandidate(t) !== c) return;
  const width = 640;
  const height = ref ? Math.max(1, Math.round(width * ref.naturalHeight / ref.naturalWidth))
    : Math.round(width * 3 / 4);
  for (const id of ['rectified-canvas', 'reference-canvas']) {
    const cv = $(id);
    if (cv.width !== width || cv.height !== height) { cv.width = width; cv.height = height; }
    cv.getContext('2d').clearRect(0, 0, width, height);
    const z = state.zoom;
    cv.style.transformOrigin = z ? (z.x * 100) + '% ' + (z.y * 100) + '%' : '50% 50%';
    cv.style.transform = z ? 'scale(2.5)' : 'none';
  }
  if (ref) $('reference-canvas').getContext('2d').drawImage(ref, 0, 0, width, height);
  if (c.outline && c.outline.length === 4) {
    rectify($('rectified-canvas').getContext('2d'), still, c.outline, width, height);
  }
  drawContext(t, c, still, ref);
}

function rectify(ctx, still, outline, width, height) {
  const h = homography([[0, 0], [width, 0], [width, height], [0, height]], outline.map((p) => [p.x, p.y]));
  const map = (u, v) => {
    const w = h[6] * u + h[7] * v + 1;
    return [(h[0] * u + h[1] * v + h[2]) / w, (h[3] * u + h[4] * v + h[5]) / w];
  };
  const n = 12;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const u0 = width * i / n, u1 = width * (i + 1) / n, v0 = height * j / n, v1 = height * (j + 1) / n;
      const d = [[u0, v0], [u1, v0], [u1, v1], [u0, v1]];
      const s = d.map(([u, v]) => map(u, v));
      triangle(ctx, still, [s[0], s[1], s[2]], [d[0], d[1], d[2]]);
      triangle(ctx, still, [s[0], s[2], s[3]], [d[0], d[2], d[3]]);
    }
  }
}

// Draws the triangle src (in the still) onto dst (on the canvas) by the affine map between them, clipped to dst
// grown by a pixel so that neighbouring triangles leave no hairline seams.
function triangle(ctx, img, src, dst) {
  const [[x0, y0], [x1, y1], [x2, y2]] = src;
  const [[u0, v0], [u1, v1], [u2, v2]] = dst;
  const den = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
  if (Math.abs(den) < 1e-9) return;
  const a = ((u1 - u0) * (y2 - y0) - (u2 - u0) * (y1 - y0)) / den;
  const b = ((u2 - u0) * (x1 - x0) - (u1 - u0) * (x2 - x0)) / den;
  const c2 = ((v1 - v0) * (y2 - y0) - (v2 - v0) * (y1 - y0)) / den;
  const d = ((v2 - v0) * (x1 - x0) - (v1 - v0) * (x2 - x0)) / den;
  const e = u0 - a * x0 - b * y0;
  const f = v0 - c2 * x0 - d * y0;
  const cx = (u0 + u1 + u2) / 3, cy = (v0 + v1 + v2) / 3;
  const grow = ([u, v]) => {
    const l = Math.hypot(u - cx, v - cy) || 1;
    return [u + (u - cx) / l, v + (v - cy) / l];
  };
  ctx.save();
  ctx.beginPath();
  [[u0, v0], [u1, v1], [u2, v2]].map(grow).forEach(([u, v], i) => (i ? ctx.lineTo(u, v) : ctx.moveTo(u, v)));
  ctx.closePath();
  ctx.clip();
  ctx.setTransform(a, c2, b, d, e, f);
  // Only the source triangle's bounding box (and a margin for the grown clip) is drawn, not the whole still.
  const bx = Math.max(0, Math.floor(Math.min(x0, x1, x2)) - 2);
  const by = Math.max(0, Math.floor(Math.min(y0, y1, y2)) - 2);
  const bw = Math.min(img.naturalWidth, Math.ceil(Math.max(x0, x1, x2)) + 2) - bx;
  const bh = Math.min(img.naturalHeight, Math.ceil(Math.max(y0, y1, y2)) + 2) - by;
  if (bw > 0 && bh > 0) ctx.drawImage(img, bx, by, bw, bh, bx, by, bw, bh);
  ctx.restore();
}

// The 3x3 homography (h33 = 1) taking the four points `from` to `to`, by solving the 8x8 linear system.
function homography(from, to) {
  const m = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i], [u, v] = to[i];
    m.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    m.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = 0; r < 8; r++) {
      if (r === col || !m[col][col]) continue;
      const k = m[r][col] / m[col][col];
      for (let k2 = col; k2 < 9; k2++) m[r][k2] -= k * m[col][k2];
    }
  }
  return m.map((row, i) => row[8] / row[i]);
}

// The whole still with the outline for context, the reference beside it; keypoint pairs only on demand (key p,
// the checkbox, or while the pointer is over this picture), never over the same-scale comparison.
function drawContext(t, c, still, ref) {
  const canvas = $('match-canvas');
  const ctx = canvas.getContext('2d');
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
  canvas.dataset.pairs = String(!!(ref && (state.pairs || state.hoverPairs) && c.inlierPairs));
  if (ref && (state.pairs || state.hoverPairs) && c.inlierPairs) {
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

// The vehicle, properly: make, model, variant and years from the gallery's views of it, identify's kind of answer
// when it gives one (this very vehicle, or the model), an anachronism flag, and every reference view to page through
// (the matched one first).
function vehicleViews(c) {
  const record = state.vehicles[c.label] || null;
  const views = record ? record.views.slice() : [];
  if (c.referenceBlobKey && !views.some((v) => v.referenceId === c.referenceId)) {
    views.push({ referenceId: c.referenceId, blobKey: c.referenceBlobKey, source: null });
  }
  views.sort((a, b) => (b.referenceId === c.referenceId) - (a.referenceId === c.referenceId));
  return { record, views };
}

function renderVehicle(t, c) {
  const { record, views } = vehicleViews(c);
  const facts = [];
  if (record) {
    const name = [record.make, record.model, record.variant].filter(Boolean).join(' ');
    if (name) facts.push(name);
    if (record.yearFrom || record.yearTo) {
      facts.push('built ' + (record.yearFrom || '?') + '\u2013' + (record.yearTo || ''));
    }
    if (record.years.length) {
      facts.push('reference vehicle' + (record.years.length > 1 ? 's' : '') + ' from ' + record.years.join(', '));
    }
  }
  const said = facts.length ? facts.join(' · ') : 'The gallery has no make, model or years for ' + c.label + '.';
  text($('vehicle-facts'), said);
  text($('views-heading'), 'Every view of ' + c.label + ' in the gallery');
  text($('views-facts'), said);
  const answer = c.answer === 'vehicle'
    ? 'identify\u2019s answer: this very vehicle (evidence a look-alike of the same model does not reach)'
    : c.answer === 'model' ? 'identify\u2019s answer: the model (the same make and model, perhaps another car of it)'
      : '';
  text($('vehicle-answer'), answer);
  $('vehicle-answer').hidden = !answer;
  const warning = anachronism(t, c, record);
  text($('anachronism'), warning);
  $('anachronism').hidden = !warning;
  state.view = Math.min(state.view, Math.max(0, views.length - 1));
  const view = views[state.view];
  $('vehicle-views').hidden = !view;
  $('view-flip').hidden = views.length < 2;
  if (!view) return;
  const img = $('vehicle-view');
  const src = '/api/images/' + view.blobKey;
  if (img.getAttribute('src') !== src) img.src = src;
  img.alt = 'reference view ' + (state.view + 1) + ' of ' + c.label;
  img.dataset.referenceId = view.referenceId;
  text($('view-position'), 'reference view ' + (state.view + 1) + ' of ' + views.length
    + (view.referenceId === c.referenceId ? ' · the matched view' : '') + (view.source ? ' · ' + view.source : ''));
}

// A film older than the model cannot show it: notify flags a candidate whose model was first built after the film's
// year (t.anachronisms, from the gallery's production years) and ranks it after the others, so the first candidate,
// the one y confirms, is a possible one. Without production years, a film older than every reference vehicle is only
// worth a check (the model may be older than those cars).
function anachronism(t, c, record) {
  const film = t.still.year;
  if ((t.anachronisms || []).includes(c.label)) {
    return 'Anachronism? The film is from ' + film + ', but the ' + c.label + ' was first built in '
      + (record && record.yearFrom ? record.yearFrom : 'a later year') + '.';
  }
  if (!film || !record) return '';
  if (!record.yearFrom && record.years.length && film < record.years[0]) {
    return 'Check the year: the film is from ' + film + ', older than every reference ' + c.label + ' ('
      + record.years[0] + '); the model may be older than these cars.';
  }
  return '';
}

function flipView(step) {
  const t = selectedTask();
  const c = shownCandidate(t);
  if (!c) return;
  const n = vehicleViews(c).views.length;
  if (n < 2) return;
  state.view = (state.view + step + n) % n;
  renderVehicle(t, c);
}

function toggleZoom(x, y) {
  state.zoom = state.zoom ? null : { x: x == null ? 0.5 : x, y: y == null ? 0.5 : y };
  $('compare').classList.toggle('zoomed', !!state.zoom);
  $('zoom').setAttribute('aria-pressed', String(!!state.zoom));
  for (const id of ['rectified-canvas', 'reference-canvas']) {
    const cv = $(id);
    const z = state.zoom;
    cv.style.transformOrigin = z ? (z.x * 100) + '% ' + (z.y * 100) + '%' : '50% 50%';
    cv.style.transform = z ? 'scale(2.5)' : 'none';
  }
}

function flip(step) {
  const t = selectedTask();
  if (!t || t.candidates.length < 2) return;
  state.candidate = (Math.min(state.candidate, t.candidates.length - 1) + step + t.candidates.length)
    % t.candidates.length;
  state.zoom = null;
  state.view = 0;
  renderCurrent();
}

// Confirm or reject the candidate on screen (the best one unless the reviewer flipped to another).
function decideShown(verdict) {
  const t = selectedTask();
  const c = shownCandidate(t);
  if (!c) return;
  decide(verdict, state.candidate > 0 ? c.label : null, c.label);
}

function nameVehicle(ev) {
  ev.preventDefault();
  const label = $('naming-label').value.trim();
  if (!label) return;
  const known = state.labels.find((l) => l.toLowerCase() === label.toLowerCase());
  // A typo must not create a vehicle: a name outside the gallery needs the "new vehicle" box ticked.
  if (!known && !$('naming-new').checked) {
    text($('naming-error'), '\u201c' + label + '\u201d is not in the gallery: pick a name from the list, '
      + 'or tick \u201ca new vehicle\u201d to add it.');
    return;
  }
  decide('confirm', known || label);
}

// "No vehicle / not identifiable": a rejection labelled "no vehicle"; once reviewers agree, the still is cleared.
function noVehicle() {
  const t = selectedTask();
  if (!t || t.candidates.length) return;
  decide('reject', 'no vehicle', 'no vehicle');
}

function skip() {
  const t = selectedTask();
  if (!t || t.candidates.length) return;
  state.skipped.add(t.stillId);
  const i = state.unidentified.findIndex((x) => x.stillId === t.stillId);
  state.unidentified.splice(i, 1);
  state.unidentified.push(t);
  const next = state.unidentified[Math.min(i, state.unidentified.length - 1)];
  select(next ? next.stillId : null);
  renderLists();
  renderCurrent();
  toast('Skipped for now');
}

async function decide(verdict, label, shown) {
  const t = selectedTask();
  if (!t) return;
  const body = { verdict };
  if (label) body.label = label;
  let answer;
  try {
    answer = await api('/api/reviews/' + encodeURIComponent(t.stillId), {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
    });
  } catch (e) {
    text(t.candidates.length ? $('action-error') : $('naming-error'), e.message);
    return;
  }
  const name = shown || label || topLabel(t);
  toast(verdict === 'reject' && name === 'no vehicle' ? 'Marked: no vehicle'
    : (verdict === 'confirm' ? 'Confirmed ' : 'Rejected ') + name,
  { stillId: t.stillId, decisionId: answer.decision.decisionId });
  $('different-label').value = '';
  $('naming-label').value = '';
  $('naming-new').checked = false;
  const list = [state.items, state.unidentified, state.recent].find((l) => l.some((x) => x.stillId === t.stillId));
  const i = list.findIndex((x) => x.stillId === t.stillId);
  list.splice(i, 1);
  const next = (list === state.recent ? null : list[Math.min(i, list.length - 1)])
    || state.items[0] || state.unidentified[0];
  select(next ? next.stillId : null);
  renderLists();
  renderCurrent();
  load();
}

// Undo: the server publishes a retraction of this reviewer's decision (possible until the still is confirmed, and
// offered here only until the toast goes or the next decision replaces it); the item comes back on screen.
async function undo() {
  const u = state.undo;
  if (!u) return;
  state.undo = null;
  try {
    await api('/api/reviews/' + encodeURIComponent(u.stillId) + '/' + encodeURIComponent(u.decisionId),
      { method: 'DELETE' });
  } catch (e) {
    toast('Could not undo: ' + e.message);
    return;
  }
  toast('Undone');
  state.selected = null;
  state.pendingSelect = u.stillId;
  await load();
}

// A short note after each decision, so the next item (often the same film and vehicle) is not mistaken for this one;
// with an Undo button for a decision.
function toast(message, undoable) {
  state.undo = undoable || null;
  text($('toast-text'), message);
  $('toast-undo').hidden = !undoable;
  $('toast').hidden = false;
  clearTimeout(state.toastTimer);
  state.toastTimer = setTimeout(() => { $('toast').hidden = true; state.undo = null; }, undoable ? 6000 : 3000);
}

function showHelp(open) {
  $('help').hidden = !open;
  if (open) $('help-close').focus(); else $('help-button').focus();
}

function move(step) {
  const list = state.items.concat(state.unidentified);
  if (!list.length) return;
  const i = list.findIndex((t) => t.stillId === state.selected);
  const next = list[Math.max(0, Math.min(list.length - 1, i + step))];
  select(next.stillId);
  renderLists();
  renderCurrent();
  // Keep focus with the list when it was there, so Tab order and the highlighted item agree.
  if (document.activeElement && document.activeElement.closest && document.activeElement.closest('aside ol')) {
    focusSelected();
  }
}

// Fields where a letter is text, not a command. Checkboxes, buttons and list items are not: after clicking one the
// shortcuts still work.
function isTyping(el) {
  if (!el) return false;
  if (el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName !== 'INPUT') return false;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes(el.type);
}

function onKey(ev) {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (isTyping(ev.target)) {
    if (ev.key === 'Escape') { ev.preventDefault(); ev.target.blur(); }
    return;
  }
  if (!$('help').hidden) {
    if (ev.key === 'Escape' || ev.key === '?') { ev.preventDefault(); showHelp(false); }
    return;
  }
  if (!state.me || $('workbench').hidden) return;
  if (ev.key === '?') { ev.preventDefault(); showHelp(true); return; }
  const t = selectedTask();
  const review = t && t.candidates.length && t.status !== 'CONFIRMED';
  const k = ev.key;
  if (k === 'y' && review) { ev.preventDefault(); decideShown('confirm'); }
  else if (k === 'n' && review) { ev.preventDefault(); decideShown('reject'); }
  else if (k === 'n' && t && !t.candidates.length) { ev.preventDefault(); noVehicle(); }
  else if (k === 's' && t && !review) { ev.preventDefault(); skip(); }
  else if (k === 'j') { ev.preventDefault(); move(1); }
  else if (k === 'k') { ev.preventDefault(); move(-1); }
  else if (k === 'z' && review) { ev.preventDefault(); toggleZoom(); }
  else if (k === 'p' && review) {
    ev.preventDefault();
    state.pairs = !state.pairs;
    $('toggle-pairs').checked = state.pairs;
    drawCurrent();
  }
  else if (k === 'c' && review) { ev.preventDefault(); flip(1); }
  else if (k === 'v' && t && t.candidates.length) { ev.preventDefault(); flipView(1); }
  else if (k === '/') { ev.preventDefault(); $('filter-vehicle').focus(); }
  else if (k === 'u' && state.undo) { ev.preventDefault(); undo(); }
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
