// The reply composer once the customer's 24-hour window has closed: WhatsApp then delivers only approved templates,
// so the agent picks one and fills its parameters (the customer's name and the ticket's reference are filled in).
import { api } from './api.js';
import { h, fill, field } from './dom.js';
import { t, language } from './i18n.js';

// Parameters the page can fill from the ticket.
const known = {
  customer_name: (ticket) => (ticket.name || '').replace(/^WhatsApp: /, ''),
  ticket_ref: (ticket) => `T-${ticket.id}`,
};

// A form sending `{"template": {"name", "parameters"}}` through `send(body, done)`.
export function templateComposer(ticket, send) {
  const choice = h('select', { onchange: () => drawParameters() });
  const parameters = h('div', { id: 'template-parameters' });
  const preview = h('p', { class: 'meta', id: 'template-preview' });
  let templates = [];

  function drawParameters() {
    const template = templates.find((item) => item.name === choice.value);
    if (!template) return fill(parameters);
    fill(parameters, template.parameters.map((name, index) =>
      field(`template-parameter-${index}`, name.replace(/_/g, ' '),
        h('input', { type: 'text', value: known[name] ? known[name](ticket) : '', required: true, dataset: { parameter: name } }))));
    const texts = template.languages[language()] || template.languages[ticket.language] || Object.values(template.languages)[0];
    fill(preview, texts?.body || '');
  }

  api('GET', '/v1/templates').then(({ data }) => {
    templates = data.items.filter((item) => item.category !== 'MARKETING');
    fill(choice, templates.map((item) => h('option', { value: item.name, selected: item.name === 'support_followup' }, item.name)));
    drawParameters();
  });

  return h('form', { class: 'card', id: 'template-form', onsubmit: (event) => {
    event.preventDefault();
    const values = [...parameters.querySelectorAll('input')].map((input) => input.value.trim());
    send({ template: { name: choice.value, parameters: values } }, () => {});
  } },
  h('p', {}, t('window_closed')),
  field('template-name', t('template'), choice), parameters, preview,
  h('button', { type: 'submit', class: 'primary' }, t('send_template')));
}
