// The segment builder: a name and description, then up to 2 groups of up to 3 filters (field, one of the operators
// its type allows, and a value the operator takes), all groups or any, all filters of a group or any. Every change
// asks the API how many customers the rule matches now (half a second after the last keystroke); the API's word
// on a bad filter is shown next to it. Saving creates the segment or changes the one being edited.
import { api, query } from './api.js';
import { h, fill, ready, announce } from './dom.js';
import { t } from './i18n.js';
import { checkedField, clearProblems, showProblems } from './problems.js';

export const limits = { groups: 2, filters: 3, name: 60, description: 250 };
const previewDelay = 500;

// What value an operator takes (as the API's operators define it).
export function valueShape(operator) {
  if (operator === 'is_empty' || operator === 'is_not_empty') return 'none';
  if (operator === 'between') return 'two';
  if (operator === 'in_the_last_days') return 'days';
  if (operator === 'contains_any' || operator === 'contains_all') return 'several';
  return 'one';
}

// The value a control's text stands for: numbers as numbers, booleans as booleans, lists split at commas.
function parsed(text, type) {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (type === 'number' || type === 'percentage') return Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
  if (type === 'boolean') return trimmed === 'true';
  return trimmed;
}

function initialValue(field, operator) {
  const shape = valueShape(operator);
  if (shape === 'none') return null;
  if (shape === 'two') return [null, null];
  if (shape === 'several') return [];
  if (field.type === 'boolean') return true;
  return null;
}

