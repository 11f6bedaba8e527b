// Pieces the admin pages share: a table with its column headings, and an action whose failure is announced.
import { h, announce } from './dom.js';
import { t } from './i18n.js';

// A table `name` with one heading per column (each an i18n key) over `body`.
export function table(columns, body, name) {
  return h('div', { class: 'table-wrap' }, h('table', { id: name },
    h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col' }, t(column))))), body));
}

// Runs `action`; a failure is said in the live region instead of being lost.
export async function guarded(action) {
  try { await action(); } catch (error) { announce(t('error', { detail: error.message })); }
}
