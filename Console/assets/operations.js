// Operations (admins, `delivery.manage`): the outbound endpoints with their breakers and the switch back on after a
// 410, the dead letters (filter by endpoint, details, replay under the same idempotency key) and the audit log.
import { api, query } from './api.js';
import { h, fill, field, ready, announce } from './dom.js';
import { t, when } from './i18n.js';
import { table, guarded } from './widgets.js';

export function render(main) {
  const endpoints = h('tbody');
  const letters = h('tbody');
  const audit = h('tbody');
  const letterPager = h('div', { class: 'pager' });
  const auditPager = h('div', { class: 'pager' });
  const endpointFilter = h('select', {}, h('option', { value: '' }, t('all_endpoints')));
  const actionFilter = h('input', { type: 'text', size: 18 });
  const details = h('dialog', { id: 'dead-letter-details', 'aria-labelledby': 'details-heading' });
  let letterCursor = '';
  let auditCursor = '';

  const health = h('dl', { class: 'figures', id: 'delivery-health' });
  fill(main, h('h1', {}, t('ops_title')), health,
    h('h2', {}, t('endpoints')),
    table(['endpoint', 'breaker', 'status', 'in_flight'], endpoints, 'endpoints'),
    h('h2', {}, t('dead_letters')),
    h('form', { class: 'filters', onsubmit: (event) => { event.preventDefault(); letterCursor = ''; loadLetters(); } },
      field('dead-letter-endpoint', t('endpoint'), endpointFilter), h('button', { type: 'submit' }, t('filter'))),
    table(['id_col', 'endpoint', 'reason', 'last_status', 'attempts', 'failed_at', 'action'], letters, 'dead-letters'),
    letterPager,
    h('h2', {}, t('audit_log')),
    h('form', { class: 'filters', onsubmit: (event) => { event.preventDefault(); auditCursor = ''; loadAudit(); } },
      field('audit-action', t('action'), actionFilter), h('button', { type: 'submit' }, t('filter'))),
    table(['at', 'actor', 'action', 'subject_col'], audit, 'audit'),
    auditPager, details);

  async function loadEndpoints() {
    const { data } = await api('GET', '/v1/endpoints');
    const chosen = endpointFilter.value;
    fill(endpointFilter, h('option', { value: '' }, t('all_endpoints')),
      data.items.map((item) => h('option', { value: item.name, selected: item.name === chosen }, item.name)));
    fill(endpoints, data.items.map((item) => h('tr', { dataset: { endpoint: item.name } },
      h('td', {}, item.name), h('td', {}, item.breaker),
      h('td', {}, item.disabled ? `${t('disabled')} (${item.disabled_status ?? ''}, ${when(item.disabled_since)})` : t('enabled'),
        item.disabled ? h('button', { type: 'button', class: 'enable', onclick: () => enable(item.name) }, t('enable')) : null),
      h('td', {}, String(item.in_flight)))));
  }

  async function enable(name) {
    await guarded(async () => {
      await api('POST', `/v1/endpoints/${encodeURIComponent(name)}/enable`, { body: {} });
      await loadEndpoints();
    });
  }

  async function loadLetters() {
    const { data } = await api('GET', `/v1/dead-letters${query({ endpoint: endpointFilter.value, cursor: letterCursor, limit: 50 })}`);
    fill(letters, data.items.length ? data.items.map((item) => h('tr', { dataset: { deadLetter: item.id } },
      h('td', {}, String(item.id)), h('td', {}, item.endpoint), h('td', {}, item.reason),
      h('td', {}, item.last_status ?? ''), h('td', {}, String(item.attempts)), h('td', {}, when(item.dead_at)),
      h('td', {},
        h('button', { type: 'button', class: 'details', onclick: () => show(item) }, t('details')), ' ',
        h('button', { type: 'button', class: 'replay', onclick: () => replay(item.id) }, t('replay')))))
      : h('tr', {}, h('td', { colspan: 7 }, t('no_dead_letters'))));
    pager(letterPager, data.next_cursor, (cursor) => { letterCursor = cursor; loadLetters(); });
  }

  function show(item) {
    fill(details, h('h2', { id: 'details-heading' }, `${t('dead_letters')} #${item.id}`),
      h('pre', {}, JSON.stringify(item, null, 2)),
      h('button', { type: 'button', onclick: () => details.close() }, t('close')));
    details.showModal();
  }

  async function replay(id) {
    await guarded(async () => {
      await api('POST', `/v1/dead-letters/${id}/replay`, { body: {} });
      announce(t('replayed'));
      await loadLetters();
    });
  }

  async function loadAudit() {
    const { data } = await api('GET', `/v1/audit${query({ action: actionFilter.value.trim(), cursor: auditCursor, limit: 50 })}`);
    fill(audit, data.items.length ? data.items.map((item) => h('tr', {},
      h('td', {}, when(item.at)), h('td', {}, item.actor), h('td', {}, item.action),
      h('td', {}, [item.subject_type, item.subject_id].filter(Boolean).join(' ')))) : h('tr', {}, h('td', { colspan: 4 }, t('no_audit'))));
    pager(auditPager, data.next_cursor, (cursor) => { auditCursor = cursor; loadAudit(); });
  }

  // The delivery machinery's gauges, read from the gateway's own Prometheus page.
  async function loadHealth() {
    const text = await (await fetch('/metrics', { cache: 'no-store' })).text();
    const gauges = Object.fromEntries(text.split('\n').filter((line) => line && !line.startsWith('#'))
      .map((line) => line.split(' ')).filter((parts) => parts.length === 2 && !parts[0].includes('{'))
      .map(([name, value]) => [name, Number(value)]));
    fill(health, [['inbox_lag', 'gateway_inbox_lag_seconds', ' s'], ['outbox_depth', 'gateway_outbox_depth', ''],
      ['outbox_oldest', 'gateway_outbox_oldest_age_seconds', ' s'], ['dead_letters', 'gateway_dead_letters', '']]
      .map(([label, name, unit]) => h('div', { dataset: { gauge: name } }, h('dt', {}, t(label)),
        h('dd', {}, name in gauges ? `${Math.round(gauges[name] * 10) / 10}${unit}` : '—'))));
  }

  Promise.all([loadHealth(), loadEndpoints(), loadLetters(), loadAudit()]).then(ready, (error) => {
    announce(t('error', { detail: error.message }));
    ready();
  });
}

function pager(node, next, go) {
  fill(node, next ? h('button', { type: 'button', class: 'older', onclick: () => go(String(next)) }, t('older_entries')) : null);
}
