// The films view (#films): upload a whole film to ingest with the tus protocol (tus-js-client, vendored as
// /tus.min.js), list the caller's films, and watch one scan live: a progress bar fed by ingest's Server-Sent Events,
// pause / resume / cancel / delete, and a timeline of the appearances found along the film. Shares app.js's globals
// ($, state, text, clear). Everything from the server is put on the page with textContent.
'use strict';

window.Films = (() => {
  const films = { open: false, selected: null, source: null, upload: null, view: null };

  // ingest is another origin: every call carries the session cookie (ingest's CORS allows this page's origin).
  async function ingest(path, options = {}) {
    const res = await fetch(state.ingestUrl + path, Object.assign({ credentials: 'include' }, options));
    const body = await res.json().catch(() => null);
    if (!res.ok) {
      const err = new Error((body && body.message) || res.statusText || ('HTTP ' + res.status));
      err.status = res.status;
      throw err;
    }
    return body;
  }

  function open() {
    if (films.open) return;
    films.open = true;
    listUnfinished();
    loadList();
  }

  function close() {
    films.open = false;
    stopWatching();
  }

  // --- uploading ------------------------------------------------------------------------------------------

  function metadata() {
    const m = { title: $('film-title').value.trim() };
    for (const k of ['year', 'country', 'language']) {
      const v = $('film-' + k).value.trim();
      if (v) m[k] = v;
    }
    return m;
  }

  async function startUpload(ev) {
    ev.preventDefault();
    text($('film-error'), '');
    text($('film-upload-status'), '');
    const file = $('film-file').files[0];
    if (!file) return;
    if (films.upload) { text($('film-error'), 'An upload is already running.'); return; }
    const upload = new tus.Upload(file, {
      endpoint: state.ingestUrl + '/api/films/uploads',
      metadata: metadata(),
      // Parts of 32 MiB: a dropped connection loses at most one part's progress, and each answer moves the bar.
      chunkSize: 32 * 1024 * 1024,
      // A dropped connection is retried, from the offset ingest reports (HEAD), for about a minute.
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000],
      // The fingerprint (file name, size, type, date, endpoint) lets a reload resume this upload with the same file.
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onBeforeRequest: (req) => { req.getUnderlyingObject().withCredentials = true; },
      onProgress: (sent, total) => showUploadProgress(sent, total),
      onAfterResponse: (req, res) => {
        const id = res.getHeader('Reelcars-Film-Id');
        if (id) films.uploadedId = id;
      },
      onError: (err) => {
        const res = err.originalResponse;
        let message = err.message;
        if (res) {
          try { message = JSON.parse(res.getBody()).message || message; } catch (e) { /* the library's words */ }
        }
        text($('film-error'), 'Upload stopped: ' + message);
        endUpload(false);
      },
      onSuccess: () => {
        text($('film-upload-status'), 'Uploaded "' + file.name + '". The scan starts shortly.');
        const id = films.uploadedId;
        endUpload(true);
        $('film-form').reset();
        loadList().then(() => { if (id) select(id); });
      }
    });
    films.upload = upload;
    films.uploadedId = null;
    $('film-upload').hidden = false;
    $('film-upload-pause').hidden = false;
    $('film-upload-resume').hidden = true;
    showUploadProgress(0, file.size);
    const previous = await upload.findPreviousUploads();
    if (previous.length) {
      upload.resumeFromPreviousUpload(previous[0]);
      text($('film-upload-status'), 'Resuming the upload started ' + when(previous[0].creationTime) + '.');
    }
    upload.start();
  }

  function showUploadProgress(sent, total) {
    const pct = total ? Math.floor(sent * 1000 / total) / 10 : 0;
    $('film-upload-bar').value = pct;
    text($('film-upload-text'), 'uploading: ' + pct + '% (' + mib(sent) + ' of ' + mib(total) + ')');
  }

  function endUpload() {
    films.upload = null;
    $('film-upload').hidden = true;
    listUnfinished();
  }

  function pauseUpload() {
    if (!films.upload) return;
    films.upload.abort();
    $('film-upload-pause').hidden = true;
    $('film-upload-resume').hidden = false;
    text($('film-upload-status'), 'Upload paused; what was sent is kept.');
  }

  function resumeUpload() {
    if (!films.upload) return;
    $('film-upload-pause').hidden = false;
    $('film-upload-resume').hidden = true;
    text($('film-upload-status'), '');
    films.upload.start();
  }

  // Uploads this browser started and did not finish: choose the same file again to go on.
  async function listUnfinished() {
    const list = $('film-unfinished');
    clear(list);
    let previous = [];
    try { previous = await tus.defaultOptions.urlStorage.findAllUploads(); } catch (e) { return; }
    for (const p of previous) {
      const li = document.createElement('li');
      const title = (p.metadata && p.metadata.title) || 'a film';
      text(li, 'Unfinished upload of "' + title + '" (' + mib(p.size) + ', started ' + when(p.creationTime)
        + '): choose the same file to resume it.');
      list.appendChild(li);
    }
  }

  // --- the list -------------------------------------------------------------------------------------------

  async function loadList() {
    let body;
    try { body = await ingest('/api/films'); } catch (e) { text($('film-error'), e.message); return; }
    const list = $('film-list');
    clear(list);
    $('film-list-empty').hidden = body.films.length > 0;
    for (const f of body.films) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'film-item';
      b.dataset.filmId = f.id;
      b.setAttribute('aria-pressed', String(f.id === films.selected));
      const title = document.createElement('b');
      text(title, f.title);
      const small = document.createElement('span');
      small.className = 'muted';
      text(small, ' ' + [f.year, f.status, Math.round(f.percent) + '%', f.appearances + ' appearance'
        + (f.appearances === 1 ? '' : 's')].filter((x) => x != null).join(' · '));
      b.append(title, small);
      b.addEventListener('click', () => select(f.id));
      li.appendChild(b);
      list.appendChild(li);
    }
    if (!films.selected && body.films.length) select(body.films[0].id);
  }

  // --- one film -------------------------------------------------------------------------------------------

  async function select(id) {
    films.selected = id;
    for (const b of document.querySelectorAll('#film-list .film-item')) {
      b.setAttribute('aria-pressed', String(b.dataset.filmId === id));
    }
    text($('film-action-error'), '');
    $('appearance-detail').hidden = true;
    try {
      render(await ingest('/api/films/' + encodeURIComponent(id)));
    } catch (e) {
      text($('film-action-error'), e.message);
      return;
    }
    watch(id);
  }

  // Live progress: ingest's Server-Sent Events, closed by us once the scan has ended (else EventSource reconnects).
  function watch(id) {
    stopWatching();
    if (!films.open || (films.view && finished(films.view))) return;
    const source = new EventSource(state.ingestUrl + '/api/films/' + encodeURIComponent(id) + '/events',
      { withCredentials: true });
    films.source = source;
    source.addEventListener('progress', (ev) => {
      const v = JSON.parse(ev.data);
      if (v.id !== films.selected) return;
      render(v);
      if (finished(v)) { stopWatching(); loadList(); }
    });
  }

  function stopWatching() {
    if (films.source) { films.source.close(); films.source = null; }
  }

  function finished(v) { return ['done', 'cancelled', 'failed'].includes(v.status); }

  function render(v) {
    films.view = v;
    $('film-detail').hidden = false;
    text($('film-detail-title'), v.title);
    text($('film-detail-meta'), [v.year, v.country, v.language, mib(v.bytes)].filter((x) => x).join(' · '));
    const status = $('film-status');
    text(status, v.status);
    status.className = 'status ' + v.status;
    text($('film-percent'), v.percent + '%');
    $('film-progress').value = v.percent;
    const parts = ['frames ' + v.framesDone + ' of ' + (v.framesTotal || '?') + ' decoded',
      v.framesMatched + ' matched', v.appearances + ' appearance' + (v.appearances === 1 ? '' : 's') + ' so far'];
    if (v.status === 'running' && v.etaSeconds > 0) parts.push('about ' + duration(v.etaSeconds) + ' left');
    if (v.message) parts.push(v.message);
    text($('film-progress-text'), parts.join(' · '));
    const ended = finished(v);
    $('film-pause').hidden = ended || v.requested !== 'run';
    $('film-resume').hidden = ended || v.requested !== 'pause';
    $('film-cancel').hidden = ended || v.requested === 'cancel';
    renderTimeline(v);
  }

  // Each appearance is a mark from its in to its out time; overlapping ones go on separate rows.
  function renderTimeline(v) {
    const marks = $('timeline-marks');
    const focused = document.activeElement && document.activeElement.dataset
      ? document.activeElement.dataset.stillId : null;
    clear(marks);
    const timeline = v.timeline || [];
    const length = Math.max(v.filmSeconds || 0, ...timeline.map((a) => a.end), 1);
    text($('timeline-end'), clock(length));
    $('timeline-empty').hidden = timeline.length > 0;
    const rowEnds = [];
    for (const a of timeline) {
      let row = rowEnds.findIndex((end) => end <= a.start);
      if (row < 0) { row = rowEnds.length; rowEnds.push(0); }
      rowEnds[row] = a.end;
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'mark';
      b.dataset.stillId = a.stillId;
      b.style.left = (100 * a.start / length) + '%';
      b.style.width = (100 * (a.end - a.start) / length) + '%';
      b.style.top = 'calc(' + row + ' * var(--row))';
      b.setAttribute('aria-label', a.label + ', ' + clock(a.start) + ' to ' + clock(a.end));
      b.title = a.label + ' · ' + clock(a.start) + '–' + clock(a.end);
      const label = document.createElement('span');
      text(label, a.label);
      b.appendChild(label);
      b.addEventListener('click', () => showAppearance(a));
      b.addEventListener('focus', () => showAppearance(a));
      b.addEventListener('keydown', (ev) => moveMark(ev, b));
      marks.appendChild(b);
    }
    marks.style.height = 'calc(' + Math.max(1, rowEnds.length) + ' * var(--row))';
    if (focused) {
      const again = marks.querySelector('[data-still-id="' + CSS.escape(focused) + '"]');
      if (again) again.focus();
    }
  }

  function moveMark(ev, b) {
    const all = Array.from(document.querySelectorAll('#timeline-marks .mark'));
    const i = all.indexOf(b);
    let next = null;
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown') next = all[i + 1];
    else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp') next = all[i - 1];
    else if (ev.key === 'Home') next = all[0];
    else if (ev.key === 'End') next = all[all.length - 1];
    if (next) { ev.preventDefault(); next.focus(); }
  }

  function showAppearance(a) {
    const p = $('appearance-detail');
    p.hidden = false;
    clear(p);
    const words = document.createElement('span');
    text(words, a.label + ' from ' + clock(a.start) + ' to ' + clock(a.end) + ' · ' + a.frames + ' frame'
      + (a.frames === 1 ? '' : 's') + ' · score ' + Math.round(a.score * 100) + '% · best frame at ' + a.timecode
      + ' · review item ' + a.stillId);
    p.appendChild(words);
  }

  async function control(action) {
    text($('film-action-error'), '');
    try {
      render(await ingest('/api/films/' + encodeURIComponent(films.selected) + '/' + action, { method: 'POST' }));
      if (action === 'resume') watch(films.selected);
    } catch (e) {
      text($('film-action-error'), e.message);
    }
  }

  async function remove() {
    const v = films.view;
    if (!v || !window.confirm('Delete "' + v.title + '"? Its scan stops and the file is removed; appearances '
      + 'reviewers already confirmed stay in the catalogue.')) return;
    try {
      await ingest('/api/films/' + encodeURIComponent(v.id), { method: 'DELETE' });
    } catch (e) {
      text($('film-action-error'), e.message);
      return;
    }
    stopWatching();
    films.selected = null;
    films.view = null;
    $('film-detail').hidden = true;
    text($('film-upload-status'), 'Deleted "' + v.title + '".');
    loadList();
  }

  // --- words ----------------------------------------------------------------------------------------------

  function mib(bytes) { return bytes == null ? '' : (bytes / 1048576).toFixed(1) + ' MiB'; }

  function clock(seconds) {
    const s = Math.round(seconds * 10) / 10;
    const h = Math.floor(s / 3600);
    const m = Math.floor(s / 60) % 60;
    const rest = (s % 60).toFixed(1).padStart(4, '0');
    return (h ? h + ':' + String(m).padStart(2, '0') : m) + ':' + rest;
  }

  function duration(seconds) {
    if (seconds < 90) return Math.round(seconds) + ' s';
    if (seconds < 5400) return Math.round(seconds / 60) + ' min';
    return (seconds / 3600).toFixed(1) + ' h';
  }

  function when(iso) {
    const d = new Date(iso);
    return isNaN(d) ? 'earlier' : d.toLocaleString();
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('film-form').addEventListener('submit', startUpload);
    $('film-upload-pause').addEventListener('click', pauseUpload);
    $('film-upload-resume').addEventListener('click', resumeUpload);
    $('film-pause').addEventListener('click', () => control('pause'));
    $('film-resume').addEventListener('click', () => control('resume'));
    $('film-cancel').addEventListener('click', () => control('cancel'));
    $('film-delete').addEventListener('click', remove);
  });

  return { open, close, select };
})();
