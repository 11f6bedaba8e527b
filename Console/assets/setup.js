// The first-run page: placeholder until the gateway prints a setup link.
import { h, fill, ready } from './dom.js';
import { t } from './i18n.js';

export function render(main) {
  fill(main, h('div', { class: 'card login' }, h('h1', {}, t('setup_title')), h('p', { class: 'notice' }, t('setup_invalid'))));
  ready();
}