// Draws the builder into `main`: `segment` to edit one (else a new one); `done(segment)` after a save.
export function renderBuilder(main, { segment, done, cancel }) {
  const state = {
    name: segment?.name || '', description: segment?.description || '', logic: segment?.logic || 'and',
    groups: segment?.groups?.length ? structuredClone(segment.groups) : null,
  };
  let catalogue = [];
  let previewTimer = null;
  let previewRun = 0;
  const groups = h('div', { class: 'groups', id: 'segment-groups' });
  const preview = h('p', { class: 'notice', id: 'segment-preview', 'aria-live': 'polite' }, t('preview_waiting'));
  const alert = h('p', { class: 'error', role: 'alert', id: 'segment-error' });
  const name = h('input', { type: 'text', maxlength: limits.name, required: true, value: state.name,
    oninput: () => { state.name = name.value; } });
  const description = h('textarea', { maxlength: limits.description, oninput: () => { state.description = description.value; } },
    state.description);
  const form = h('form', { class: 'builder', id: 'segment-builder', novalidate: true, onsubmit: (event) => {
    event.preventDefault();
    save();
  } },
  checkedField('segment-name', t('segment_name'), name, 'name'),
  checkedField('segment-description', t('segment_description'), description, 'description'),
  groups,
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'save-segment' }, t('save_segment')),
    h('button', { type: 'button', onclick: cancel }, t('cancel'))),
  alert);
  fill(main, h('h1', {}, segment ? t('edit_segment', { name: segment.name }) : t('new_segment')),
    h('div', { class: 'builder-layout' }, form, h('aside', { class: 'card preview' }, h('h2', {}, t('preview')), preview)));

  function rule() {
    return { name: state.name.trim(), description: state.description.trim() || null, logic: state.logic,
      groups: state.groups };
  }

  // After a redraw the keyboard stays where the user was working: on `focus` (a control's id) when it still exists.
  function changed({ redraw = false, focus = null } = {}) {
    if (redraw) {
      drawGroups();
      const target = focus && document.getElementById(focus);
      (target && !target.disabled ? target : document.getElementById('add-group'))?.focus();
    }
    clearTimeout(previewTimer);
    previewTimer = setTimeout(runPreview, previewDelay);
  }

  async function runPreview() {
    const run = ++previewRun;
    fill(preview, t('preview_counting'));
    try {
      const { data } = await api('POST', '/v1/segments/preview', { body: { logic: state.logic, groups: state.groups } });
      if (run !== previewRun) return;
      clearProblems(groups);
      fill(preview, h('strong', { id: 'preview-count', dataset: { matched: data.matched } }, t('preview_count', {
        matched: data.matched.toLocaleString(), total: data.total.toLocaleString() })));
    } catch (error) {
      if (run !== previewRun) return;
      const rest = showProblems(groups, error);
      fill(preview, t('preview_invalid'), rest ? ` ${rest}` : '');
    }
  }

  async function save() {
    fill(alert);
    try {
      const { data } = segment
        ? await api('PATCH', `/v1/segments/${segment.id}`, { body: rule() })
        : await api('POST', '/v1/segments', { body: rule() });
      announce(t('saved'));
      done(data);
    } catch (error) {
      fill(alert, showProblems(form, error));
    }
  }

  function field(key) { return catalogue.find((item) => item.key === key) || catalogue[0]; }

  function newFilter() {
    const first = catalogue[0];
    return { field: first.key, operator: first.operators[0], value: initialValue(first, first.operators[0]) };
  }

  function drawGroups() {
    const logic = h('select', { onchange: () => { state.logic = logic.value; changed(); } },
      ['and', 'or'].map((value) => h('option', { value, selected: state.logic === value }, t(`groups_${value}`))));
    fill(groups,
      state.groups.length > 1 ? checkedField('segment-logic', t('groups_logic'), logic, 'logic') : null,
      state.groups.map((group, g) => drawGroup(group, g)),
      h('button', { type: 'button', id: 'add-group', disabled: state.groups.length >= limits.groups,
        onclick: () => {
          state.groups.push({ logic: 'and', filters: [newFilter()] });
          changed({ redraw: true, focus: `filter-${state.groups.length - 1}-0-field` });
        } },
      t('add_group')),
      state.groups.length >= limits.groups
        ? h('span', { class: 'meta' }, ' ', t('groups_limit', { count: limits.groups })) : null);
  }

  function drawGroup(group, g) {
    const logic = h('select', { onchange: () => { group.logic = logic.value; changed(); } },
      ['and', 'or'].map((value) => h('option', { value, selected: (group.logic || 'and') === value }, t(`filters_${value}`))));
    return h('fieldset', { class: 'group card', dataset: { group: g } },
      h('legend', {}, t('group_number', { number: g + 1 })),
      group.filters.length > 1 ? checkedField(`group-${g}-logic`, t('filters_logic'), logic, `groups[${g}].logic`) : null,
      group.filters.map((filter, f) => drawFilter(group, g, filter, f)),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'add-filter', disabled: group.filters.length >= limits.filters,
          onclick: () => {
            group.filters.push(newFilter());
            changed({ redraw: true, focus: `filter-${g}-${group.filters.length - 1}-field` });
          } }, t('add_filter')),
        group.filters.length >= limits.filters
          ? h('span', { class: 'meta' }, t('filters_limit', { count: limits.filters })) : null,
        state.groups.length > 1 ? h('button', { type: 'button', class: 'remove-group',
          onclick: () => { state.groups.splice(g, 1); changed({ redraw: true, focus: 'add-group' }); } }, t('remove_group'))
          : null));
  }

  function drawFilter(group, g, filter, f) {
    const path = `groups[${g}].filters[${f}]`;
    const id = `filter-${g}-${f}`;
    const chosen = field(filter.field);
    const fieldSelect = h('select', { onchange: () => {
      const next = field(fieldSelect.value);
      Object.assign(filter, { field: next.key, operator: next.operators[0], value: initialValue(next, next.operators[0]) });
      changed({ redraw: true, focus: `${id}-field` });
    } }, catalogue.map((item) => h('option', { value: item.key, selected: item.key === chosen.key }, item.label)));
    const operator = h('select', { onchange: () => {
      filter.operator = operator.value;
      filter.value = initialValue(chosen, operator.value);
      changed({ redraw: true, focus: `${id}-operator` });
    } }, chosen.operators.map((value) => h('option', { value, selected: value === filter.operator }, t(`op_${value}`))));
    return h('div', { class: 'filter filters', dataset: { filter: `${g}-${f}` } },
      checkedField(`${id}-field`, t('filter_field'), fieldSelect, `${path}.field`),
      checkedField(`${id}-operator`, t('filter_operator'), operator, `${path}.operator`),
      valueControls(filter, chosen, id, path),
      group.filters.length > 1 || state.groups.length > 1 ? h('button', { type: 'button', class: 'remove-filter',
        'aria-label': t('remove_filter_named', { field: chosen.label }), onclick: () => {
          group.filters.splice(f, 1);
          if (!group.filters.length) state.groups.splice(g, 1);
          changed({ redraw: true, focus: `filter-${g}-${Math.max(0, f - 1)}-field` });
        } }, t('remove_filter')) : null);
  }

  function valueControls(filter, chosen, id, path) {
    const shape = valueShape(filter.operator);
    if (shape === 'none') return null;
    const type = shape === 'days' ? 'number' : chosen.type;
    const control = (value, onvalue, suffix = '') => {
      if (type === 'boolean') {
        const select = h('select', { onchange: () => { onvalue(select.value === 'true'); changed(); } },
          [true, false].map((option) =>
            h('option', { value: String(option), selected: value === option }, t(option ? 'yes' : 'no'))));
        return select;
      }
      const input = h('input', { type: type === 'date' ? 'date' : type === 'text' ? 'text' : 'number',
        value: Array.isArray(value) ? value.join(', ') : value ?? '',
        step: type === 'percentage' || type === 'number' ? 'any' : null,
        list: type === 'text' && shape === 'one' ? `${id}-suggestions${suffix}` : null,
        oninput: () => { onvalue(shape === 'several'
          ? input.value.split(',').map((part) => part.trim()).filter(Boolean) : parsed(input.value, type)); changed(); } });
      if (type === 'text' && shape === 'one') {
        input.addEventListener('input', () => suggest(chosen.key, input.value, `${id}-suggestions${suffix}`));
        input.addEventListener('focus', () => suggest(chosen.key, input.value, `${id}-suggestions${suffix}`));
      }
      return input;
    };
    if (shape === 'two') {
      const values = Array.isArray(filter.value) ? filter.value : [null, null];
      filter.value = values;
      const end = (index) => control(values[index], (value) => { values[index] = value; }, index ? '-2' : '');
      return [checkedField(`${id}-value`, t('value_from'), end(0), `${path}.value`),
        checkedField(`${id}-value-2`, t('value_to'), end(1), `${path}.value[1]`)];
    }
    const label = shape === 'days' ? t('value_days') : shape === 'several' ? t('value_several') : t('filter_value');
    return [checkedField(`${id}-value`, label, control(filter.value, (value) => { filter.value = value; }), `${path}.value`),
      type === 'text' && shape === 'one' ? h('datalist', { id: `${id}-suggestions` }) : null];
  }

  let suggestTimer = null;
  function suggest(key, prefix, listId) {
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(async () => {
      try {
        const { data } = await api('GET',
          `/v1/segments/fields/${encodeURIComponent(key)}/values${query({ prefix: prefix.slice(0, 60) })}`);
        const list = document.getElementById(listId);
        if (list) fill(list, data.items.map((value) => h('option', { value: String(value) })));
      } catch { /* suggestions are a convenience: the field still takes any value */ }
    }, 250);
  }

  api('GET', '/v1/segments/fields').then(({ data }) => {
    catalogue = data.items;
    if (!state.groups) state.groups = [{ logic: 'and', filters: [newFilter()] }];
    drawGroups();
    runPreview().then(ready);
  }, (error) => { fill(alert, t('error', { detail: error.message })); ready(); });
}
