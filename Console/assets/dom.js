// Builds DOM nodes without ever parsing HTML, so text from the API (a customer's words, a name) is always text.
export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Replaces the children of `node`.
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

// A labelled form control: the label's `for` names the control, so every control has its label.
export function field(id, label, control) {
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

// A short message in the page's live region (read out by screen readers).
export function announce(text) {
  const status = document.getElementById('status');
  fill(status, text);
  status.classList.toggle('shown', Boolean(text));
  clearTimeout(announce.timer);
  if (text) announce.timer = setTimeout(() => status.classList.remove('shown'), 4000);
}

// Marks the page as drawn with its data: tests wait for it, and the first time it is the "ready" timing.
export function ready() {
  if (!document.body.dataset.ready) {
    document.body.dataset.ready = '1';
    if (!performance.getEntriesByName('console-ready').length) performance.mark('console-ready');
  }
}
