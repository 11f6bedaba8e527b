// The ticket page: placeholder.
import { h, fill, ready } from './dom.js';
import { t } from './i18n.js';

export function render(main) {
  fill(main, h('h1', {}, t('ticket')));
  ready();
}
