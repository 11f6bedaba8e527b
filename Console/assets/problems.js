// The API's answers to bad input, shown where the user can fix them: every error of a problem+json answer that names
// a field (`from`, `groups[0].filters[1].value`) goes under the control for that field, the rest into one alert.
import { h, fill } from './dom.js';

// A labelled control with a place for its error: `name` is the field as the API names it.
export function checkedField(id, label, control, name) {
  control.id = id;
  control.setAttribute('aria-describedby', `${id}-error`);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control,
    h('p', { class: 'error field-error', id: `${id}-error`, dataset: { errorFor: name } }));
}

export function clearProblems(container) {
  for (const slot of container.querySelectorAll('[data-error-for]')) fill(slot);
  for (const control of container.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
}

// Places `error`'s field errors in `container`; answers the text of those with no place (empty when all found one).
export function showProblems(container, error) {
  clearProblems(container);
  const errors = error.problem?.errors || [];
  const unplaced = [];
  for (const item of errors) {
    const slot = [...container.querySelectorAll('[data-error-for]')].find((node) => node.dataset.errorFor === item.field);
    if (!slot) { unplaced.push(`${item.field}: ${item.message}`); continue; }
    fill(slot, slot.textContent ? `${slot.textContent} ` : '', item.message);
    const control = container.querySelector(`[aria-describedby~="${slot.id}"]`);
    control?.setAttribute('aria-invalid', 'true');
  }
  return errors.length ? unplaced.join(' · ') : error.message;
}
