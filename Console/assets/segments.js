// Segments (`segments.view`): the list — newest first, searched by name, active or archived — and, by address, the
// builder for a new one (`/console/segments/new`, `segments.add`), one segment (`/console/segments/<id>`) and its
// editor (`?edit=1`). What a role cannot do is not offered; the API checks every request again.
import { api, query } from './api.js';
import { h, fill, field, ready } from './dom.js';
import { t, when } from './i18n.js';
import { renderBuilder } from './segment-builder.js';
import { renderDetail } from './segment-detail.js';
import { count } from './analytics-figures.js';

export function render(main, context) {
  const { session, navigate, parameters } = context;
  const [id] = parameters;
  const edit = new URLSearchParams(location.search).get('edit') === '1';
  if (id === 'new' || (id && edit)) {
    const permission = id === 'new' ? 'segments.add' : 'segments.manage';
    if (!session.permissions.includes(permission)) {
      fill(main, h('h1', {}, t('no_access_title')), h('p', { class: 'notice', role: 'alert' }, t('no_access')));
      ready();
      return null;
    }
    if (id === 'new') {
      renderBuilder(main, { done: (segment) => navigate(`/console/segments/${segment.id}`),
        cancel: () => navigate('/console/segments') });
      return null;
    }
    api('GET', `/v1/segments/${id}`).then(({ data }) => renderBuilder(main, { segment: data,
      done: () => navigate(`/console/segments/${id}`), cancel: () => navigate(`/console/segments/${id}`) }),
    (error) => { fill(main, h('p', { class: 'error', role: 'alert' }, t('error', { detail: error.message }))); ready(); });
    return null;
  }
  if (id) return renderDetail(main, { session, navigate, id });
  return renderList(main, context);
}

function renderList(main, { session, navigate }) {
  const search = new URLSearchParams(location.search);
  const state = { search: search.get('search') || '', status: search.get('status') ?? 'active',
    cursor: search.get('cursor') || '' };
  const rows = h('tbody');
  const pager = h('div', { class: 'pager' });
  const text = h('input', { type: 'search', value: state.search, size: 20, minlength: 3 });
  const status = h('select', {}, h('option', { value: '' }, t('any')),
    ['active', 'archived'].map((value) => h('option', { value, selected: state.status === value }, t(`segment_${value}`))));
  // The status stays in the address even when empty: no status there means active ones.
  const go = (change) => {
    const next = new URLSearchParams();
    for (const [name, value] of Object.entries({ ...state, ...change })) {
      if (value !== '' || name === 'status') next.set(name, value);
    }
    navigate(`/console/segments?${next}`);
  };

  fill(main, h('h1', {}, t('segments_title')),
    session.permissions.includes('segments.add')
      ? h('p', {}, h('a', { class: 'button primary', href: '/console/segments/new', id: 'new-segment' }, t('new_segment')))
      : null,
    h('form', { class: 'filters', onsubmit: (event) => {
      event.preventDefault();
      go({ search: text.value.trim(), status: status.value, cursor: '' });
    } },
    field('segment-search', t('search_name'), text), field('segment-status-filter', t('status'), status),
    h('button', { type: 'submit' }, t('apply_filters'))),
    h('div', { class: 'table-wrap' }, h('table', { id: 'segments' },
      h('thead', {}, h('tr', {}, ['segment_name', 'status', 'readiness', 'members', 'created_by', 'created_at']
        .map((label, index) => h('th', { scope: 'col', class: index > 3 ? 'hide-narrow' : null }, t(label))))), rows)),
    pager);

  const parameters = { search: state.search.length >= 3 ? state.search : '', status: state.status,
    cursor: state.cursor, limit: 50 };
  api('GET', `/v1/segments${query(parameters)}`).then(({ data }) => {
    fill(rows, data.items.length ? data.items.map((segment) => h('tr', { dataset: { segment: segment.id } },
      h('td', {}, h('a', { href: `/console/segments/${segment.id}` }, segment.name)),
      h('td', {}, h('span', { class: `badge ${segment.status === 'active' ? 'ok' : 'muted'}` }, t(`segment_${segment.status}`))),
      h('td', {}, t(`readiness_${segment.readiness}`)),
      h('td', {}, count(segment.member_count)),
      h('td', { class: 'hide-narrow' }, segment.created_by),
      h('td', { class: 'hide-narrow' }, when(segment.created_at)))) : h('tr', {}, h('td', { colspan: 6 }, t('no_segments'))));
    fill(pager,
      state.cursor ? h('button', { type: 'button', onclick: () => go({ cursor: '' }) }, t('first_page')) : null,
      data.next_cursor ? h('button', { type: 'button', id: 'older', onclick: () => go({ cursor: String(data.next_cursor) }) },
        t('older_entries')) : null);
    ready();
  }, (error) => {
    fill(rows, h('tr', {}, h('td', { colspan: 6, role: 'alert' }, t('error', { detail: error.message }))));
    ready();
  });
  return null;
}
