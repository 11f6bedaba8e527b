// Operations (admin): placeholder drawn until the dead letters, endpoints and audit log are built.
import { h, fill, ready } from './dom.js';
import { t } from './i18n.js';

export function render(main) {
  fill(main, h('h1', {}, t('ops_title')));
  ready();
}
