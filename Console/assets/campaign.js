// Campaigns from a segment: the form that sends an approved WhatsApp template to the members (with how many of them
// WhatsApp can reach before anything is sent), and a campaign's progress — its recipients by outcome, followed live
// while it sends, with Cancel to withdraw what has not gone yet.
import { api, query } from './api.js';
import { h, fill, announce } from './dom.js';
import { t, when } from './i18n.js';
import { poll } from './poll.js';
import { inOrder } from './live.js';
import { barChart } from './chart.js';
import { checkedField, showProblems } from './problems.js';
import { count } from './analytics-figures.js';

const outcomes = ['pending', 'queued', 'sent', 'delivered', 'read', 'replied', 'failed', 'skipped', 'cancelled'];

export function audienceText(audience) {
  return t('audience_estimate', { whatsapp: count(audience.whatsapp), members: count(audience.members) });
}

// The send form for `segment`; `started(campaign)` once the gateway has taken it.
export function campaignForm(segment, started) {
  // One key per form: a second click or a retried request does not start a second campaign.
  const idempotencyKey = `console-${crypto.randomUUID()}`;
  const name = h('input', { type: 'text', maxlength: 100, required: true });
  const template = h('select', { onchange: () => drawTemplate() });
  const language = h('select', {});
  const variables = h('div', { class: 'variables' });
  const alert = h('p', { class: 'error', role: 'alert', id: 'campaign-error' });
  let templates = [];

  function drawTemplate() {
    const chosen = templates.find((item) => item.name === template.value);
    const languages = Object.keys(chosen?.languages || {});
    fill(language, h('option', { value: '' }, t('template_language_auto')),
      languages.map((code) => h('option', { value: code }, code)));
    fill(variables, (chosen?.parameters || []).map((parameter, index) => {
      // A name is the customer's own (their full_name); anything else starts as text the sender writes.
      const named = parameter.includes('name');
      const kind = h('select', { class: 'variable-kind' },
        h('option', { value: 'property', selected: named }, t('variable_property')),
        h('option', { value: 'text', selected: !named }, t('variable_text')));
      const value = h('input', { type: 'text', class: 'variable-value', required: true, value: named ? 'full_name' : '' });
      return h('div', { class: 'filters variable', dataset: { parameter } },
        checkedField(`variable-${index}-kind`, t('variable_source', { name: parameter.replace(/_/g, ' ') }), kind,
          `variables[${index}]`),
        checkedField(`variable-${index}-value`, t('variable_value'), value, `variables[${index}].property`));
    }));
  }

  const form = h('form', { class: 'card', id: 'campaign-form', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    fill(alert);
    const body = { name: name.value.trim(), template: { name: template.value, language: language.value || undefined },
      variables: [...variables.querySelectorAll('.variable')].map((row) => {
        const text = row.querySelector('.variable-value').value.trim();
        return row.querySelector('.variable-kind').value === 'text' ? { text } : { property: text };
      }) };
    try {
      const { data } = await api('POST', `/v1/segments/${segment.id}/campaigns`,
        { body, headers: { 'Idempotency-Key': idempotencyKey } });
      announce(t('campaign_started'));
      started(data);
    } catch (error) {
      fill(alert, showProblems(form, error));
    }
  } },
  h('h3', {}, t('send_campaign')),
  h('p', { class: 'notice', id: 'campaign-estimate' }, audienceText({ whatsapp: segment.whatsapp_reachable ?? 0,
    members: segment.member_count ?? 0 })),
  checkedField('campaign-name', t('campaign_name'), name, 'name'),
  checkedField('campaign-template', t('template'), template, 'template.name'),
  checkedField('campaign-language', t('language'), language, 'template.language'),
  variables,
  h('button', { type: 'submit', class: 'primary', id: 'start-campaign' }, t('send_campaign')),
  alert);

  api('GET', '/v1/templates').then(({ data }) => {
    templates = data.items;
    // A campaign is marketing: the first marketing template is the likely choice.
    const likely = templates.find((item) => item.category === 'MARKETING')?.name;
    fill(template, templates.map((item) => h('option', { value: item.name, selected: item.name === likely }, item.name)));
    drawTemplate();
  }, (error) => fill(alert, t('error', { detail: error.message })));
  return form;
}

// Draws campaign `id`'s progress into `container`, following it while it sends; answers the function that stops.
export function campaignProgress(container, id, { canCancel }) {
  const load = () => Promise.all([api('GET', `/v1/campaigns/${id}`),
    api('GET', `/v1/campaigns/${id}/recipients${query({ limit: 50 })}`)]).then(([campaign, page]) => [campaign.data, page.data]);
  let stop = null;
  // A poll's load under way when the agent cancels answers with the campaign still sending: never drawn last.
  const view = inOrder(load, draw);

  function draw([campaign, recipients]) {
    const progress = campaign.progress || {};
    const total = outcomes.reduce((sum, outcome) => sum + (progress[outcome] || 0), 0);
    const waiting = (progress.pending || 0) + (progress.queued || 0);
    fill(container, h('section', { class: 'card', id: 'campaign-progress', dataset: { campaign: id, status: campaign.status } },
      h('h3', {}, campaign.name, ' · ', t(`campaign_status_${campaign.status}`)),
      h('p', { class: 'meta' }, audienceText(campaign.audience), ' · ', when(campaign.created_at)),
      h('label', { for: 'campaign-bar' }, t('campaign_done', { done: count(total - waiting), total: count(total) })),
      h('progress', { id: 'campaign-bar', max: Math.max(1, total), value: total - waiting }),
      h('dl', { class: 'figures' }, outcomes.filter((outcome) => progress[outcome]).map((outcome) =>
        h('div', { dataset: { outcome } }, h('dt', {}, t(`outcome_${outcome}`)), h('dd', {}, count(progress[outcome]))))),
      barChart({ id: `chart-campaign-${id}`, title: t('chart_campaign_outcomes'), format: count,
        labels: outcomes.map((outcome) => t(`outcome_${outcome}`)),
        series: [{ name: t('recipients'), values: outcomes.map((outcome) => progress[outcome] || 0) }] }),
      canCancel && campaign.status === 'sending' ? h('button', { type: 'button', id: 'cancel-campaign', onclick: cancel },
        t('cancel_campaign')) : null,
      h('div', { class: 'table-wrap' }, h('table', { id: 'campaign-recipients' },
        h('thead', {}, h('tr', {}, ['customer', 'address', 'outcome', 'reason', 'sent_at'].map((column) =>
          h('th', { scope: 'col' }, t(column))))),
        h('tbody', {}, recipients.items.map((item) => h('tr', { dataset: { outcome: item.outcome } },
          h('td', {}, item.full_name || item.contact_id || ''), h('td', {}, item.address || ''),
          h('td', {}, t(`outcome_${item.outcome}`)), h('td', {}, item.reason || ''), h('td', {}, when(item.sent_at)))))))));
    if (campaign.status !== 'sending' && stop) { stop(); stop = null; }
  }

  async function cancel() {
    try {
      await api('POST', `/v1/campaigns/${id}/cancel`, { body: {} });
      announce(t('campaign_cancelled'));
      view.draw(await view.load());
    } catch (error) {
      announce(t('error', { detail: error.message }));
    }
  }

  const first = view.load().then((loaded) => {
    view.draw(loaded);
    if (loaded.answer[0].status === 'sending') stop = poll(view.load, view.draw, { interval: 1000 });
  }, (error) => fill(container, h('p', { class: 'error', role: 'alert' }, t('error', { detail: error.message }))));
  return { loaded: first, stop: () => { if (stop) stop(); stop = null; } };
}
