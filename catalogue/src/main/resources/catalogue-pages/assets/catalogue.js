// The catalogue's pages: each fills itself from the JSON API. Text is always set with textContent, never as HTML:
// titles, labels and notes are whatever contributors typed.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) if (c) node.appendChild(c);
    return node;
  }

  function status(text) {
    const s = $('status');
    s.textContent = text || '';
    s.hidden = !text;
  }

  async function api(path) {
    const res = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (res.status === 401) {
      const where = await fetch('/api/sign-in').then((r) => r.json()).catch(() => ({ url: '/' }));
      const s = $('status');
      s.textContent = 'This catalogue is open to members only: sign in on the ';
      s.appendChild(el('a', { href: where.url, text: 'reelcars page' }));
      s.appendChild(document.createTextNode(', then come back.'));
      throw new Error('unauthorized');
    }
    if (!res.ok) {
      const body = await res.json().catch(() => ({}));
      status(body.message || ('Error ' + res.status));
      throw new Error(String(res.status));
    }
    return res.json();
  }

  // A reviewer's write: same origin, so the browser sends the session cookie and this page's Origin.
  async function post(path, body) {
    const res = await fetch(path, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(json.message || ('Error ' + res.status));
    return json;
  }

  async function me() {
    const res = await fetch('/api/catalogue/me', { credentials: 'same-origin' }).catch(() => null);
    return res && res.ok ? res.json() : { canEdit: false };
  }

  // The page's address follows a merged or renamed id to the one it resolves to.
  function canonicalPath(kind, id) {
    const path = '/' + kind + '/' + encodeURIComponent(id);
    if (location.pathname !== path) history.replaceState(null, '', path + location.search);
  }

  function thumb(url, alt) {
    return url ? el('img', { src: url, alt: alt || '', loading: 'lazy', decoding: 'async' }) : null;
  }

  function years(v) {
    if (v.firstSeen && v.lastSeen) return v.firstSeen === v.lastSeen ? 'seen ' + v.firstSeen : 'seen ' + v.firstSeen + '–' + v.lastSeen;
    return 'not yet seen on screen';
  }

  function appearanceItem(a, mode, canEdit) {
    const title = mode === 'vehicle'
      ? el('a', { href: a.filmId ? '/films/' + encodeURIComponent(a.filmId) : null, text: (a.filmTitle || 'Unknown film') + (a.filmYear ? ' (' + a.filmYear + ')' : '') })
      : el('a', { href: '/vehicles/' + encodeURIComponent(a.vehicleId), text: a.label });
    const when = a.timecodeEnd ? a.timecode + '–' + a.timecodeEnd : a.timecode;
    const meta = [when, a.stills > 1 ? a.stills + ' frames' : null,
      mode === 'film' ? [a.make, a.model].filter(Boolean).join(' ') : null, a.prominence].filter(Boolean).join(' · ');
    const flag = a.anachronism
      ? el('span', { class: 'flag', title: 'The film is older than the vehicle’s first production year', text: 'Anachronism: made from ' + a.yearFrom })
      : null;
    let prominence = null;
    if (canEdit) {
      const select = el('select', { 'aria-label': 'Prominence', 'data-appearance-id': a.appearanceId });
      for (const p of ['background', 'minor', 'featured']) {
        const o = el('option', { value: p, text: p });
        if (p === a.prominence) o.selected = true;
        select.appendChild(o);
      }
      select.addEventListener('change', () => edit({ kind: 'prominence', target: a.appearanceId, fields: { prominence: select.value } }, select.parentNode));
      prominence = el('label', { class: 'prominence' }, document.createTextNode('Prominence '), select);
    }
    return el('li', { class: 'appearance', 'data-appearance-id': a.appearanceId },
      el('a', { href: a.stillUrl, class: 'still' }, thumb(a.thumbnailUrl || a.stillUrl, 'Still: ' + a.label)),
      el('div', { class: 'caption' }, el('strong', {}, title), el('span', { text: meta }), flag,
        el('small', { text: 'confirmed by ' + a.confirmedBy.join(', ') + ' on ' + a.confirmedAt.slice(0, 10) }), prominence));
  }

  // Sends an edit and shows the page again with it (the answer comes once the edit is visible).
  async function edit(body, where) {
    try {
      await post('/api/catalogue/edits', body);
      location.reload();
    } catch (e) {
      const s = (where && where.querySelector('.form-status')) || $('status');
      s.textContent = e.message;
      s.hidden = false;
    }
  }

  function describe(e) {
    if (e.kind.endsWith('-merge')) return 'merged ' + e.target + ' into ' + e.into + (e.fields.label ? ' as “' + e.fields.label + '”' : '');
    if (e.kind.endsWith('-unmerge')) return 'split ' + e.target + ' off again';
    const parts = Object.entries(e.fields).map(([k, v]) => k + ' → ' + (v === null ? '(as derived)' : Array.isArray(v) ? v.join(' / ') : v));
    return (e.kind === 'prominence' ? e.target + ' ' : '') + parts.join(', ');
  }

  function editList(edits, canEdit) {
    const list = $('edits');
    for (const e of edits) {
      const item = el('li', { 'data-edit-id': e.editId, text: e.editedAt.slice(0, 16).replace('T', ' ') + ' · ' + e.editor + ': ' + describe(e) + (e.undoes ? ' (undo)' : '') + (e.reason ? ' — ' + e.reason : '') });
      if (canEdit) {
        const undo = el('button', { type: 'button', class: 'undo', text: 'Undo' });
        undo.addEventListener('click', () => post('/api/catalogue/edits/' + encodeURIComponent(e.editId) + '/undo', {})
          .then(() => location.reload(), (err) => status(err.message)));
        item.appendChild(undo);
      }
      list.appendChild(item);
    }
    if (!edits.length) list.appendChild(el('li', { class: 'empty', text: 'No edits yet.' }));
  }

  // The fields of a form that differ from the record: only those are sent ('' clears one).
  function changed(form, record, names) {
    const out = {};
    for (const n of names) {
      const v = form.elements[n].value.trim();
      const now = record[n] === null || record[n] === undefined ? '' : String(record[n]);
      if (v !== now) out[n] = v === '' ? null : v;
    }
    return out;
  }

  function fact(dl, name, value) {
    if (value === null || value === undefined || value === '') return;
    dl.appendChild(el('dt', { text: name }));
    dl.appendChild(el('dd', { text: String(value) }));
  }

  async function searchPage() {
    const params = new URLSearchParams(location.search);
    const q = params.get('q') || '';
    const page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
    $('q').value = q;
    $('filter-q').value = q;
    $('yearFrom').value = params.get('yearFrom') || '';
    $('yearTo').value = params.get('yearTo') || '';
    $('country').value = params.get('country') || '';
    $('make').value = params.get('make') || '';
    const query = new URLSearchParams({ q, page: String(page) });
    for (const k of ['yearFrom', 'yearTo', 'country', 'make']) if (params.get(k)) query.set(k, params.get(k));
    const r = await api('/api/catalogue/search?' + query);
    status('');
    $('search-page').hidden = false;
    $('total').textContent = r.total === 1 ? '1 result' : r.total + ' results';
    const list = $('hits');
    for (const h of r.hits) {
      const name = h.type === 'film' ? h.title + (h.year ? ' (' + h.year + ')' : '') : h.label;
      const detail = h.type === 'film'
        ? 'Film · ' + h.vehicles + (h.vehicles === 1 ? ' vehicle' : ' vehicles')
        : 'Vehicle · ' + [h.make, h.model].filter(Boolean).join(' ') + (h.make || h.model ? ' · ' : '') + years(h);
      list.appendChild(el('li', { class: 'card', 'data-type': h.type, 'data-id': h.id },
        el('a', { href: h.url }, thumb(h.thumbnailUrl, ''), el('strong', { text: name }), el('span', { text: detail }))));
    }
    const link = (p) => { const n = new URLSearchParams(query); n.set('page', String(p)); return '/?' + n; };
    if (page > 1) { $('prev').href = link(page - 1); $('prev').hidden = false; }
    if (page * r.pageSize < r.total) { $('next').href = link(page + 1); $('next').hidden = false; }
  }

  function idFromPath() {
    return decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() || '');
  }

  async function vehiclePage() {
    const id = idFromPath();
    const [v, who] = await Promise.all([api('/api/catalogue/vehicles/' + encodeURIComponent(id)), me()]);
    canonicalPath('vehicles', v.id);
    document.title = v.label + ' · reelcars catalogue';
    status('');
    $('vehicle-page').hidden = false;
    $('vehicle-label').textContent = v.label;
    const dl = $('vehicle-facts');
    fact(dl, 'Make', v.make);
    fact(dl, 'Model', v.model);
    fact(dl, 'Variant', v.variant);
    fact(dl, 'Made', v.yearFrom ? v.yearFrom + (v.yearTo ? '–' + v.yearTo : '–') : null);
    fact(dl, 'Country', v.country);
    fact(dl, 'This is', v.scope === 'vehicle' ? 'one vehicle' : v.scope === 'model' ? 'a model' : null);
    fact(dl, 'On screen', years(v));
    fact(dl, 'Films', v.films);
    if (v.aliases.length) fact(dl, 'Also listed as', v.aliases.join(', '));
    $('vehicle-notes').textContent = v.notes || '';
    for (const r of v.references) $('references').appendChild(el('li', {}, el('a', { href: r.imageUrl }, thumb(r.thumbnailUrl, 'Reference view of ' + v.label))));
    $('vehicle-csv').href = '/api/catalogue/appearances.csv?vehicle=' + encodeURIComponent(v.id);
    for (const a of v.appearances) $('appearances').appendChild(appearanceItem(a, 'vehicle', who.canEdit));
    if (!v.appearances.length) $('appearances').appendChild(el('li', { class: 'empty', text: 'Not confirmed in any film yet.' }));
    editList(v.edits, who.canEdit);
    if (!who.canEdit) return;
    const form = $('vehicle-form');
    const names = ['label', 'make', 'model', 'variant', 'yearFrom', 'yearTo', 'country', 'scope', 'notes'];
    for (const n of names) form.elements[n].value = v[n] === null || v[n] === undefined ? '' : v[n];
    $('vehicle-edit').hidden = false;
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const reason = form.elements.reason.value.trim() || null;
      const fields = changed(form, v, names);
      const into = form.elements.into.value.trim();
      const steps = [];
      if ('label' in fields) {
        steps.push({ kind: 'vehicle-rename', target: v.id, fields: { label: fields.label }, reason });
        delete fields.label;
      }
      if (Object.keys(fields).length) steps.unshift({ kind: 'vehicle', target: v.id, fields, reason });
      if (into) steps.push({ kind: 'vehicle-merge', target: v.id, into, reason });
      try {
        for (const s of steps) await post('/api/catalogue/edits', s);
        location.reload();
      } catch (e) {
        form.querySelector('.form-status').textContent = e.message;
      }
    });
  }

  async function filmPage() {
    const id = idFromPath();
    const [f, who] = await Promise.all([api('/api/catalogue/films/' + encodeURIComponent(id)), me()]);
    canonicalPath('films', f.id);
    document.title = f.title + ' · reelcars catalogue';
    status('');
    $('film-page').hidden = false;
    $('film-title').textContent = f.title;
    $('film-year').textContent = f.year ? '(' + f.year + ')' : '';
    const others = f.titles.filter((t) => t !== f.title);
    $('film-titles').textContent = others.length ? 'Also known as: ' + others.join(' · ') : '';
    fact($('film-facts'), 'Original title', f.originalTitle);
    fact($('film-facts'), 'Country', f.country);
    $('film-csv').href = '/api/catalogue/appearances.csv?film=' + encodeURIComponent(f.id);
    for (const a of f.appearances) $('appearances').appendChild(appearanceItem(a, 'film', who.canEdit));
    editList(f.edits, who.canEdit);
    if (!who.canEdit) return;
    const form = $('film-form');
    const record = { title: f.title, originalTitle: f.originalTitle, country: f.country, alternativeTitles: f.alternativeTitles.join('\n') };
    for (const n of Object.keys(record)) form.elements[n].value = record[n] || '';
    $('film-edit').hidden = false;
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const reason = form.elements.reason.value.trim() || null;
      const fields = changed(form, record, Object.keys(record));
      if ('alternativeTitles' in fields) fields.alternativeTitles = fields.alternativeTitles ? fields.alternativeTitles.split('\n').map((t) => t.trim()).filter(Boolean) : null;
      const into = form.elements.into.value.trim();
      try {
        if (Object.keys(fields).length) await post('/api/catalogue/edits', { kind: 'film', target: f.id, fields, reason });
        if (into) await post('/api/catalogue/edits', { kind: 'film-merge', target: f.id, into, reason });
        location.reload();
      } catch (e) {
        form.querySelector('.form-status').textContent = e.message;
      }
    });
  }

  const pages = { search: searchPage, vehicle: vehiclePage, film: filmPage };
  document.addEventListener('DOMContentLoaded', () => {
    pages[document.body.dataset.page]().catch(() => { /* the status line says what went wrong */ });
  });
})();
