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

  function thumb(url, alt) {
    return url ? el('img', { src: url, alt: alt || '', loading: 'lazy', decoding: 'async' }) : null;
  }

  function years(v) {
    if (v.firstSeen && v.lastSeen) return v.firstSeen === v.lastSeen ? 'seen ' + v.firstSeen : 'seen ' + v.firstSeen + '–' + v.lastSeen;
    return 'not yet seen on screen';
  }

  function appearanceItem(a, mode) {
    const title = mode === 'vehicle'
      ? el('a', { href: a.filmId ? '/films/' + encodeURIComponent(a.filmId) : null, text: (a.filmTitle || 'Unknown film') + (a.filmYear ? ' (' + a.filmYear + ')' : '') })
      : el('a', { href: '/vehicles/' + encodeURIComponent(a.vehicleId), text: a.label });
    const meta = [a.timecode, mode === 'film' ? [a.make, a.model].filter(Boolean).join(' ') : null, a.prominence]
      .filter(Boolean).join(' · ');
    return el('li', { class: 'appearance', 'data-appearance-id': a.appearanceId },
      el('a', { href: a.stillUrl, class: 'still' }, thumb(a.stillUrl, 'Still: ' + a.label)),
      el('div', { class: 'caption' }, el('strong', {}, title), el('span', { text: meta }),
        el('small', { text: 'confirmed by ' + a.confirmedBy.join(', ') + ' on ' + a.confirmedAt.slice(0, 10) })));
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
    const query = new URLSearchParams({ q, page: String(page) });
    for (const k of ['yearFrom', 'yearTo']) if (params.get(k)) query.set(k, params.get(k));
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
    const v = await api('/api/catalogue/vehicles/' + encodeURIComponent(id));
    document.title = v.label + ' · reelcars catalogue';
    status('');
    $('vehicle-page').hidden = false;
    $('vehicle-label').textContent = v.label;
    const dl = $('vehicle-facts');
    fact(dl, 'Make', v.make);
    fact(dl, 'Model', v.model);
    fact(dl, 'Year', v.year);
    fact(dl, 'On screen', years(v));
    fact(dl, 'Films', v.films);
    for (const r of v.references) $('references').appendChild(el('li', {}, el('a', { href: r.imageUrl }, thumb(r.imageUrl, 'Reference view of ' + v.label))));
    $('vehicle-csv').href = '/api/catalogue/appearances.csv?vehicle=' + encodeURIComponent(v.id);
    for (const a of v.appearances) $('appearances').appendChild(appearanceItem(a, 'vehicle'));
    if (!v.appearances.length) $('appearances').appendChild(el('li', { class: 'empty', text: 'Not confirmed in any film yet.' }));
  }

  async function filmPage() {
    const id = idFromPath();
    const f = await api('/api/catalogue/films/' + encodeURIComponent(id));
    document.title = f.title + ' · reelcars catalogue';
    status('');
    $('film-page').hidden = false;
    $('film-title').textContent = f.title;
    $('film-year').textContent = f.year ? '(' + f.year + ')' : '';
    const others = f.titles.filter((t) => t !== f.title);
    $('film-titles').textContent = others.length ? 'Also spelled: ' + others.join(' · ') : '';
    $('film-csv').href = '/api/catalogue/appearances.csv?film=' + encodeURIComponent(f.id);
    for (const a of f.appearances) $('appearances').appendChild(appearanceItem(a, 'film'));
  }

  const pages = { search: searchPage, vehicle: vehiclePage, film: filmPage };
  document.addEventListener('DOMContentLoaded', () => {
    pages[document.body.dataset.page]().catch(() => { /* the status line says what went wrong */ });
  });
})();
